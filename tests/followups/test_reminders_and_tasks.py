"""The reminders sweep, and the background jobs that run it through django-tasks."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sharewise.followups import selectors, services, tasks
from sharewise.followups.models import Reminder

from .conftest import decision_started_on, fortnightly

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def due(world, person):
    """One follow-up overdue on TODAY, one due in ten days."""
    decision = decision_started_on(world, person, dt.date(2026, 2, 1))
    overdue = fortnightly(world, decision, interval_days=None, first_due=dt.date(2026, 3, 9))
    later = fortnightly(world, decision, interval_days=None, first_due=dt.date(2026, 3, 20))
    return overdue, later


def test_the_sweep_makes_one_reminder_however_often_it_runs(world, due) -> None:
    overdue, later = due
    assert services.followups_remind_due(today=TODAY) == 1
    assert services.followups_remind_due(today=TODAY) == 0
    assert services.followups_remind_due(today=TODAY + dt.timedelta(days=1)) == 0
    reminder = Reminder.objects.get()
    assert (reminder.followup, reminder.due_on, reminder.owner) == (
        overdue,
        overdue.next_due,
        world.practitioner_a,
    )
    # Three days ahead of its date, the later one is reminded too, once.
    assert services.followups_remind_due(today=dt.date(2026, 3, 17)) == 1
    assert Reminder.objects.filter(followup=later).count() == 1


def test_the_database_refuses_a_second_reminder_for_a_due_date(world, due) -> None:
    services.followups_remind_due(today=TODAY)
    first = Reminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            followup=first.followup, due_on=first.due_on, owner=world.practitioner_a
        )


def test_a_new_due_date_gets_its_own_reminder(world, person) -> None:
    today = timezone.localdate()
    decision = decision_started_on(world, person, today - dt.timedelta(days=20))
    followup = fortnightly(world, decision)  # due six days ago
    assert services.followups_remind_due(today=today) == 1
    assert [r.due_on for r in selectors.reminders_for_owner(user=world.practitioner_a)] == [
        followup.next_due
    ]
    services.followup_record_contact(
        user=world.practitioner_a, followup=followup, contacted_on=today, findings="Seen"
    )
    # The contact answers the reminder; the next due date, 14 days on, is not yet near.
    assert not selectors.reminders_for_owner(user=world.practitioner_a).exists()
    assert services.followups_remind_due(today=today) == 0
    assert services.followups_remind_due(today=today + dt.timedelta(days=12)) == 1
    assert Reminder.objects.filter(followup=followup).count() == 2


def test_a_stopped_follow_up_is_not_reminded(world, due) -> None:
    overdue, _ = due
    services.followup_stop(user=world.practitioner_a, followup=overdue, reason="Closed")
    assert services.followups_remind_due(today=TODAY) == 0


@override_settings(TASKS=IMMEDIATE)
def test_the_task_runs_the_sweep_through_django_tasks(due) -> None:
    result = tasks.followups_remind_due.enqueue(today=TODAY.isoformat())
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    again = tasks.followups_remind_due.enqueue(today=TODAY.isoformat())
    assert again.return_value == 0
    assert Reminder.objects.count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_the_daily_task_runs_every_sweep(due) -> None:
    result = tasks.sweeps_daily.enqueue(today=TODAY.isoformat())
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "sharewise.followups.services.followups_remind_due": 1,
        "sharewise.protocols.services.protocols_flag_due_for_review": 0,
        "sharewise.retention.services.retention_review_due": 0,
        "sharewise.rights.services.subject_access_requests_expire": 0,
    }


def test_the_database_backend_queues_the_sweeps_for_the_worker(due, monkeypatch) -> None:
    # The project's own backend: the job waits in the database until db_worker runs it.
    # The worker recycles database connections between jobs; inside this test's
    # transaction that would close the connection under the test (on PostgreSQL), so it
    # is left to the test to end.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    out = StringIO()
    call_command("sweeps", "--today", TODAY.isoformat(), stdout=out)
    assert "queued" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == tasks.sweeps_daily.module_path
    assert Reminder.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert Reminder.objects.count() == 1


def test_the_daily_run_is_seeded_once_and_schedules_the_next(due) -> None:
    out = StringIO()
    call_command("sweeps", "--daily", "--today", TODAY.isoformat(), stdout=out)
    call_command("sweeps", "--daily", "--today", TODAY.isoformat(), stdout=out)
    assert "already queued" in out.getvalue()
    seeded = DBTaskResult.objects.get()
    assert timezone.localtime(seeded.run_after) == timezone.make_aware(
        dt.datetime.combine(TODAY, dt.time(tasks.DAILY_HOUR))
    )
    # Run it as the worker would (claimed, so no longer waiting): it sweeps, then queues
    # the next morning's run.
    DBTaskResult.objects.filter(pk=seeded.pk).update(status=TaskResultStatus.RUNNING)
    tasks.sweeps_daily.call(today=TODAY.isoformat())
    assert Reminder.objects.count() == 1
    following = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert timezone.localtime(following.run_after) == timezone.make_aware(
        dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(tasks.DAILY_HOUR))
    )


def test_a_one_off_run_waiting_does_not_stop_the_daily_chain(due) -> None:
    # `sharewise manage sweeps` queues today's sweeps once, not rescheduling; the daily
    # run ending while it waits must still queue the next morning's.
    call_command("sweeps", "--today", TODAY.isoformat(), stdout=StringIO())
    assert not tasks.daily_waiting()
    call_command("sweeps", "--daily", "--today", TODAY.isoformat(), stdout=StringIO())
    assert tasks.daily_waiting()
    seeded = DBTaskResult.objects.get(args_kwargs__kwargs={})
    DBTaskResult.objects.filter(pk=seeded.pk).update(status=TaskResultStatus.RUNNING)
    tasks.sweeps_daily.call(today=TODAY.isoformat())
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 2
    following = [f for f in waiting if f.args_kwargs["kwargs"].get("reschedule", True)]
    assert [timezone.localtime(f.run_after) for f in following] == [
        timezone.make_aware(
            dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(tasks.DAILY_HOUR))
        )
    ]


def test_the_command_can_run_the_sweeps_in_process(due) -> None:
    out = StringIO()
    call_command("sweeps", "--run", "--today", TODAY.isoformat(), stdout=out)
    assert "followups_remind_due: 1" in out.getvalue()
    assert Reminder.objects.count() == 1


def failing_sweep(*, today: dt.date) -> int:
    raise ValueError("this sweep is broken")


def test_one_failing_sweep_does_not_stop_the_others(due, monkeypatch) -> None:
    monkeypatch.setattr(
        tasks,
        "SWEEPS",
        (f"{__name__}.failing_sweep", "sharewise.followups.services.followups_remind_due"),
    )
    with pytest.raises(RuntimeError, match="failing_sweep"):
        tasks.sweeps_run_all(today=TODAY)
    assert Reminder.objects.count() == 1
