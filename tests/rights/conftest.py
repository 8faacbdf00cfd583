"""A case with one of every kind of record, made through the real services: Helen, a child
of agency A (a GP practice), with an alias, a parent, assessments, consents, a signed and a
corrected decision, disclosures to the police (agency B), a request for information, advice,
a follow-up and a meeting. A neighbour who reported a concern, Mavis Grimshaw, is a
protected identity (3.50). Another child, Oliver, has records of his own that must never
appear in Helen's export.

Each text carries a marker word, so a test can say which record it finds in the export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from sharewise.advice import services as advice_services
from sharewise.consents.services import consent_record
from sharewise.decisions import services as decision_services
from sharewise.disclosures import services as disclosure_services
from sharewise.followups import services as followup_services
from sharewise.people.services import (
    capacity_assess,
    competence_assess,
    person_create,
    relationship_add,
)
from sharewise.requests import services as request_services
from sharewise.requests.services import RequestDetails
from tests.factories import Personas, personas

HELEN_2008: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
SIGNING_DETAILS: dict[str, Any] = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}
NEIGHBOUR = "Mavis Grimshaw"
NEIGHBOUR_DETAIL = "Flat 3 upstairs"
INFORMED = ["why", "what", "who", "purpose", "implications"]


@dataclass
class Case:
    world: Personas
    helen: Any
    oliver: Any
    signed: Any
    correction: Any
    consents: list[Any]


def signed_decision(
    user: Any, person: Any, *, purpose: str, notes: str = "", recipient: str = ""
) -> Any:
    decision = decision_services.decision_start(
        user=user, person=person, purpose=purpose, recipient=recipient, pack_id="hmg-2008"
    )
    decision = decision_services.decision_answer(
        user=user,
        decision=decision,
        answers=HELEN_2008,
        reasons={"child_harm": "Bruising seen twice this month MARKER-REASONS"},
    )
    decision = decision_services.decision_details_update(
        user=user, decision=decision, details={**SIGNING_DETAILS, "notes": notes}
    )
    return decision_services.decision_sign(user=user, decision=decision)


def _item(text: str) -> Any:
    return disclosure_services.ItemInput(
        text=text,
        kind="fact",
        source="Practice record",
        dated=timezone.localdate() - dt.timedelta(days=2),
    )


@pytest.fixture
def case(db: None) -> Case:
    world = personas()
    user = world.practitioner_a
    helen = person_create(
        user=user,
        agency=world.agency_a,
        given_name="Helen",
        family_name="Marsh",
        date_of_birth=dt.date(2012, 5, 1),
        nhs_number="9434765919",
        address="12 Practice Record Lane",
        aliases=["Nellie MARKER-ALIAS"],
    )
    mother = person_create(user=user, agency=world.agency_a, given_name="Rose", family_name="Marsh")
    relationship_add(
        user=user,
        person=helen,
        relative=mother,
        kind="parent",
        party="mother",
        parental_responsibility=True,
        lives_with=True,
    )
    competence_assess(
        user=user,
        person=helen,
        criteria_met=[True] * 8,
        competent=False,
        notes="MARKER-COMPETENCE",
    )
    capacity_assess(
        user=user,
        person=helen,
        decision="Sharing with the police MARKER-CAPACITY",
        lacks_capacity=False,
    )
    given = consent_record(
        user=user,
        person=helen,
        given_by="parent",
        party="mother",
        response="given",
        informed_points=INFORMED,
        purposes=["Health checks MARKER-CONSENT"],
        recipients=["School nurse"],
        information=["attendance"],
        given_at=timezone.now() - dt.timedelta(days=30),
    )
    withdrawn = consent_record(
        user=user,
        person=helen,
        given_by="parent",
        party="mother",
        response="withdrawn",
        follows=given,
        given_at=timezone.now() - dt.timedelta(days=10),
    )
    neighbour = disclosure_services.protected_identity_add(
        user=user, person=helen, name=NEIGHBOUR, role="neighbour", details=NEIGHBOUR_DETAIL
    )
    signed = signed_decision(
        user,
        helen,
        purpose="Refer bruising to children's social care MARKER-DECISION",
        notes=f"{NEIGHBOUR} of {NEIGHBOUR_DETAIL} rang the practice",
    )
    # Shared with the police twice: once with the neighbour withheld as the service does,
    # once with her identity included for a recorded reason, which the export must still
    # withhold from Helen.
    disclosure_services.disclosure_send(
        user=user,
        decision=signed,
        recipient_agency=world.agency_b,
        recipient_user=world.practitioner_b,
        channel="sharewise",
        items=[_item(f"{NEIGHBOUR} heard shouting MARKER-ITEM")],
    )
    disclosure_services.disclosure_send(
        user=user,
        decision=signed,
        recipient_agency=world.agency_b,
        recipient_user=world.practitioner_b,
        channel="sharewise",
        items=[_item(f"{NEIGHBOUR} will give a statement MARKER-RELEASED")],
        include_identities={neighbour.pk: "The police must take her statement"},
    )
    info_request = request_services.request_send(
        user=world.practitioner_b,
        from_agency=world.agency_b,
        to_agency=world.agency_a,
        details=RequestDetails(
            requester_role="Detective constable",
            subject_name="Helen Marsh",
            information_requested="Injuries seen MARKER-REQUEST",
            purpose="A strategy discussion",
            necessity="To know whether injuries were seen before",
            lawful_basis="UK GDPR Article 6(1)(e)",
        ),
    )
    request_services.request_match(user=user, info_request=info_request, person=helen)
    advice = advice_services.advice_request_create(
        user=user, decision=signed, text="Should I share about the bruising? qzadvicemarker"
    )
    advice = advice_services.advice_request_send(
        user=user, advice_request=advice, reviewed_text=advice.redacted_text
    )
    advice_services.advice_request_answer(
        user=world.lead_a, advice_request=advice, answer="Refer now MARKER-ANSWER"
    )
    followup_services.followup_agree(
        user=user,
        decision=signed,
        interval_days=14,
        agencies_involved=["School"],
        trigger="Refer if bruising is seen again MARKER-FOLLOWUP",
    )
    followup_services.meeting_record(
        user=user,
        kind="professionals_meeting",
        held_on=timezone.localdate(),
        chair="Sam Chair",
        people=[helen],
        attendees=[followup_services.AttendeeEntry(name="Ann", role="Nurse", agency_name="School")],
        contributions=[
            followup_services.ContributionEntry(
                attendee=0,
                text="Helen seemed withdrawn MARKER-MEETING",
                kind="opinion",
                person=helen,
            )
        ],
        actions=[
            followup_services.ActionEntry(
                person=helen, action="Visit the family MARKER-ACTION", owner_name="Ann"
            )
        ],
    )
    # Corrected last: a corrected decision is shared from its latest version only.
    correction = decision_services.decision_correct(user=user, decision=signed)

    # Oliver: another child of the same agency, with records of his own.
    oliver = person_create(
        user=user, agency=world.agency_a, given_name="Oliver", family_name="Otherchild"
    )
    consent_record(
        user=user,
        person=oliver,
        given_by="subject",
        response="refused",
        notes="OLIVER-ONLY consent note",
    )
    signed_decision(user, oliver, purpose="OLIVER-ONLY decision purpose")
    return Case(
        world=world,
        helen=helen,
        oliver=oliver,
        signed=signed,
        correction=correction,
        consents=[given, withdrawn],
    )
