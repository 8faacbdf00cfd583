"""Background jobs: the daily "find what is due" sweeps, on django-tasks' database backend
(ADR 11; DESIGN.md "Background work").

A sweep is a service function `(*, today: date) -> int` that finds what is due on `today`
and acts on it, idempotently: run twice, it does the work once (the reminders sweep makes
one reminder per follow-up per due date, and a unique constraint stands behind that). So
a sweep can run late, twice, or on two workers at once without harm.

Tasks only read their arguments and call the service. Their arguments go through the
database as JSON, so a date travels as ISO text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sized

from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task

from . import services

logger = logging.getLogger("sharewise.sweeps")

# The sweeps run every day, by the dotted path of their service function. Each is
# `(*, today: datetime.date)` returning how many things it did, or the list of them, and
# must be idempotent. Add an area's sweep here with one line; `sharewise manage sweeps`
# and the daily task run them all, each in its own transaction, one failing not stopping
# the others.
SWEEPS: tuple[str, ...] = (
    "sharewise.followups.services.followups_remind_due",
    # Protocols past their review date, flagged to the administrators once per date.
    "sharewise.protocols.services.protocols_flag_due_for_review",
    # Records past their retention date, put in their agency's review queue (retention).
    "sharewise.retention.services.retention_review_due",
    # Subject access PDFs past their 7 days, deleted (rights).
    "sharewise.rights.services.subject_access_requests_expire",
)

# The hour (local time) at which the self-scheduling daily run comes round.
DAILY_HOUR = 5


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@task()
def followups_remind_due(today: str | None = None) -> int:
    """Make the reminders for follow-ups due soon or overdue (`services.followups_remind_due`)."""
    return services.followups_remind_due(today=_day(today))


def sweeps_run_all(*, today: dt.date) -> dict[str, int]:
    """Run every sweep in SWEEPS for `today`; what each did, by its path. A sweep that
    fails is logged and the others still run; the failure is raised at the end, so that
    the task's result records it."""
    done: dict[str, int] = {}
    failures: list[str] = []
    for path in SWEEPS:
        sweep: Callable[..., int | Sized] = import_string(path)
        try:
            did = sweep(today=today)
            # A count goes in the task's result as it is, a list of records as its length:
            # the result is stored as JSON.
            done[path] = did if isinstance(did, int) else len(did)
        except Exception:
            logger.exception("The sweep %s failed for %s", path, today)
            failures.append(path)
    if failures:
        raise RuntimeError("These sweeps failed: " + ", ".join(failures))
    return done


@task()
def sweeps_daily(today: str | None = None, reschedule: bool = True) -> dict[str, int]:
    """Run every sweep, then put the next day's run on the queue: with `sharewise manage
    db_worker` running, the queue is the schedule, and no cron or separate scheduler is
    needed. Seed it once with `sharewise manage sweeps --daily`."""
    day = _day(today)
    try:
        return sweeps_run_all(today=day)
    finally:
        if reschedule:
            daily_schedule(after=day)


def daily_next_run(*, after: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(after + dt.timedelta(days=1), dt.time(DAILY_HOUR))
    )


def daily_waiting() -> bool:
    """Whether a daily run is already waiting on the database queue (so seeding again, or
    two runs rescheduling, never makes two chains). Other backends keep no queue to ask.

    A one-off run (`sharewise manage sweeps`, queued with reschedule False) is no daily
    run: were it counted, the daily run that ends while it waits would not queue the next
    morning's, and the chain would stop for good."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(sweeps_daily.get_backend(), DatabaseBackend):
        return False
    return (
        DBTaskResult.objects.filter(
            task_path=sweeps_daily.module_path, status=TaskResultStatus.READY
        )
        # Asked positively: a missing key reads as SQL NULL, which an exclude would drop.
        .filter(
            Q(args_kwargs__kwargs__reschedule=True) | ~Q(args_kwargs__kwargs__has_key="reschedule")
        )
        .exists()
    )


def daily_schedule(*, after: dt.date) -> bool:
    """Queue the daily run for the morning after `after`, unless one is waiting. Returns
    whether it queued one. A backend that cannot run a task later (the immediate one of
    the tests) has no schedule to keep."""
    if not sweeps_daily.get_backend().supports_defer or daily_waiting():
        return False
    sweeps_daily.using(run_after=daily_next_run(after=after)).enqueue()
    return True
