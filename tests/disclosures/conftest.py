"""A school, a health visiting team and the police, as in the demo partnership: the teacher
shares from a signed decision with a named health visitor; the police officer must see
nothing of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from sharewise.agencies.models import AgencyKind, Role
from sharewise.consents.services import consent_record
from sharewise.decisions import services as decision_services
from sharewise.disclosures import services
from sharewise.people.services import competence_assess
from tests.factories import AgencyFactory, PersonFactory, member

HELEN_2008 = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
PUBLIC_INTEREST_DETAILS = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}
PURPOSE = "Ask the health visitor to check on the family's baby"


@dataclass
class Partnership:
    school: Any
    health: Any
    police: Any
    teacher: Any
    dsl: Any
    auditor: Any
    hv: Any
    hv_lead: Any
    police_officer: Any
    child: Any


@pytest.fixture
def partnership(db: None) -> Partnership:
    school = AgencyFactory(name="Oakfield Primary School", kind=AgencyKind.SCHOOL)
    health = AgencyFactory(name="Northtown Health Visiting Team", kind=AgencyKind.HEALTH_VISITING)
    police = AgencyFactory(name="Northtown Police", kind=AgencyKind.POLICE)
    teacher = member(school, Role.PRACTITIONER, "teacher")
    teacher.first_name, teacher.last_name = "Priya", "Shah"
    teacher.save()
    hv = member(health, Role.PRACTITIONER, "hv")
    hv.first_name, hv.last_name = "Beth", "Morgan"
    hv.save()
    child = PersonFactory(agency=school, given_name="Amy", family_name="Brown", created_by=teacher)
    return Partnership(
        school=school,
        health=health,
        police=police,
        teacher=teacher,
        dsl=member(school, Role.SAFEGUARDING_LEAD, "dsl"),
        auditor=member(school, Role.AUDITOR, "auditor"),
        hv=hv,
        hv_lead=member(health, Role.SAFEGUARDING_LEAD, "namednurse"),
        police_officer=member(police, Role.PRACTITIONER, "police"),
        child=child,
    )


def signed_decision(
    p: Partnership,
    *,
    answers: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    recipient: str = "Health visiting",
    information: tuple[str, ...] = (),
    purpose: str = PURPOSE,
) -> Any:
    decision = decision_services.decision_start(
        user=p.teacher,
        person=p.child,
        purpose=purpose,
        recipient=recipient,
        information=information,
        pack_id="hmg-2008",
    )
    decision = decision_services.decision_answer(
        user=p.teacher, decision=decision, answers=answers or HELEN_2008
    )
    decision = decision_services.decision_details_update(
        user=p.teacher, decision=decision, details=details or PUBLIC_INTEREST_DETAILS
    )
    return decision_services.decision_sign(user=p.teacher, decision=decision)


def consent_decision(p: Partnership, *, information: tuple[str, ...] = ("attendance",)) -> Any:
    """A decision to share with the mother's consent, scoped to one purpose, the health
    visitor and the kinds of information given."""
    competence_assess(user=p.teacher, person=p.child, criteria_met=[False] * 8, competent=False)
    consent_record(
        user=p.teacher,
        person=p.child,
        given_by="parent",
        party="mother",
        response="given",
        informed_points=["why", "what", "who", "purpose", "implications"],
        purposes=[PURPOSE],
        recipients=["Health visiting"],
        information=list(information),
    )
    return signed_decision(
        p,
        answers={
            "purpose": "yes",
            "legal_requirement": "none",
            "identifiable": "yes",
            "confidential": "yes",
        },
        details={
            "article6_basis": "consent",
            "special_category_condition": "not_special",
            "person_told": "yes",
        },
        information=information,
    )


def item(text: str = "Amy missed 6 days in March", **kwargs: Any) -> services.ItemInput:
    values: dict[str, Any] = {
        "kind": "fact",
        "source": "School attendance register",
        "dated": timezone.localdate() - dt.timedelta(days=3),
    }
    values.update(kwargs)
    return services.ItemInput(text=text, **values)


def send(p: Partnership, decision: Any, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "user": p.teacher,
        "decision": decision,
        "recipient_agency": p.health,
        "recipient_user": p.hv,
        "channel": "sharewise",
        "items": [item()],
    }
    values.update(kwargs)
    return services.disclosure_send(**values)
