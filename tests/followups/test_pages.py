"""The pages: agree a follow-up from the decision page, record a contact, stop; the
follow-ups due and overdue; record a meeting and what was agreed at it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.followups import services
from sharewise.followups.models import FollowUp, FollowUpStatus, Meeting
from tests.factories import PersonFactory

from .conftest import decision_started_on, fortnightly

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(sign_in):
    def make(user):
        client = Client()
        sign_in(client, user)
        return client

    return make


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_a_follow_up_is_agreed_from_the_decision_page(world, signed, client_as) -> None:
    client = client_as(world.practitioner_a)
    page = client.get(f"/decisions/{signed.pk}/").content.decode()
    assert "Agree a follow-up" in page and f"/decisions/{signed.pk}/followups/new/" in page

    response = client.post(
        f"/decisions/{signed.pk}/followups/new/",
        {
            "how_often": "14",
            "owner": "lead_a",
            "agencies_involved": "Health visiting\nRiverside Primary School",
            "trigger": "Refer if the children's care does not improve",
        },
    )
    followup = FollowUp.objects.get()
    assert response.status_code == 302 and response.url == f"/followups/{followup.pk}/"
    assert followup.owner == world.lead_a
    assert followup.agencies_involved == ["Health visiting", "Riverside Primary School"]
    page = client.get(f"/decisions/{signed.pk}/").content.decode()
    assert f"/followups/{followup.pk}/" in page and "Every 14 days (fortnightly)" in page


def test_the_form_shows_what_is_missing(world, signed, client_as) -> None:
    response = client_as(world.practitioner_a).post(
        f"/decisions/{signed.pk}/followups/new/", {"how_often": "once", "trigger": ""}
    )
    assert response.status_code == 400
    assert "Enter the date of the follow-up" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_recording_a_contact_and_stopping(world, signed, client_as) -> None:
    followup = fortnightly(world, signed)
    client = client_as(world.practitioner_a)
    today = timezone.localdate()
    response = client.post(
        f"/followups/{followup.pk}/contact/",
        {"with_whom": "Class teacher", "findings": "Jack is eating breakfast club"},
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.next_due == today + dt.timedelta(days=14)
    page = client.get(f"/followups/{followup.pk}/").content.decode()
    assert "Jack is eating breakfast club" in page and "Class teacher" in page

    assert client.post(f"/followups/{followup.pk}/stop/", {"reason": ""}).status_code == 400
    client.post(f"/followups/{followup.pk}/stop/", {"reason": "Care has improved"})
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.STOPPED
    assert "Care has improved" in client.get(f"/followups/{followup.pk}/").content.decode()


def test_the_list_shows_the_overdue_first_with_a_banner_for_the_owner(
    world, person, client_as, django_assert_max_num_queries
) -> None:
    today = timezone.localdate()
    decision = decision_started_on(world, person, today - dt.timedelta(days=40))
    others = [
        PersonFactory(agency=world.agency_a, created_by=world.practitioner_a) for _ in range(3)
    ]
    soon = fortnightly(world, decision, interval_days=None, first_due=today + dt.timedelta(days=2))
    late = fortnightly(world, decision, interval_days=None, first_due=today - dt.timedelta(days=5))
    for other in others:
        services.followup_agree(
            user=world.lead_a,
            decision=decision_started_on(world, other, today - dt.timedelta(days=40)),
            interval_days=None,
            first_due=today - dt.timedelta(days=1),
            owner=world.lead_a,
            trigger="Refer",
        )
    client = client_as(world.practitioner_a)
    # The session, the user and their agencies; how many follow-ups there are, a page of
    # them with their people and owners in one query, how many are overdue, the owner's
    # overdue count, how many reminders they have and a page of them; 3 for the audit entry
    # of the read. The same however many follow-ups there are.
    with django_assert_max_num_queries(14):
        response = client.get("/followups/")
    page = response.content.decode()
    assert page.index(f"/followups/{late.pk}/") < page.index(f"/followups/{soon.pk}/")
    assert "1 follow-up you own is overdue" in page
    assert "4 overdue" in page
    lead_page = client_as(world.lead_a).get("/followups/").content.decode()
    assert "3 follow-ups you own are overdue" in lead_page
    # Another agency's practitioner sees none of it.
    theirs = client_as(world.practitioner_b).get("/followups/").content.decode()
    assert f"/followups/{late.pk}/" not in theirs and "Nothing is due" in theirs


def test_a_meeting_is_recorded_from_the_person_page(world, person, client_as) -> None:
    client = client_as(world.practitioner_a)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f"/people/{person.pk}/meetings/new/" in page
    today = timezone.localdate()
    response = client.post(
        f"/people/{person.pk}/meetings/new/",
        {"kind": "strategy_discussion", "chair": "Team manager", **_date("held_on", today)},
    )
    meeting = Meeting.objects.get()
    assert response.url == f"/meetings/{meeting.pk}/"
    client.post(
        f"/meetings/{meeting.pk}/attendees/",
        {"name": "PC Patel", "role": "Police officer", "agency": str(world.agency_b.pk)},
    )
    attendee = meeting.attendees.get()
    client.post(
        f"/meetings/{meeting.pk}/contributions/",
        {"attendee": str(attendee.pk), "kind": "fact", "text": "Called out twice", "person": ""},
    )
    client.post(
        f"/meetings/{meeting.pk}/actions/",
        {"person": str(person.pk), "action": "Home visit within a week", "owner_name": "Bo"},
    )
    action = meeting.actions.get()
    assert action.person == person
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    for seen in ("PC Patel", "Northtown Police", "Called out twice", "Home visit within a week"):
        assert seen in page
    response = client.post(
        f"/meetings/{meeting.pk}/actions/{action.pk}/followup/",
        {"how_often": "once", "trigger": "Refer if no access", **_date("first_due", today)},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().meeting_action == action
    assert "Strategy discussion" in client.get(f"/people/{person.pk}/").content.decode()
    # The police officer at the table does not see the school's record of it (3.15).
    assert client_as(world.practitioner_b).get(f"/meetings/{meeting.pk}/").status_code == 404


def test_an_action_about_nobody_discussed_is_refused(world, person, client_as) -> None:
    meeting = services.meeting_record(
        user=world.practitioner_a,
        kind="marac",
        held_on=timezone.localdate(),
        chair="Chair",
        people=[person],
    )
    stranger = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    response = client_as(world.practitioner_a).post(
        f"/meetings/{meeting.pk}/actions/",
        {"person": str(stranger.pk), "action": "Visit", "owner_name": "Bo"},
    )
    assert response.status_code == 400
    assert "Choose one of the people discussed" in response.content.decode()
    assert not meeting.actions.exists()
