"""Helen's record with free text in every encrypted column, made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from sharewise.consents.models import ConsentRecord
from sharewise.consents.services import consent_record
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from sharewise.people.services import person_create
from tests.audit.journey import DETAILS, HELEN_2008

REASONS = {"child_harm": "Bruising on both arms; Helen said her stepfather grabbed her"}
NOTES = "Helen disclosed self-harm to the school nurse on Monday"
ADVICE = "The named GP for safeguarding advised a referral today"
CONSENT_NOTES = "Mother refused: she is afraid of her partner"


@dataclass
class Helen:
    signed: Decision
    draft: Decision
    consent: ConsentRecord


def helen_with_free_text(world: Any) -> Helen:
    user = world.practitioner_a
    helen = person_create(
        user=user, agency=world.agency_a, given_name="Helen", family_name="Carter"
    )
    consent = consent_record(
        user=user,
        person=helen,
        given_by="parent",
        party="Mother",
        response="refused",
        given_at=timezone.now() - timezone.timedelta(days=1),
        notes=CONSENT_NOTES,
    )
    decisions = []
    for _ in range(2):
        decision = services.decision_start(
            user=user,
            person=helen,
            purpose="Refer bruising",
            recipient="social care",
            pack_id="hmg-2008",
        )
        for answers in HELEN_2008:
            decision = services.decision_answer(
                user=user, decision=decision, answers=answers, reasons=REASONS
            )
        decision = services.decision_details_update(
            user=user,
            decision=decision,
            details={**DETAILS, "notes": NOTES, "advice_given": ADVICE},
        )
        decisions.append(decision)
    signed = services.decision_sign(user=user, decision=decisions[0])
    return Helen(signed=signed, draft=decisions[1], consent=consent)


def raw(table: str, column: str, pk: int) -> str:
    """The column's text as the database holds it, past the model field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        (value,) = cursor.fetchone()
    return str(value)


def raw_set(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])
