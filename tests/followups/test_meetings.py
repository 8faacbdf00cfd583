"""Multi-agency meetings: the people discussed, what each attendee shared, the actions
agreed about each person, and an action that becomes a follow-up (003 case example 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.followups import selectors, services
from sharewise.followups.services import ActionEntry, AttendeeEntry, ContributionEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world, person):
    sister = PersonFactory(
        agency=world.agency_a, created_by=world.practitioner_a, given_name="Jenny"
    )
    return person, sister


def jag(world, people):
    jack, jenny = people
    return services.meeting_record(
        user=world.practitioner_a,
        kind="joint_action_group",
        held_on=timezone.localdate() - dt.timedelta(days=1),
        chair="Local authority representative",
        people=[jack, jenny],
        attendees=[
            AttendeeEntry(name="PC Patel", role="Police officer", agency=world.agency_b),
            AttendeeEntry(name="Ann Smith", role="Housing officer", agency_name="Housing trust"),
        ],
        contributions=[
            ContributionEntry(
                attendee=0, text="Picked up twice for truanting", kind="fact", person=jack
            ),
            ContributionEntry(attendee=1, text="The family seems overwhelmed", kind="opinion"),
        ],
        actions=[
            ActionEntry(person=jack, action="Assess Jack's needs", owner_name="Social worker"),
            ActionEntry(
                person=jenny,
                action="Ask the school about attendance",
                owner_name="Ann Smith",
                due_on=timezone.localdate() + dt.timedelta(days=7),
            ),
        ],
    )


def test_a_meeting_ties_each_action_to_a_person_discussed(world, family) -> None:
    jack, jenny = family
    meeting = jag(world, family)
    read = selectors.meeting_get_for_user(user=world.auditor_a, meeting_id=meeting.pk)
    assert set(read.people.all()) == {jack, jenny}
    assert [(a.person, a.owner_name) for a in read.actions.all()] == [
        (jack, "Social worker"),
        (jenny, "Ann Smith"),
    ]
    shared = list(read.contributions.all())
    assert [(c.attendee.name, c.kind, c.person) for c in shared] == [
        ("PC Patel", "fact", jack),
        ("Ann Smith", "opinion", None),
    ]
    assert [a.agency_label for a in read.attendees.all()] == ["Northtown Police", "Housing trust"]
    assert list(selectors.meetings_for_person(user=world.lead_a, person=jenny)) == [meeting]


def test_an_action_must_be_about_someone_discussed(world, family) -> None:
    jack, _ = family
    stranger = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    meeting = services.meeting_record(
        user=world.practitioner_a,
        kind="professionals_meeting",
        held_on=timezone.localdate(),
        chair="Chair",
        people=[jack],
    )
    with pytest.raises(ServiceError) as caught:
        services.meeting_action_agree(
            user=world.practitioner_a,
            meeting=meeting,
            action=ActionEntry(person=stranger, action="Visit", owner_name="Bo"),
        )
    assert caught.value.field == "person"
    with pytest.raises(ServiceError) as caught:
        services.meeting_record(
            user=world.practitioner_a,
            kind="marac",
            held_on=timezone.localdate(),
            chair="Chair",
            people=[jack],
            actions=[ActionEntry(person=stranger, action="Visit", owner_name="Bo")],
        )
    assert caught.value.field == "actions.0.person"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "coffee"}, "kind"),
        ({"chair": ""}, "chair"),
        ({"held_on": None}, "held_on"),
        ({"people": []}, "people"),
    ],
)
def test_a_meeting_record_must_be_complete(world, person, change, field) -> None:
    arguments = {
        "kind": "marac",
        "held_on": timezone.localdate(),
        "chair": "Chair",
        "people": [person],
        **change,
    }
    with pytest.raises(ServiceError) as caught:
        services.meeting_record(user=world.practitioner_a, **arguments)
    assert caught.value.field == field


def test_a_meeting_cannot_discuss_another_agencys_people(world, person) -> None:
    theirs = PersonFactory(agency=world.agency_b, created_by=world.practitioner_b)
    with pytest.raises(ServiceError) as caught:
        services.meeting_record(
            user=world.practitioner_a,
            kind="marac",
            held_on=timezone.localdate(),
            chair="Chair",
            people=[person, theirs],
        )
    assert caught.value.field == "people"


def test_other_agencies_see_nothing_of_the_meeting(world, family) -> None:
    meeting = jag(world, family)
    # The police attended, but the record is the recording agency's (003 3.15).
    for outsider in (world.practitioner_b, world.admin, world.outsider):
        with pytest.raises(NotFound):
            selectors.meeting_get_for_user(user=outsider, meeting_id=meeting.pk)
        assert not selectors.meetings_for_user(user=outsider).exists()
        with pytest.raises(NotFound):
            services.meeting_attendee_add(
                user=outsider,
                meeting=meeting,
                attendee=AttendeeEntry(name="x", role="y", agency_name="z"),
            )
    with pytest.raises(PermissionDenied):
        services.meeting_attendee_add(
            user=world.auditor_a,
            meeting=meeting,
            attendee=AttendeeEntry(name="x", role="y", agency_name="z"),
        )


def test_an_action_becomes_a_follow_up(world, family) -> None:
    meeting = jag(world, family)
    action = meeting.actions.get(person=family[1])
    followup = services.followup_agree(
        user=world.practitioner_a,
        meeting_action=action,
        interval_days=None,
        first_due=action.due_on,
        trigger="Refer if attendance falls below 80%",
        owner=world.lead_a,
    )
    assert (followup.person, followup.next_due, followup.decision) == (
        family[1],
        action.due_on,
        None,
    )
    with pytest.raises(ServiceError):
        services.followup_agree(
            user=world.practitioner_a,
            meeting_action=action,
            interval_days=7,
            trigger="again",
        )
