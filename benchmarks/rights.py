"""What a subject access export costs as a record grows: the JSON and the PDF of a person
with few decisions (the baseline, measured in the same run) and with many.

    uv run python benchmarks/rights.py [--decisions 200] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python benchmarks/rights.py

Without DATABASE_URL, a SQLite file in a temporary directory; with it, a fresh database is
made beside the one named and dropped after. The decisions are copies of one signed through
the real services (tests.factories.decisions_about). Prints, for each size, the best time
of `--runs` for the JSON document and the PDF, the number of SQL queries, and the PDF's
size. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from pages import _fresh_postgres  # noqa: E402


def _best(runs: int, work: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="sharewise-bench-")
    os.environ["SHAREWISE_DATA_DIR"] = workdir
    os.environ["SHAREWISE_CACHE_DIR"] = os.path.join(workdir, "cache")
    os.environ["SHAREWISE_DEMO"] = "off"
    drop = None
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        call_command("migrate", verbosity=0)
        from tests.factories import PersonFactory, decisions_about, personas

        from sharewise.rights import services

        world = personas()
        sizes = [("baseline", 2), ("large", args.decisions)]
        print(f"subject access export, best of {args.runs} ({connection.vendor})")
        for label, count in sizes:
            person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
            decisions_about(person, world.practitioner_a, count)
            for file_format in ("json", "pdf"):
                with CaptureQueriesContext(connection) as queries:
                    services.subject_access_export(
                        user=world.lead_a, person=person, file_format=file_format
                    )
                seconds, export = _best(
                    args.runs,
                    lambda p=person, f=file_format: services.subject_access_export(
                        user=world.lead_a, person=p, file_format=f
                    ),
                )
                print(
                    f"  {label:8} {count:5} decisions  {file_format:4} {seconds * 1000:8.1f} ms"
                    f"  {len(queries):4} queries  {len(export.body) / 1024:8.1f} KiB"
                )
    finally:
        if drop is not None:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
