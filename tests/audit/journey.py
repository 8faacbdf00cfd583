"""A short journey through the real services, leaving a trail in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from sharewise.consents.services import consent_record
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from sharewise.people.services import person_create

HELEN_2008 = [
    {"purpose": "yes", "legal_requirement": "none", "identifiable": "yes"},
    {"confidential": "yes", "consent": "refused"},
    {"child_harm": "reasonable_cause", "reasons_not_to_seek_consent": []},
]
DETAILS = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}


def helen_signed(world: Any) -> Decision:
    """Helen added, her mother's refusal recorded, and a decision made and signed."""
    user = world.practitioner_a
    helen = person_create(
        user=user, agency=world.agency_a, given_name="Helen", family_name="Carter"
    )
    consent_record(
        user=user,
        person=helen,
        given_by="parent",
        party="Mother",
        response="refused",
        given_at=timezone.now() - timezone.timedelta(days=1),
    )
    decision = services.decision_start(
        user=user,
        person=helen,
        purpose="Refer bruising",
        recipient="social care",
        pack_id="hmg-2008",
    )
    for answers in HELEN_2008:
        decision = services.decision_answer(user=user, decision=decision, answers=answers)
    decision = services.decision_details_update(user=user, decision=decision, details=DETAILS)
    return services.decision_sign(user=user, decision=decision)


def triggers_off() -> None:
    """Take the triggers off the audit log, as someone with the database's owner rights
    could, so a test can tamper with entries. The test's transaction puts them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            # Django's foreign keys are checked at commit; PostgreSQL alters no table with
            # such checks pending, so they are made now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
