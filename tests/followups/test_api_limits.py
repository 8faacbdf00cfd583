"""Follow-ups and meetings over the API refuse what they cannot mean, naming the field,
with nothing saved (issue 17, "input limits")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sharewise.followups.models import FollowUp, Meeting
from tests.api.conftest import ApiClient, api_as  # noqa: F401

from .conftest import fortnightly

pytestmark = pytest.mark.django_db
RANGE = "must be a date between the years 1900 and 2100"


def _meeting(api: ApiClient, person: Any, **changes: Any) -> Any:
    body = {
        "kind": "marac",
        "held_on": timezone.localdate().isoformat(),
        "chair": "Police DA coordinator",
        "person_ids": [person.pk],
        "actions": [{"person_id": person.pk, "action": "Safety plan", "owner_name": "Ann"}],
    }
    return api.post("/meetings", body | changes)


def test_a_follow_up_of_both_a_decision_and_a_meeting_action_is_refused(
    world: Any,
    signed: Any,
    person: Any,
    api_as: Any,  # noqa: F811
) -> None:
    api: ApiClient = api_as(world.practitioner_a)
    meeting = _meeting(api, person).json()
    action_id = meeting["actions"][0]["id"]
    response = api.post(
        "/followups",
        {
            "decision_id": signed.pk,
            "meeting_action_id": action_id,
            "interval_days": 14,
            "trigger": "Refer if care does not improve",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "Give the decision_id or the meeting_action_id, not both: a follow-up is "
        "agreed with one decision or one meeting action",
        "field": "meeting_action_id",
    }
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_outside_the_years_a_record_can_mean_are_refused(
    world: Any,
    signed: Any,
    person: Any,
    api_as: Any,  # noqa: F811
    day: str,
) -> None:
    api: ApiClient = api_as(world.practitioner_a)
    response = _meeting(api, person, held_on=day)
    assert response.json() == {"error": f"'held_on': {RANGE}", "field": "held_on"}
    action = {"person_id": person.pk, "action": "Plan", "owner_name": "Ann", "due_on": day}
    response = _meeting(api, person, actions=[action])
    assert response.json()["field"] == "actions.0.due_on"
    assert not Meeting.objects.exists()

    response = api.post(
        "/followups",
        {"decision_id": signed.pk, "interval_days": 14, "first_due": day, "trigger": "x"},
    )
    assert (response.status_code, response.json()["field"]) == (422, "first_due")
    assert not FollowUp.objects.exists()

    followup = fortnightly(world, signed)
    response = api.post(
        f"/followups/{followup.pk}/contacts", {"contacted_on": day, "findings": "Settled"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": f"'contacted_on': {RANGE}", "field": "contacted_on"}
    assert not followup.contacts.exists()
