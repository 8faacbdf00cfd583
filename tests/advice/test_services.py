"""The advice services and selectors with the database: what leaves the practitioner, who
sees it, and how the advice reaches the decision's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from sharewise.advice import services
from sharewise.advice.models import AdviceRequest, Status
from sharewise.advice.selectors import (
    advice_request_get_for_user,
    advice_requests_for_decision,
    advice_requests_to_answer,
)
from sharewise.agencies.models import Membership, Role
from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions import services as decision_services
from sharewise.people.models import Alias, Person, Relationship, RelationshipKind
from tests.access.routes import HELEN_2008_ANSWERS, SIGNING_DETAILS
from tests.factories import member, personas

pytestmark = pytest.mark.django_db

TEXT = (
    "Helen Okoro (born 14/03/2017, NHS 943 476 5919) came in with bruises. Helen's mum "
    "Grace Okoro says she fell at 12 Acacia Avenue. Nell is scared. Should I refer without "
    "consent?"
)
IDENTIFIERS = ("Helen", "Okoro", "Grace", "Nell", "943 476 5919", "14/03/2017", "Acacia")


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def helen(world: Any) -> Person:
    child = Person.objects.create(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Okoro",
        date_of_birth=dt.date(2017, 3, 14),
        nhs_number="9434765919",
        address="12 Acacia Avenue\nBedford",
        postcode="MK40 1AA",
        created_by=world.practitioner_a,
    )
    mother = Person.objects.create(
        agency=world.agency_a, given_name="Grace", family_name="Okoro", created_by=world.lead_a
    )
    Relationship.objects.create(person=child, relative=mother, kind=RelationshipKind.PARENT)
    Alias.objects.create(person=child, name="Nell")
    return child


@pytest.fixture
def decision(world: Any, helen: Person) -> Any:
    return decision_services.decision_start(
        user=world.practitioner_a, person=helen, purpose="Refer bruising", pack_id="hmg-2008"
    )


def _sent(world: Any, decision: Any) -> AdviceRequest:
    draft = services.advice_request_create(user=world.practitioner_a, decision=decision, text=TEXT)
    return services.advice_request_send(
        user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
    )


def test_the_preview_takes_out_the_person_their_alias_and_their_mother(
    world: Any, decision: Any
) -> None:
    draft = services.advice_request_create(user=world.practitioner_a, decision=decision, text=TEXT)
    assert draft.status == Status.DRAFT and draft.person_id == decision.person_id
    assert draft.redacted_text == (
        "[NAME 1] (born [DATE OF BIRTH], NHS [NHS NUMBER]) came in with bruises. [NAME 1]'s "
        "mum [NAME 2] says she fell at [ADDRESS 1]. [NAME 1] is scared. Should I refer "
        "without consent?"
    )
    assert draft.replaced_kinds == {"address": 1, "date_of_birth": 1, "name": 4, "nhs_number": 1}
    # Only the practitioner's own draft holds their words.
    assert draft.draft_text == TEXT


def test_a_term_added_at_review_is_taken_out_too(world: Any, decision: Any) -> None:
    draft = services.advice_request_create(
        user=world.practitioner_a, decision=decision, text=TEXT + " She goes to Brownies."
    )
    assert "Brownies" in draft.redacted_text
    draft = services.advice_request_review(
        user=world.practitioner_a, advice_request=draft, extra_terms=["Brownies"]
    )
    assert "Brownies" not in draft.redacted_text
    assert draft.redacted_text.endswith("She goes to [REDACTED 1].")


def test_sending_keeps_only_the_redacted_text(world: Any, decision: Any) -> None:
    sent = _sent(world, decision)
    assert sent.status == Status.SENT and sent.sent_at is not None
    assert sent.draft_text == "" and sent.extra_terms == []
    stored = AdviceRequest.objects.get(pk=sent.pk)
    for identifier in IDENTIFIERS:
        assert identifier not in stored.redacted_text
    # Not in any column, decrypted or as stored, nor in the audit log.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM advice_advicerequest WHERE id = %s", [sent.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    details = " ".join(str(e.details) for e in AuditEntry.objects.all())
    for identifier in IDENTIFIERS:
        assert identifier not in raw and identifier not in details
    assert "[NAME 1]" not in raw, "the redacted text is stored encrypted"


def test_a_redaction_changed_since_review_is_not_sent(
    world: Any, decision: Any, helen: Person
) -> None:
    draft = services.advice_request_create(
        user=world.practitioner_a, decision=decision, text="Ask about Bubbles please."
    )
    Alias.objects.create(person=helen, name="Bubbles")
    with pytest.raises(ServiceError) as refused:
        services.advice_request_send(
            user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
        )
    assert refused.value.field == "reviewed_text"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_who_sees_a_request(world: Any, decision: Any) -> None:
    draft = services.advice_request_create(user=world.practitioner_a, decision=decision, text=TEXT)
    # A draft is the practitioner's alone.
    for someone in (world.lead_a, world.auditor_a, world.manager_a, world.practitioner_b):
        with pytest.raises(NotFound):
            advice_request_get_for_user(user=someone, advice_id=draft.pk)
    assert list(advice_requests_to_answer(user=world.lead_a)) == []
    sent = services.advice_request_send(
        user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
    )
    for reader in (world.practitioner_a, world.lead_a, world.auditor_a):
        assert advice_request_get_for_user(user=reader, advice_id=sent.pk) == sent
    for stranger in (world.manager_a, world.practitioner_b, world.admin, world.outsider):
        with pytest.raises(NotFound):
            advice_request_get_for_user(user=stranger, advice_id=sent.pk)
    assert list(advice_requests_to_answer(user=world.lead_a)) == [sent]
    assert list(advice_requests_to_answer(user=world.practitioner_b)) == []


def test_another_agency_cannot_ask_about_our_decision(world: Any, decision: Any) -> None:
    with pytest.raises(NotFound):
        services.advice_request_create(user=world.practitioner_b, decision=decision, text=TEXT)
    with pytest.raises(PermissionDenied):
        services.advice_request_create(user=world.auditor_a, decision=decision, text=TEXT)


def test_only_a_lead_answers_and_only_once(world: Any, decision: Any) -> None:
    sent = _sent(world, decision)
    for refused in (world.practitioner_a, world.auditor_a):
        with pytest.raises(PermissionDenied):
            services.advice_request_answer(user=refused, advice_request=sent, answer="Refer")
    with pytest.raises(NotFound):
        services.advice_request_answer(user=world.manager_a, advice_request=sent, answer="x")
    with pytest.raises(ServiceError, match="Enter your advice"):
        services.advice_request_answer(user=world.lead_a, advice_request=sent, answer=" ")
    Membership.objects.filter(user=world.lead_a).update(lead_title="named_nurse")
    answered = services.advice_request_answer(
        user=world.lead_a, advice_request=sent, answer="Refer to children's social care now."
    )
    assert answered.status == Status.ANSWERED and answered.answered_as == "Named nurse"
    with pytest.raises(ServiceError, match="already been answered"):
        services.advice_request_answer(user=world.lead_a, advice_request=sent, answer="Again")


def test_a_request_cannot_be_sent_where_the_agency_has_no_lead(world: Any, helen: Any) -> None:
    Membership.objects.filter(role=Role.SAFEGUARDING_LEAD).delete()
    draft = services.advice_request_create(user=world.practitioner_a, person=helen, text=TEXT)
    with pytest.raises(ServiceError) as refused:
        services.advice_request_send(
            user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
        )
    assert refused.value.field == "agency"


def test_the_outcome_needs_a_reason_unless_the_advice_was_followed(
    world: Any, decision: Any
) -> None:
    sent = _sent(world, decision)
    with pytest.raises(ServiceError, match="once the advice has been given"):
        services.advice_outcome_record(
            user=world.practitioner_a, advice_request=sent, outcome="followed"
        )
    services.advice_request_answer(user=world.lead_a, advice_request=sent, answer="Refer now.")
    with pytest.raises(ServiceError) as missing:
        services.advice_outcome_record(
            user=world.practitioner_a, advice_request=sent, outcome="not_followed"
        )
    assert missing.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.advice_outcome_record(user=world.lead_a, advice_request=sent, outcome="followed")
    closed = services.advice_outcome_record(
        user=world.practitioner_a,
        advice_request=sent,
        outcome="not_followed",
        reason="Mum agreed to a referral herself the same day.",
    )
    assert closed.status == Status.CLOSED and closed.outcome_at is not None


def test_the_advice_is_copied_into_a_draft_decision_through_its_service(
    world: Any, decision: Any
) -> None:
    sent = _sent(world, decision)
    services.advice_request_answer(user=world.lead_a, advice_request=sent, answer="Refer now.")
    services.advice_outcome_record(
        user=world.practitioner_a, advice_request=sent, outcome="followed"
    )
    revision = decision.revision
    decision = services.advice_request_copy_to_decision(
        user=world.practitioner_a, advice_request=sent
    )
    assert decision.advice_from == "Safeguarding lead: lead_a"
    assert decision.advice_given == "Refer now.\n\nOutcome: Advice followed"
    assert decision.revision == revision + 1
    assert AuditEntry.objects.filter(verb="decision.details", object_id=str(decision.pk)).exists()


def test_a_signed_decision_is_not_changed_by_copying(world: Any, helen: Person) -> None:
    decision = decision_services.decision_start(
        user=world.practitioner_a, person=helen, purpose="Refer", pack_id="hmg-2008"
    )
    decision = decision_services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=HELEN_2008_ANSWERS
    )
    decision = decision_services.decision_details_update(
        user=world.practitioner_a, decision=decision, details=SIGNING_DETAILS
    )
    draft = services.advice_request_create(user=world.practitioner_a, decision=decision, text=TEXT)
    decision = decision_services.decision_sign(user=world.practitioner_a, decision=decision)
    sent = services.advice_request_send(
        user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
    )
    services.advice_request_answer(user=world.lead_a, advice_request=sent, answer="Refer now.")
    with pytest.raises(ServiceError) as refused:
        services.advice_request_copy_to_decision(user=world.practitioner_a, advice_request=sent)
    assert refused.value.field == "decision"
    # The advice still shows with the signed decision, to anyone who reads it.
    assert list(advice_requests_for_decision(user=world.manager_a, decision=decision)) == [sent]


def test_a_lead_cannot_answer_their_own_request(world: Any, helen: Person) -> None:
    second_lead = member(world.agency_a, Role.SAFEGUARDING_LEAD)
    draft = services.advice_request_create(user=world.lead_a, person=helen, text=TEXT)
    sent = services.advice_request_send(
        user=world.lead_a, advice_request=draft, reviewed_text=draft.redacted_text
    )
    with pytest.raises(PermissionDenied):
        services.advice_request_answer(user=world.lead_a, advice_request=sent, answer="Refer")
    services.advice_request_answer(user=second_lead, advice_request=sent, answer="Refer")


def test_a_draft_can_be_discarded_with_its_words(world: Any, decision: Any) -> None:
    draft = services.advice_request_create(user=world.practitioner_a, decision=decision, text=TEXT)
    services.advice_request_discard(user=world.practitioner_a, advice_request=draft)
    assert not AdviceRequest.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(verb="advice.discard").exists()
