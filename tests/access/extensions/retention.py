"""Retention's part of the access matrix.

The world's person (agency A) has a legal hold placed by lead A, which the release page
is called with; nothing of the world is due for review, so the keep and dispose pages
show that nothing is due, and a posted form stops at the service's checks. The API's
routes answer as the pages do, with 401 for a call without a token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sharewise.retention.models import RecordKind, RetentionSchedule
from sharewise.retention.services import legal_hold_place

OK, LOGIN = "allowed", "sent to sign in"

EXPECTED: dict[str, dict[str, Any]] = {
    "RETENTION_REVIEW": {
        "anonymous": LOGIN,
        "lead_a": OK,
        "manager_a": OK,
        **dict.fromkeys(
            ("practitioner_a", "auditor_a", "practitioner_b", "outsider", "admin"), 403
        ),
    },
    "RETENTION_DECIDE": {
        "anonymous": LOGIN,
        "lead_a": OK,
        "manager_a": OK,
        "practitioner_a": 403,
        "auditor_a": 403,
        **dict.fromkeys(("practitioner_b", "outsider", "admin"), 404),
    },
}
EXPECTED["API_RETENTION_REVIEW"] = {**EXPECTED["RETENTION_REVIEW"], "anonymous": 401}
EXPECTED["API_RETENTION_DECIDE"] = {**EXPECTED["RETENTION_DECIDE"], "anonymous": 401}
EXPECTED["API_PARTNERSHIP_ADMIN"] = {
    **dict.fromkeys(
        ("outsider", "practitioner_a", "lead_a", "manager_a", "auditor_a", "practitioner_b"),
        403,
    ),
    "anonymous": 401,
    "admin": OK,
}


def build(world: Any) -> dict[str, str]:
    hold = legal_hold_place(
        user=world.people.lead_a, person=world.person, reason="Access matrix: an inquiry"
    )
    schedule = RetentionSchedule.objects.get(kind=RecordKind.CHILD_PROTECTION)
    world.extra["retention"] = {"hold": hold, "schedule": schedule}
    return {
        "hold_id": str(hold.pk),
        "schedule_id": str(schedule.pk),
        "kind": RecordKind.CHILD_PROTECTION.value,
    }


# Forms that reach the service's checks and stop there (400): an empty reason.
WEB_FORMS = {
    "hold_place": lambda world: {"record": "person", "reason": ""},
}

# The API's writes, well formed, stopping at the service's checks for whoever may make
# them (400): an empty reason, or nothing due to keep or dispose of. A disposal is
# confirmed, so that what answers is the role check and not the missing confirmation.
API_BODIES: dict[str, Callable[[Any], Any]] = {
    "retention_hold_place": lambda world: {"reason": ""},
    "retention_hold_release": lambda world: {"reason": ""},
    "retention_keep": lambda world: {"years": 1, "reason": "Access matrix"},
    "retention_dispose": lambda world: {"confirm": True},
}
