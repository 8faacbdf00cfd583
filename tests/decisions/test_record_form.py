"""The record form agrees with the outcome it records (issue 16): the Article 6 basis is
prefilled from the engine's basis, a contradicting choice is refused with a message
naming the conflict, the special category list has Article 9(2)(h) and Schedule 1
paragraph 6, and recording that a person was told against the guidance needs confirming."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharewise.common import ServiceError
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db

TO_HARM = {"purpose": "yes", "identifiable": "yes", "legal_requirement": "none"}
# 2024: a child at risk of significant harm, shared without consent; the person is not
# told because telling them would increase the risk of harm.
SAFEGUARDING = {
    **TO_HARM,
    "child_harm": "evidence",
    "reasons_not_to_seek_consent": ["increase_risk_of_harm"],
}
# 2024: required by a court order, no harm.
COURT_ORDER = {
    "purpose": "yes",
    "identifiable": "yes",
    "legal_requirement": "court_order",
    "child_harm": "none",
    "adult_harm": "none",
    "reasons_not_to_seek_consent": [],
}


@pytest.fixture
def world():
    return personas()


def _decided(world: Any, answers: dict[str, Any], pack_id: str = "hmg-2024") -> Decision:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = services.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Refer to children's social care",
        pack_id=pack_id,
    )
    return services.decision_answer(user=world.practitioner_a, decision=decision, answers=answers)


def _details(world: Any, decision: Decision, **details: Any) -> Decision:
    return services.decision_details_update(
        user=world.practitioner_a, decision=decision, details=details
    )


def test_the_article6_basis_is_prefilled_from_the_engine(world, sign_in) -> None:
    client = Client()
    sign_in(client, world.practitioner_a)
    must = _decided(world, COURT_ORDER)
    page = client.get(f"/decisions/{must.pk}/outcome/").content.decode()
    assert 'value="legal_obligation" checked' in page
    # Safeguarding is not an Article 6 basis: a public authority is offered its public task.
    shared = _decided(world, SAFEGUARDING)
    page = client.get(f"/decisions/{shared.pk}/outcome/").content.decode()
    assert 'value="public_task" checked' in page


def test_consent_is_refused_as_the_basis_where_consent_was_refused(world) -> None:
    decision = _decided(world, {**SAFEGUARDING, "consent": "refused"})
    with pytest.raises(ServiceError) as refused:
        _details(world, decision, article6_basis="consent")
    assert refused.value.field == "article6_basis"
    assert "consent was refused" in refused.value.message
    decision.refresh_from_db()
    assert decision.article6_basis == ""


def test_consent_is_refused_as_the_basis_of_an_outcome_not_resting_on_it(world) -> None:
    decision = _decided(world, SAFEGUARDING)
    with pytest.raises(ServiceError, match="the outcome does not rest on consent"):
        _details(world, decision, article6_basis="consent")


def test_must_share_needs_a_legal_obligation(world) -> None:
    decision = _decided(world, COURT_ORDER)
    with pytest.raises(ServiceError, match=r"legal obligation \(Article 6\(1\)\(c\)\)"):
        _details(world, decision, article6_basis="public_task")
    assert _details(world, decision, article6_basis="legal_obligation").article6_basis


def test_the_recognised_legitimate_interest_is_refused_to_a_public_authority(world) -> None:
    assert world.agency_a.public_authority
    decision = _decided(world, SAFEGUARDING)
    with pytest.raises(ServiceError, match="not open to a public authority"):
        _details(world, decision, article6_basis="recognised_legitimate_interest")


def test_the_special_category_list_has_health_and_statutory_purposes(world, sign_in) -> None:
    decision = _decided(world, SAFEGUARDING)
    client = Client()
    sign_in(client, world.practitioner_a)
    page = client.get(f"/decisions/{decision.pk}/outcome/").content.decode()
    assert "Article 9(2)(h)" in page and 'value="health_or_social_care"' in page
    assert "Schedule 1 paragraph 6" in page and 'value="statutory_purposes"' in page
    saved = _details(world, decision, special_category_condition="health_or_social_care")
    assert saved.special_category_condition == "health_or_social_care"


def test_the_safeguarding_condition_without_consent_needs_paragraph_18_2s_reason(world) -> None:
    decision = _details(
        world,
        _decided(world, SAFEGUARDING),
        article6_basis="public_task",
        special_category_condition="safeguarding",
        person_told="no",
        person_not_told_reason="Telling the family would put her at risk.",
    )
    fields = [field for field, _ in services.decision_sign_problems(decision)]
    assert fields == ["paragraph18_reason"]


def test_telling_the_person_against_the_guidance_needs_confirming(world, sign_in) -> None:
    decision = _details(
        world,
        _decided(world, SAFEGUARDING),
        article6_basis="public_task",
        special_category_condition="not_special",
        person_told="yes",
    )
    assert decision_problems(decision) == ["person_told_confirmed"]
    with pytest.raises(ServiceError, match="Confirm that they were told"):
        services.decision_sign(user=world.practitioner_a, decision=decision)
    # Through the page: the question is asked, and confirming lets the record be signed.
    client = Client()
    sign_in(client, world.practitioner_a)
    form = {
        "article6_basis": "public_task",
        "special_category_condition": "not_special",
        "person_told": "yes",
        "action": "sign",
        "revision": decision.revision,
    }
    asked = client.post(f"/decisions/{decision.pk}/outcome/", form)
    assert asked.status_code == 400
    assert "The guidance says not to tell the person" in asked.content.decode()
    decision.refresh_from_db()
    signed = client.post(
        f"/decisions/{decision.pk}/outcome/",
        {**form, "person_told_confirmed": "yes", "revision": decision.revision},
    )
    assert signed.status_code == 302
    decision = Decision.objects.filter(person=decision.person).get()
    assert decision.is_signed and decision.person_told_confirmed


def decision_problems(decision: Decision) -> list[str]:
    return [field for field, _ in services.decision_sign_problems(decision)]
