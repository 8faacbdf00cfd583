"""The monitoring pages' part of the access matrix.

The dashboards and their CSV exports are for the managers and auditors of an agency and
for partnership administrators, who see counts only. A person's audit report is the
safeguarding lead's and the auditor's (LEAD_OR_AUDITOR, as the who-viewed page). A user's
audit report is read by the managers and auditors of the user's agency: the sample is
practitioner A, who for practitioner B, the outsider and the administrator (no member of
agency A's case work) does not exist.
"""

from __future__ import annotations

from typing import Any

OK, LOGIN = "allowed", "sent to sign in"

EXPECTED: dict[str, dict[str, Any]] = {
    "REPORTS_MONITOR": {
        "anonymous": LOGIN,
        "manager_a": OK,
        "auditor_a": OK,
        "admin": OK,
        "practitioner_a": 403,
        "lead_a": 403,
        "practitioner_b": 403,
        "outsider": 403,
    },
    "USER_AUDIT": {
        "anonymous": LOGIN,
        "manager_a": OK,
        "auditor_a": OK,
        "practitioner_a": 403,
        "lead_a": 403,
        "practitioner_b": 404,
        "outsider": 404,
        "admin": 404,
    },
}


def build(world: Any) -> dict[str, str]:
    # Nothing to make: the figures count the world's records, and the audit reports read
    # the entries its services appended.
    return {"dashboard_slug": "decisions-by-outcome"}


SAMPLES_BY_VIEW = {
    "user_audit": lambda world: {"user_id": str(world.people.practitioner_a.pk)},
}
