"""`sharewise manage retention`: the retention sweep, and the dry run of disposal.

    sharewise manage retention --dry-run                 what disposal of everything due
                                                         today would erase; changes nothing
    sharewise manage retention --dry-run --today 2051-01-01 --agency 3
    sharewise manage retention --sweep                   mark what is due (the daily sweep
                                                         does this too; idempotent)

Disposal itself is never run from here: a manager or safeguarding lead authorises it on
the review queue (docs/decisions/0015-retention-disposal.md).
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sharewise.retention.selectors import retention_dry_run
from sharewise.retention.services import retention_review_due


class Command(BaseCommand):
    help = "Show what retention disposal would erase (--dry-run), or run the sweep (--sweep)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        how = parser.add_mutually_exclusive_group(required=True)
        how.add_argument("--dry-run", action="store_true", help="show what would go")
        how.add_argument("--sweep", action="store_true", help="mark the records now due")
        parser.add_argument("--today", help="as if it were this day, YYYY-MM-DD")
        parser.add_argument("--agency", type=int, action="append", help="only this agency's id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today must be a date written YYYY-MM-DD") from exc
        if options["sweep"]:
            made = retention_review_due(today=today)
            self.stdout.write(f"{made} records put in the review queue for {today.isoformat()}")
            return
        result = retention_dry_run(today=today, agency_ids=options["agency"])
        self.stdout.write(
            f"Dry run for {today.isoformat()}: nothing has been changed. "
            f"{len(result.items)} records would be disposed of; {result.held} on legal hold "
            "are kept."
        )
        for item in result.items:
            ref = item.state.ref
            rows = ", ".join(f"{table} {count}" for table, count in sorted(item.rows.items()))
            self.stdout.write(
                f"agency {ref.agency_id}  person {ref.person_id}  {ref.kind} {ref.object_id}  "
                f"due {item.state.due_on.isoformat()}  ({item.state.schedule.rule}): {rows}"
            )
        for person_id, erased in sorted(result.people_erased.items()):
            listed = ", ".join(f"{table} {count}" for table, count in sorted(erased.items()))
            self.stdout.write(f"person {person_id}: identifying details erased: {listed}")
        for meeting_id, erased in sorted(result.meetings_erased.items()):
            listed = ", ".join(f"{table} {count}" for table, count in sorted(erased.items()))
            self.stdout.write(f"meeting {meeting_id}: erased for everyone: {listed}")
        totals = ", ".join(f"{table} {count}" for table, count in sorted(result.totals.items()))
        self.stdout.write(f"In all: {totals or 'no rows'}")
