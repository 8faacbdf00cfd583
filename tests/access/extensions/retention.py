"""Retention's part of the access matrix.

The world's person (agency A) has a legal hold placed by lead A, which the release page
is called with; nothing of the world is due for review, so the keep and dispose pages
show that nothing is due, and a posted form stops at the service's checks.
"""

from __future__ import annotations

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
