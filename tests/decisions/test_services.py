"""The decision services: the one write path for the web, the API and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.services import consent_record
from sharewise.decisions import services
from sharewise.decisions.models import Decision, Status
from sharewise.decisions.selectors import chronology_for_person, decision_get_for_user
from sharewise.people.services import competence_assess
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db

HELEN_2008 = [
    {"purpose": "yes"},
    {"legal_requirement": "none"},
    {"identifiable": "yes"},
    {"confidential": "yes"},
    {"consent": "refused"},
    {"child_harm": "reasonable_cause"},
    {"reasons_not_to_seek_consent": []},
]


@pytest.fixture
def world():
    return personas()


def _helen(world):
    return PersonFactory(agency=world.agency_a, given_name="Helen", created_by=world.practitioner_a)


def _start(world, person, pack_id="hmg-2008"):
    return services.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient="children's social care",
        information=["bruising seen on admission"],
        pack_id=pack_id,
    )


def test_helen_from_start_to_signed(world) -> None:
    decision = _start(world, _helen(world))
    assert decision.outcome == "ask" and decision.status == Status.DRAFT
    for answers in HELEN_2008:
        decision = services.decision_answer(
            user=world.practitioner_a, decision=decision, answers=answers
        )
    assert (decision.outcome, decision.basis, decision.refer_now, decision.inform_subject) == (
        "share",
        "public_interest",
        True,
        "yes",
    )
    assert [step["question"] for step in decision.trace][-1] == "reasons_not_to_seek_consent"
    with pytest.raises(ServiceError) as missing:
        services.decision_sign(user=world.practitioner_a, decision=decision)
    assert missing.value.field == "article6_basis"
    decision = services.decision_details_update(
        user=world.practitioner_a,
        decision=decision,
        details={
            "article6_basis": "public_task",
            "special_category_condition": "safeguarding",
            "paragraph18_reason": "would_prejudice_protection",
            "person_told": "yes",
        },
    )
    signed = services.decision_sign(user=world.practitioner_a, decision=decision)
    assert signed.status == Status.SIGNED and signed.signed_by == world.practitioner_a
    assert signed.pack_hash.startswith("sha256:")
    assert list(signed.facts) == [step["question"] for step in signed.trace]
    # A signed decision is never edited.
    with pytest.raises(ServiceError) as locked:
        services.decision_answer(
            user=world.practitioner_a, decision=signed, answers={"purpose": "no"}
        )
    assert locked.value.field == "status"


def test_a_correction_is_a_new_version_that_keeps_the_old(world) -> None:
    decision = _start(world, _helen(world))
    for answers in HELEN_2008:
        decision = services.decision_answer(
            user=world.practitioner_a, decision=decision, answers=answers
        )
    decision = services.decision_details_update(
        user=world.practitioner_a,
        decision=decision,
        details={
            "article6_basis": "public_task",
            "special_category_condition": "not_special",
            "person_told": "not_yet",
        },
    )
    signed = services.decision_sign(user=world.practitioner_a, decision=decision)
    correction = services.decision_correct(user=world.lead_a, decision=signed)
    assert (correction.version, correction.corrects_id, correction.status) == (
        2,
        signed.pk,
        Status.DRAFT,
    )
    assert Decision.objects.get(pk=signed.pk).status == Status.SIGNED
    with pytest.raises(ServiceError):
        services.decision_correct(user=world.lead_a, decision=signed)


def test_a_judgement_needs_reasons(world) -> None:
    decision = _start(world, _helen(world))
    for answers in HELEN_2008[:5]:
        decision = services.decision_answer(
            user=world.practitioner_a, decision=decision, answers=answers
        )
    for answers in ({"child_harm": "concern"}, {"adult_harm": "none"}, {"serious_crime": "no"}):
        decision = services.decision_answer(
            user=world.practitioner_a, decision=decision, answers=answers
        )
    with pytest.raises(ServiceError) as caught:
        services.decision_answer(
            user=world.practitioner_a,
            decision=decision,
            answers={"public_interest": "insufficient"},
        )
    assert caught.value.field == "reasons.public_interest"
    decision = services.decision_answer(
        user=world.practitioner_a,
        decision=decision,
        answers={"public_interest": "insufficient"},
        reasons={"public_interest": "Small benefit; mother accepting support."},
        proportionality=[{"question": "Is the risk imminent?", "answer": "No"}],
    )
    assert decision.outcome == "do_not_share"
    assert decision.proportionality == [{"question": "Is the risk imminent?", "answer": "No"}]


def test_two_people_editing_one_draft(world) -> None:
    decision = _start(world, _helen(world))
    opened = decision.revision
    services.decision_answer(
        user=world.practitioner_a, decision=decision, answers={"purpose": "yes"}, revision=opened
    )
    with pytest.raises(ServiceError) as conflict:
        services.decision_answer(
            user=world.lead_a, decision=decision, answers={"purpose": "no"}, revision=opened
        )
    assert conflict.value.field == "revision"
    assert Decision.objects.get(pk=decision.pk).facts["purpose"] == "yes"


def test_consent_is_answered_from_the_records(world) -> None:
    helen = _helen(world)
    competence_assess(
        user=world.practitioner_a, person=helen, criteria_met=[False] * 8, competent=False
    )
    consent_record(
        user=world.practitioner_a,
        person=helen,
        given_by="parent",
        party="mother",
        response="refused",
        given_at=timezone.now() - dt.timedelta(hours=1),
    )
    decision = _start(world, helen)
    assert decision.facts["consent"] == "refused"
    assert decision.consent_source["whose"] == "parent"
    assert "3.26" in decision.consent_source["citations"]
    entries = chronology_for_person(user=world.practitioner_a, person=helen)
    assert [e.kind for e in entries] == ["decision", "consent"]


def test_agencies_see_only_their_own_records(world) -> None:
    decision = _start(world, _helen(world))
    assert decision_get_for_user(user=world.auditor_a, decision_id=decision.pk) == decision
    for outsider in (world.practitioner_b, world.outsider, world.admin):
        with pytest.raises(NotFound):
            decision_get_for_user(user=outsider, decision_id=decision.pk)
    with pytest.raises(NotFound):
        services.decision_answer(
            user=world.practitioner_b, decision=decision, answers={"purpose": "yes"}
        )
    with pytest.raises(PermissionDenied):
        services.decision_answer(
            user=world.auditor_a, decision=decision, answers={"purpose": "yes"}
        )


def test_bad_answers_name_the_field(world) -> None:
    decision = _start(world, _helen(world))
    with pytest.raises(ServiceError) as caught:
        services.decision_answer(
            user=world.practitioner_a, decision=decision, answers={"purpose": "maybe"}
        )
    assert caught.value.field == "purpose"
