"""Fixtures for follow-ups and meetings: the personas, a child in agency A's records and
a decision about her, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sharewise.decisions import services as decision_services
from sharewise.decisions.models import Decision
from sharewise.followups import services
from sharewise.followups.models import FollowUp
from tests.access.routes import HELEN_2008_ANSWERS, SIGNING_DETAILS
from tests.factories import Personas, PersonFactory, personas


@pytest.fixture
def world(db: None) -> Personas:
    return personas()


@pytest.fixture
def person(world: Personas) -> Any:
    return PersonFactory(agency=world.agency_a, created_by=world.practitioner_a, given_name="Jack")


def decision_started_on(world: Personas, person: Any, day: dt.date) -> Decision:
    """A draft decision started on `day` (a draft's dates may be set; a signed decision's
    may not, the database refuses it)."""
    decision = decision_services.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Share the mother's health information with the school",
        recipient="School",
        pack_id="hmg-2008",
    )
    started = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Decision.objects.filter(pk=decision.pk).update(created_at=started)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def signed(world: Personas, person: Any) -> Decision:
    user = world.practitioner_a
    decision = decision_services.decision_start(
        user=user, person=person, purpose="Refer concerns", recipient="CSC", pack_id="hmg-2008"
    )
    decision = decision_services.decision_answer(
        user=user, decision=decision, answers=HELEN_2008_ANSWERS
    )
    decision = decision_services.decision_details_update(
        user=user, decision=decision, details=SIGNING_DETAILS
    )
    return decision_services.decision_sign(user=user, decision=decision)


def fortnightly(world: Personas, decision: Decision, **kwargs: Any) -> FollowUp:
    """003 case example 3: confer fortnightly, with a view to early action."""
    return services.followup_agree(
        user=world.practitioner_a,
        decision=decision,
        interval_days=kwargs.pop("interval_days", 14),
        agencies_involved=["Health visiting", "Riverside Primary School"],
        trigger="Refer to children's social care if the children's care does not improve",
        **kwargs,
    )
