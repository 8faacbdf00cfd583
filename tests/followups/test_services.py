"""Follow-ups: due dates, history, stopping, and who may do what (003 case example 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.followups import selectors, services
from sharewise.followups.models import FollowUpStatus

from .conftest import decision_started_on, fortnightly

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 5)


def test_fortnightly_is_due_fourteen_days_after_the_decision(world, person) -> None:
    decision = decision_started_on(world, person, DAY)
    followup = fortnightly(world, decision)
    assert followup.next_due == dt.date(2026, 1, 19)
    assert followup.owner == world.practitioner_a
    assert followup.status == FollowUpStatus.ACTIVE


def test_the_signed_date_counts_for_a_signed_decision(world, signed) -> None:
    followup = fortnightly(world, signed)
    assert followup.next_due == timezone.localdate(signed.signed_at) + dt.timedelta(days=14)


def test_recording_a_contact_advances_the_due_date_from_the_contact(world, person) -> None:
    followup = fortnightly(world, decision_started_on(world, person, DAY))
    # Conferred a day late: the next is a fortnight after the conversation, not the plan.
    first = services.followup_record_contact(
        user=world.lead_a,
        followup=followup,
        contacted_on=dt.date(2026, 1, 20),
        with_whom="Jack's class teacher",
        findings="Jack arrives on time; still hungry at lunch",
    )
    followup.refresh_from_db()
    assert followup.next_due == dt.date(2026, 2, 3)
    assert (first.was_due, first.next_due) == (dt.date(2026, 1, 19), dt.date(2026, 2, 3))
    assert first.made_by == world.lead_a

    second = services.followup_record_contact(
        user=world.practitioner_a,
        followup=followup,
        contacted_on=dt.date(2026, 2, 2),
        findings="Improving",
        next_due=dt.date(2026, 3, 2),
    )
    followup.refresh_from_db()
    assert followup.next_due == dt.date(2026, 3, 2)
    # Each contact is a row: the history, newest first.
    assert list(selectors.followup_contacts(followup=followup)) == [second, first]


def test_a_contact_entered_late_does_not_move_the_schedule_back(world, person) -> None:
    followup = fortnightly(world, decision_started_on(world, person, DAY))
    services.followup_record_contact(
        user=world.practitioner_a, followup=followup, contacted_on=dt.date(2026, 2, 1), findings="a"
    )
    services.followup_record_contact(
        user=world.practitioner_a,
        followup=followup,
        contacted_on=dt.date(2026, 1, 20),
        findings="b",
    )
    followup.refresh_from_db()
    assert followup.next_due == dt.date(2026, 2, 15)


def test_a_single_date_is_complete_once_its_contact_is_recorded(world, person) -> None:
    decision = decision_started_on(world, person, DAY)
    followup = fortnightly(world, decision, interval_days=None, first_due=dt.date(2026, 2, 1))
    assert followup.next_due == dt.date(2026, 2, 1)
    services.followup_record_contact(
        user=world.practitioner_a,
        followup=followup,
        contacted_on=dt.date(2026, 2, 1),
        findings="ok",
    )
    followup.refresh_from_db()
    assert (followup.status, followup.next_due) == (FollowUpStatus.COMPLETED, None)
    with pytest.raises(ServiceError) as caught:
        services.followup_record_contact(
            user=world.practitioner_a,
            followup=followup,
            contacted_on=dt.date(2026, 2, 2),
            findings="again",
        )
    assert caught.value.field == "status"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"interval_days": None}, "first_due"),
        ({"interval_days": 0}, "interval_days"),
        ({"interval_days": 14, "first_due": dt.date(2026, 1, 1)}, "first_due"),
        ({"interval_days": 14, "trigger": "  "}, "trigger"),
    ],
)
def test_an_arrangement_must_be_complete(world, person, kwargs, field) -> None:
    decision = decision_started_on(world, person, DAY)
    arguments = {"trigger": "Refer if no improvement", **kwargs}
    with pytest.raises(ServiceError) as caught:
        services.followup_agree(user=world.practitioner_a, decision=decision, **arguments)
    assert caught.value.field == field


def test_the_owner_must_record_in_the_agency(world, signed) -> None:
    with pytest.raises(ServiceError) as caught:
        fortnightly(world, signed, owner=world.practitioner_b)
    assert caught.value.field == "owner"
    with pytest.raises(ServiceError):
        fortnightly(world, signed, owner=world.auditor_a)
    assert fortnightly(world, signed, owner=world.lead_a).owner == world.lead_a


def test_a_contact_cannot_be_in_the_future_and_needs_findings(world, signed) -> None:
    followup = fortnightly(world, signed)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ServiceError) as caught:
        services.followup_record_contact(
            user=world.practitioner_a, followup=followup, contacted_on=tomorrow, findings="x"
        )
    assert caught.value.field == "contacted_on"
    with pytest.raises(ServiceError) as caught:
        services.followup_record_contact(
            user=world.practitioner_a,
            followup=followup,
            contacted_on=timezone.localdate(),
            findings="",
        )
    assert caught.value.field == "findings"


def test_stopping_keeps_the_follow_up_and_its_reason(world, signed) -> None:
    followup = fortnightly(world, signed)
    with pytest.raises(ServiceError):
        services.followup_stop(user=world.practitioner_a, followup=followup, reason="")
    services.followup_stop(
        user=world.manager_a, followup=followup, reason="The children's care has improved"
    )
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.STOPPED
    assert followup.stopped_by == world.manager_a
    assert followup.stopped_reason == "The children's care has improved"
    assert followup.next_due is None
    assert AuditEntry.objects.filter(verb="followup.stop", object_id=str(followup.pk)).exists()


def test_the_trigger_and_findings_are_encrypted_at_rest(world, signed) -> None:
    followup = fortnightly(world, signed)
    services.followup_record_contact(
        user=world.practitioner_a,
        followup=followup,
        contacted_on=timezone.localdate(),
        findings="Mother's depression is worse",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT trigger FROM followups_followup WHERE id = %s", [followup.pk])
        (stored_trigger,) = cursor.fetchone()
        cursor.execute("SELECT findings FROM followups_followupcontact")
        (stored_findings,) = cursor.fetchone()
    assert stored_trigger.startswith("enc:") and "social care" not in stored_trigger
    assert stored_findings.startswith("enc:") and "depression" not in stored_findings


def test_another_agency_sees_nothing_and_an_auditor_only_reads(world, signed) -> None:
    followup = fortnightly(world, signed)
    today = timezone.localdate()
    outsider = world.practitioner_b
    with pytest.raises(NotFound):
        selectors.followup_get_for_user(user=outsider, followup_id=followup.pk)
    assert not selectors.followups_for_user(user=outsider, today=today).exists()
    with pytest.raises(NotFound):
        services.followup_agree(
            user=outsider, decision=signed, interval_days=14, trigger="Refer if no change"
        )
    with pytest.raises(NotFound):
        services.followup_record_contact(
            user=outsider, followup=followup, contacted_on=today, findings="x"
        )
    with pytest.raises(NotFound):
        services.followup_stop(user=world.admin, followup=followup, reason="x")
    assert selectors.followup_get_for_user(user=world.auditor_a, followup_id=followup.pk)
    with pytest.raises(PermissionDenied):
        services.followup_stop(user=world.auditor_a, followup=followup, reason="x")


def test_the_overdue_come_first(world, person) -> None:
    today = timezone.localdate()
    decision = decision_started_on(world, person, today - dt.timedelta(days=30))
    due = [today + dt.timedelta(days=5), today - dt.timedelta(days=3), today - dt.timedelta(days=1)]
    made = [
        fortnightly(world, decision, interval_days=None, first_due=day, owner=world.lead_a)
        for day in due
    ]
    fortnightly(world, decision, interval_days=None, first_due=today + dt.timedelta(days=20))
    listed = list(selectors.followups_for_user(user=world.manager_a, today=today, due_within=7))
    assert [f.pk for f in listed] == [made[1].pk, made[2].pk, made[0].pk]
    overdue = selectors.followups_for_user(user=world.manager_a, today=today, overdue=True)
    assert [f.pk for f in overdue] == [made[1].pk, made[2].pk]
    assert selectors.followups_overdue_count_for_owner(user=world.lead_a, today=today) == 2
    assert selectors.followups_overdue_count_for_owner(user=world.practitioner_a, today=today) == 0
