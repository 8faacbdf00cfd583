"""A child in agency A with one record of each kind that carries free text, made through
the real services, for the retention tests."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from sharewise.consents.services import consent_record
from sharewise.decisions import services as decision_services
from sharewise.disclosures.services import ItemInput, disclosure_send
from sharewise.followups.services import AttendeeEntry, ContributionEntry, meeting_record
from sharewise.people.services import person_create
from tests.access.routes import HELEN_2008_ANSWERS, SIGNING_DETAILS
from tests.factories import Personas, personas

BORN = dt.date(2010, 6, 15)
# Words that appear nowhere but in this child's records, to look for after disposal.
SECRETS = {
    "given_name": "Zinnia",
    "family_name": "Quarrendon",
    "case_reference": "CASE-ZQ-4471",
    "address": "12 Larkspur Row",
    "decision_notes": "Bruises seen by the quarry gate",
    "purpose": "Refer the quarry gate concerns to social care",
    "consent_notes": "Mother refused on the doorstep of Larkspur",
    "party": "Mrs Quarrendon senior",
    "item": "Zinnia said the bruises came from the stairs",
    "item_source": "Form tutor Ms Oakhanger",
    "contribution": "School nurse saw Zinnia limping twice",
}


@dataclass
class Child:
    people: Personas
    person: Any
    decision: Any
    consent: Any
    disclosure: Any
    meeting: Any


def signed_decision(user: Any, person: Any, *, purpose: str, notes: str) -> Any:
    decision = decision_services.decision_start(
        user=user,
        person=person,
        purpose=purpose,
        recipient="Northtown Police",
        information=["bruising"],
        pack_id="hmg-2008",
    )
    decision = decision_services.decision_answer(
        user=user, decision=decision, answers=HELEN_2008_ANSWERS
    )
    decision = decision_services.decision_details_update(
        user=user, decision=decision, details={**SIGNING_DETAILS, "notes": notes}
    )
    return decision_services.decision_sign(user=user, decision=decision)


def make_child(people: Personas, *, born: dt.date | None = BORN, name: str = "Zinnia") -> Child:
    user = people.practitioner_a
    person = person_create(
        user=user,
        agency=people.agency_a,
        given_name=name,
        family_name=SECRETS["family_name"],
        date_of_birth=born,
        case_reference=SECRETS["case_reference"],
        address=SECRETS["address"],
        postcode="NT1 4QQ",
    )
    decision = signed_decision(
        user, person, purpose=SECRETS["purpose"], notes=SECRETS["decision_notes"]
    )
    consent = consent_record(
        user=user,
        person=person,
        given_by="parent",
        party=SECRETS["party"],
        response="refused",
        notes=SECRETS["consent_notes"],
    )
    disclosure = disclosure_send(
        user=user,
        decision=decision,
        recipient_agency=people.agency_b,
        recipient_user=people.practitioner_b,
        channel="sharewise",
        items=[
            ItemInput(
                text=SECRETS["item"],
                kind="fact",
                source=SECRETS["item_source"],
                dated=timezone.localdate(),
                information_kind="bruising",
            )
        ],
    )
    meeting = meeting_record(
        user=user,
        kind="strategy_discussion",
        held_on=timezone.localdate(),
        chair="Pat Chair",
        people=[person],
        attendees=[AttendeeEntry(name="Sam Nurse", role="School nurse", agency=people.agency_a)],
        contributions=[
            ContributionEntry(attendee=0, text=SECRETS["contribution"], kind="fact", person=person)
        ],
    )
    return Child(people, person, decision, consent, disclosure, meeting)


@pytest.fixture
def people(db: None) -> Personas:
    return personas()


@pytest.fixture
def child(people: Personas) -> Child:
    return make_child(people)


def assert_no_words_left() -> None:
    """No table of the areas that held the child's records keeps any of their words, read
    through the models (so decrypted), the audit log included."""
    areas = {"people", "consents", "decisions", "disclosures", "followups", "retention", "audit"}
    for model in apps.get_models():
        if model._meta.app_label not in areas:
            continue
        dumped = json.dumps(list(model.objects.values()), default=str)
        for secret in SECRETS.values():
            assert secret not in dumped, f"{secret!r} is still in {model._meta.label}"
