"""`sharewise manage sweeps`: run the daily "find what is due" sweeps (followups.tasks).

    sharewise manage sweeps              put today's sweeps on the queue for db_worker
    sharewise manage sweeps --run        run them now, in this process
    sharewise manage sweeps --daily      seed the self-scheduling daily run (once)
    sharewise manage sweeps --today 2026-12-01 --run    as if it were that day

Every sweep is idempotent, so running this more than once a day does no harm.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sharewise.followups import tasks


class Command(BaseCommand):
    help = "Run the daily sweeps (reminders of follow-ups due, and any others in SWEEPS)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--run", action="store_true", help="run them now, in this process")
        how.add_argument(
            "--daily",
            action="store_true",
            help="queue the daily run, which queues the next one each day (needs db_worker)",
        )
        parser.add_argument("--today", help="the day to sweep for, as YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today must be a date written YYYY-MM-DD") from exc
        if options["run"]:
            for path, done in tasks.sweeps_run_all(today=today).items():
                self.stdout.write(f"{path}: {done}")
            return
        if options["daily"]:
            if tasks.daily_schedule(after=today - dt.timedelta(days=1)):
                self.stdout.write(
                    f"The daily sweeps are queued for {tasks.DAILY_HOUR}:00 each day; keep "
                    "`sharewise manage db_worker` running."
                )
            else:
                self.stdout.write("The daily sweeps are already queued.")
            return
        result = tasks.sweeps_daily.enqueue(today=today.isoformat(), reschedule=False)
        self.stdout.write(f"The sweeps for {today.isoformat()} are queued ({result.id}).")
