"""The follow-ups and meetings part of the access matrix: a fortnightly follow-up agreed
with agency A's signed decision, and a meeting about agency A's person with one attendee
and one action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sharewise.followups import services
from tests.access.routes import World


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def build(world: World) -> dict[str, str]:
    user = world.people.practitioner_a
    followup = services.followup_agree(
        user=user,
        decision=world.signed,
        interval_days=14,
        agencies_involved=["School"],
        trigger="Refer to children's social care if the children's care does not improve",
    )
    meeting = services.meeting_record(
        user=user,
        kind="professionals_meeting",
        held_on=_today(),
        chair="Sam Chair, local authority",
        people=[world.person],
        attendees=[services.AttendeeEntry(name="Ann", role="School nurse", agency_name="School")],
        actions=[
            services.ActionEntry(person=world.person, action="Visit the family", owner_name="Ann")
        ],
    )
    world.extra["followups"] = {
        "followup": followup,
        "meeting": meeting,
        "attendee": meeting.attendees.get(),
        "action": meeting.actions.get(),
    }
    return {
        "followup_id": str(followup.pk),
        "meeting_id": str(meeting.pk),
        "action_id": str(meeting.actions.get().pk),
    }


def _date_parts(name: str) -> dict[str, str]:
    today = _today()
    return {
        f"{name}-day": str(today.day),
        f"{name}-month": str(today.month),
        f"{name}-year": str(today.year),
    }


API_BODIES: dict[str, Callable[[World], Any]] = {
    "followup_create": lambda world: {
        "decision_id": world.signed.pk,
        "interval_days": 14,
        "trigger": "Refer if care does not improve",
    },
    "followup_contact": lambda world: {
        "contacted_on": _today().isoformat(),
        "findings": "Attendance has improved",
    },
    "followup_stop": lambda world: {"reason": "Concerns resolved"},
    "meeting_create": lambda world: {
        "kind": "professionals_meeting",
        "held_on": _today().isoformat(),
        "chair": "Sam Chair",
        "person_ids": [world.person.pk],
    },
}

WEB_FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "followup_new": lambda world: {"how_often": "14", "trigger": "Refer if no improvement"},
    "followup_contact": lambda world: {"findings": "Attendance has improved"},
    "followup_stop": lambda world: {"reason": "Concerns resolved"},
    "meeting_new": lambda world: {
        "kind": "professionals_meeting",
        "chair": "Sam Chair",
        **_date_parts("held_on"),
    },
    "meeting_attendee_add": lambda world: {
        "name": "Bo",
        "role": "Health visitor",
        "agency_name": "Health visiting",
    },
    "meeting_contribution_add": lambda world: {
        "attendee": str(world.extra["followups"]["attendee"].pk),
        "kind": "fact",
        "text": "Missed two appointments",
    },
    "meeting_action_add": lambda world: {
        "person": str(world.person.pk),
        "action": "Offer a home visit",
        "owner_name": "Bo, health visiting",
    },
    "meeting_action_followup": lambda world: {"how_often": "14", "trigger": "Refer if no change"},
}
