"""A request for information from the police (agency B) to a GP practice (agency A) about a
child the practice holds a record of, and the way to answer it."""

from __future__ import annotations

from typing import Any

import pytest

from sharewise.decisions import services as decision_services
from sharewise.requests import services
from tests.factories import PersonFactory, personas

# Helen (003 Appendix 3, case 6) under the 2008 questions: ends in sharing without consent.
SHARE_ANSWERS: dict[str, Any] = {
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
# The purpose is not one for which the practice may share: the decision is not to share.
NOT_SHARE_ANSWERS: dict[str, Any] = {"purpose": "no"}


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def child(world: Any) -> Any:
    # What the practice alone knows: a case reference and the address it holds.
    return PersonFactory(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Marsh",
        case_reference="GP-SECRET-4471",
        address="12 Practice Record Lane",
        nhs_number="9434765919",
        created_by=world.practitioner_a,
    )


def send(world: Any, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "user": world.practitioner_b,
        "from_agency": world.agency_b,
        "to_agency": world.agency_a,
        "requester_role": "Detective constable",
        "subject_name": "Helen Marsh",
        "subject_nhs_number": "943 476 5919",
        "information_requested": "Attendance at appointments since January\nInjuries seen",
        "purpose": "A strategy discussion about bruising reported by the school",
        "necessity": "To know whether injuries were seen before",
        "lawful_basis": "UK GDPR Article 6(1)(e); Children Act 2004 section 16H",
    }
    fields.update(overrides)
    who = {name: fields.pop(name) for name in ("user", "from_agency", "to_agency")}
    return services.request_send(**who, details=services.RequestDetails(**fields))


def decide(world: Any, info_request: Any, answers: dict[str, Any], details: bool) -> Any:
    """Start the decision answering `info_request` from it, answer and sign it."""
    decision = services.request_decision_start(
        user=world.practitioner_a, info_request=info_request, pack_id="hmg-2008"
    )
    decision = decision_services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=answers
    )
    if details:
        decision = decision_services.decision_details_update(
            user=world.practitioner_a, decision=decision, details=SIGNING_DETAILS
        )
    return decision_services.decision_sign(user=world.practitioner_a, decision=decision)


def fresh(info_request: Any) -> Any:
    info_request.refresh_from_db()
    return info_request
