"""Server-side time of the guided decision's pages and of a person page with 200 decisions.

    uv run python benchmarks/pages.py [--runs N]                # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python benchmarks/pages.py

With DATABASE_URL, a fresh database is created beside the one named (and dropped after),
so nothing of yours is touched. Each page is requested N times in-process through Django's
test client (the whole middleware stack, templates and queries; no network), and the
baseline, `/healthz`, the smallest page the same stack serves, is measured in the same run.
Prints p50 and p95 in milliseconds and the SQL queries each page made (target: p95 under
50 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _fresh_postgres(url: str) -> tuple[str, Any]:
    import psycopg

    name = f"sharewise_bench_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="sharewise-bench-")
    os.environ["SHAREWISE_DATA_DIR"] = workdir
    os.environ["SHAREWISE_CACHE_DIR"] = os.path.join(workdir, "cache")
    os.environ["SHAREWISE_ALLOWED_HOSTS"] = "testserver"
    os.environ["SHAREWISE_DEMO"] = "off"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"
    drop = None
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from tests.conftest import _mfa_mark
        from tests.factories import PersonFactory, decisions_about, personas

        from sharewise.decisions import services

        world = personas()
        helen = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
        decisions_about(helen, world.practitioner_a, 200)
        wizard = services.decision_start(
            user=world.practitioner_a, person=helen, purpose="Bench", pack_id="hmg-2008"
        )
        for answer in (
            {"purpose": "yes"},
            {"legal_requirement": "none"},
            {"identifiable": "yes"},
            {"confidential": "yes"},
            {"consent": "refused"},
            {"child_harm": "reasonable_cause"},
            {"reasons_not_to_seek_consent": []},
        ):
            wizard = services.decision_answer(
                user=world.practitioner_a, decision=wizard, answers=answer
            )
        client = Client()
        client.force_login(world.practitioner_a)
        _mfa_mark(client, world.practitioner_a)

        pages = {
            "baseline /healthz": "/healthz",
            "question page": f"/decisions/{wizard.pk}/questions/child_harm/",
            "check your answers": f"/decisions/{wizard.pk}/check/",
            "outcome page": f"/decisions/{wizard.pk}/outcome/",
            "decision record": f"/decisions/{wizard.pk}/",
            "person page, 200 decisions": f"/people/{helen.pk}/",
        }
        print(f"database: {connection.vendor}; {args.runs} requests per page, in-process")
        print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for label, url in pages.items():
            # Counted on a request of its own: the timed ones run as the service does, without
            # Django's query log.
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            count = len(queries.captured_queries)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{label:32} {statistics.median(times):8.2f} {p95:8.2f} {count:8d}")
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
