"""Server-side time of the guided decision's pages, of a person page with many decisions,
and of the dashboards' queries, each beside a baseline measured in the same run.

    uv run python benchmarks/pages.py [--runs N]                # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python benchmarks/pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sharewise_scale \\
        uv run python benchmarks/pages.py --database-ready      # a benchmarks/generate.py database

Without --database-ready, a fresh database is made (beside the one DATABASE_URL names, and
dropped after; or SQLite in a temporary folder) with one person of 200 decisions. With
--database-ready, the pages are those of the database benchmarks/generate.py made (it must
carry that script's marker): the person with the most decisions, a person with a typical
number, and the dashboards over five years of the partnership's records. The keys of its
encrypted columns are found where generate.py put them.

Each page is requested N times in-process through Django's test client (the whole
middleware stack, templates and queries; no network). Two baselines are measured in the
same run: `/healthz`, the smallest page the same stack serves, and for each page about a
person the bare SQL that fetches the same rows (the chronology's decisions and consent
records) through the same connection, with no ORM, no template and no audit entry. Each
dashboard selector (sharewise.reports.selectors) is timed against the SQL it sends, run
bare, and the decision figures also against hand-written SQL of the same aggregate.
Prints p50 and p95 in milliseconds, p95 as a multiple of its baseline, and the SQL
queries each page made (target: p95 under 50 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


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


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """p50 and p95 of `runs` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def row(label: str, p50: float, p95: float, extra: str = "", baseline: float | None = None) -> None:
    ratio = f"{p95 / baseline:7.1f}x" if baseline else " " * 8
    print(f"{label:46} {p50:8.2f} {p95:8.2f} {ratio} {extra}", flush=True)


# --- The person page and its bare SQL ----------------------------------------------------

# The rows the person page's chronology shows, fetched with nothing around them: the
# decisions (with the names of who made and signed each) and the consent records, of the
# user's agencies, newest first, as chronology_for_person reads them.
PERSON_DECISIONS_SQL = """
SELECT d.id, d.status, d.version, d.outcome, d.refer_now, d.purpose, d.created_at,
       d.signed_at, c.username, s.username
  FROM decisions_decision d
  JOIN auth_user c ON c.id = d.created_by_id
  LEFT JOIN auth_user s ON s.id = d.signed_by_id
 WHERE d.person_id = %s AND d.agency_id IN ({agencies})
 ORDER BY d.created_at DESC, d.id DESC
"""
PERSON_CONSENTS_SQL = """
SELECT r.*, u.username
  FROM consents_consentrecord r
  JOIN auth_user u ON u.id = r.recorded_by_id
 WHERE r.person_id = %s AND r.agency_id IN ({agencies})
 ORDER BY r.given_at, r.id
"""


def person_rows_bare(person_id: int, agency_ids: set[int]) -> Callable[[], int]:
    from django.db import connection

    agency_id_list = ", ".join(str(int(a)) for a in sorted(agency_ids))
    decisions_sql = PERSON_DECISIONS_SQL.format(agencies=agency_id_list)
    consents_sql = PERSON_CONSENTS_SQL.format(agencies=agency_id_list)

    def fetch() -> int:
        with connection.cursor() as cursor:
            cursor.execute(decisions_sql, [person_id])
            count = len(cursor.fetchall())
            cursor.execute(consents_sql, [person_id])
            return count + len(cursor.fetchall())

    return fetch


# --- The dashboards -----------------------------------------------------------------------

# The decision figures as a person would write them by hand in SQL: the same rows, the
# same month in the service's time zone, the corrected-and-replaced decisions left out.
HAND_SQL = {
    "decisions_by_outcome_month": """
SELECT (date_trunc('month', d.signed_at AT TIME ZONE %(zone)s))::date AS month, d.outcome,
       count(*)
  FROM decisions_decision d
 WHERE d.status = 'signed' AND d.agency_id = ANY(%(agencies)s)
   AND d.signed_at >= %(low)s AND d.signed_at < %(high)s
   AND NOT EXISTS (SELECT 1 FROM decisions_decision c
                    WHERE c.corrects_id = d.id AND c.status = 'signed')
 GROUP BY 1, 2 ORDER BY 1, 2""",
    "decisions_by_basis_month": """
SELECT (date_trunc('month', d.signed_at AT TIME ZONE %(zone)s))::date AS month,
       d.article6_basis, count(*)
  FROM decisions_decision d
 WHERE d.status = 'signed' AND d.agency_id = ANY(%(agencies)s)
   AND d.outcome IN ('share', 'must_share')
   AND d.signed_at >= %(low)s AND d.signed_at < %(high)s
   AND NOT EXISTS (SELECT 1 FROM decisions_decision c
                    WHERE c.corrects_id = d.id AND c.status = 'signed')
 GROUP BY 1, 2 ORDER BY 1, 2""",
    "decision_totals_by_month": """
SELECT (date_trunc('month', d.signed_at AT TIME ZONE %(zone)s))::date AS month, count(*),
       count(*) FILTER (WHERE d.outcome IN ('share', 'must_share')),
       count(*) FILTER (WHERE d.outcome IN ('share', 'must_share') AND d.basis <> 'consent'),
       count(*) FILTER (WHERE d.outcome = 'do_not_share')
  FROM decisions_decision d
 WHERE d.status = 'signed' AND d.agency_id = ANY(%(agencies)s)
   AND d.signed_at >= %(low)s AND d.signed_at < %(high)s
   AND NOT EXISTS (SELECT 1 FROM decisions_decision c
                    WHERE c.corrects_id = d.id AND c.status = 'signed')
 GROUP BY 1 ORDER BY 1""",
    "disclosures_unacknowledged_by_month": """
SELECT (date_trunc('month', s.sent_at AT TIME ZONE %(zone)s))::date AS month, count(*),
       count(*) FILTER (WHERE s.read_at IS NULL)
  FROM disclosures_disclosure s
 WHERE s.agency_id = ANY(%(agencies)s) AND s.channel = 'sharewise'
   AND s.withdrawn_at IS NULL AND s.acknowledged_at IS NULL
   AND s.sent_at >= %(low)s AND s.sent_at < %(high)s
 GROUP BY 1 ORDER BY 1""",
}


def dashboard_selectors() -> list[tuple[str, Callable[..., Any]]]:
    """The figures of the managers' dashboards: every `*_by_month` / `*_month*` selector
    of sharewise.reports.selectors that takes a scope."""
    from sharewise.reports import selectors

    names = [
        "decisions_by_outcome_month",
        "decisions_by_basis_month",
        "decision_totals_by_month",
        "request_decision_times_by_month",
        "advice_times_by_month",
        "followups_overdue_by_month_due",
        "protocols_due_for_review_by_month",
        "disclosures_unacknowledged_by_month",
    ]
    return [(name, getattr(selectors, name)) for name in names if hasattr(selectors, name)]


def bench_dashboards(label: str, user: Any, runs: int, months: int | None) -> None:
    """Each dashboard selector for `user` over the last `months` months (None: every
    month), against the bare SQL it sends and, for the decision figures, hand-written SQL."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sharewise.reports.selectors import report_access_for_user, report_scope

    today = timezone.localdate()
    date_from = today - dt.timedelta(days=31 * months) if months else None
    access = report_access_for_user(user=user)
    scope = report_scope(access=access, today=today, date_from=date_from)
    print(f"\nDashboards: {label} ({len(scope.agency_ids)} agencies)", flush=True)
    low = timezone.make_aware(dt.datetime.combine(date_from or dt.date(1970, 1, 1), dt.time.min))
    high = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    params = {
        "zone": settings.TIME_ZONE,
        "agencies": sorted(scope.agency_ids),
        "low": low,
        "high": high,
    }
    for name, selector in dashboard_selectors():
        with CaptureQueriesContext(connection) as captured:
            result = selector(scope=scope)
        sent = [q["sql"] for q in captured.captured_queries]

        def replay(statements: list[str] = sent) -> None:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    cursor.fetchall()

        base50, base95 = timed(replay, runs)
        p50, p95 = timed(lambda selector=selector: selector(scope=scope), runs)
        row(f"  {name}", p50, p95, f"{len(result)} rows, {len(sent)} queries", base95)
        row("    baseline: the same SQL, bare", base50, base95)
        # The hand-written SQL is PostgreSQL's (AT TIME ZONE, FILTER, ANY).
        if name in HAND_SQL and connection.vendor == "postgresql":

            def hand(statement: str = HAND_SQL[name]) -> None:
                with connection.cursor() as cursor:
                    cursor.execute(statement, params)
                    cursor.fetchall()

            hand50, hand95 = timed(hand, runs)
            row("    baseline: hand-written SQL", hand50, hand95)


# --- Setting up -------------------------------------------------------------------------


def _require_generated() -> None:
    from django.db import connection

    from generate import MARKER_TABLE

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        marker = cursor.fetchone()
    if not marker or marker[0] is None:
        raise SystemExit(
            "pages.py: --database-ready needs a database made by benchmarks/generate.py"
        )


def _generated_world() -> dict[str, Any]:
    """The busiest person of a generated database, a typical one, and users to read them."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from sharewise.agencies.models import Membership, Role
    from sharewise.people.models import Person

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, count(*) FROM decisions_decision GROUP BY person_id "
            "ORDER BY count(*) DESC, person_id LIMIT 1"
        )
        busiest, busiest_count = cursor.fetchone()  # type: ignore[misc]
        cursor.execute(
            "SELECT person_id, n FROM (SELECT person_id, count(*) AS n FROM decisions_decision "
            "GROUP BY person_id) counts ORDER BY n, person_id "
            "OFFSET (SELECT count(DISTINCT person_id) / 2 FROM decisions_decision) LIMIT 1"
        )
        typical, typical_count = cursor.fetchone()  # type: ignore[misc]
    person = Person.objects.get(pk=busiest)
    users = get_user_model().objects
    member = Membership.objects.filter(agency_id=person.agency_id)
    practitioner = users.get(pk=member.filter(role=Role.PRACTITIONER).order_by("id")[0].user_id)
    manager = users.get(pk=member.filter(role=Role.MANAGER).order_by("id")[0].user_id)
    admin = users.get(pk=Membership.objects.filter(role=Role.PARTNERSHIP_ADMIN)[0].user_id)
    typical_person = Person.objects.get(pk=typical)
    typical_user = users.get(
        pk=Membership.objects.filter(agency_id=typical_person.agency_id, role=Role.PRACTITIONER)
        .order_by("id")[0]
        .user_id
    )
    return {
        "person": person,
        "count": busiest_count,
        "practitioner": practitioner,
        "manager": manager,
        "admin": admin,
        "typical": typical_person,
        "typical_count": typical_count,
        "typical_user": typical_user,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database-ready",
        action="store_true",
        help="use the database DATABASE_URL names, made by benchmarks/generate.py",
    )
    args = parser.parse_args()

    drop = None
    if args.database_ready:
        from generate import environment_for

        url = os.environ.get("DATABASE_URL", "").strip()
        if not url:
            raise SystemExit("pages.py: --database-ready needs DATABASE_URL")
        os.environ.update(environment_for(url))
    else:
        workdir = tempfile.mkdtemp(prefix="sharewise-bench-")
        os.environ["SHAREWISE_DATA_DIR"] = workdir
        os.environ["SHAREWISE_CACHE_DIR"] = os.path.join(workdir, "cache")
        os.environ["SHAREWISE_DEMO"] = "off"
        if os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    os.environ["SHAREWISE_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from sharewise.agencies.selectors import agency_ids_for_user

    setup_test_environment()
    try:
        if args.database_ready:
            _require_generated()
        # A generated database is brought up to date too: it may predate a migration.
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from tests.conftest import _mfa_mark
        from tests.factories import PersonFactory, decisions_about, personas

        from sharewise.decisions import services

        if args.database_ready:
            world = _generated_world()
            reader, helen = world["practitioner"], world["person"]
            people = [
                (f"person page, {world['count']} decisions", helen, reader),
                (
                    f"person page, {world['typical_count']} decisions",
                    world["typical"],
                    world["typical_user"],
                ),
            ]
            monitors = [
                # The dashboards open on the last 12 months (reports.views.default_period).
                ("a manager of one agency, last 12 months", world["manager"], 12),
                ("the partnership administrator, all agencies, 12 months", world["admin"], 12),
                ("the partnership administrator, all agencies, 5 years", world["admin"], None),
            ]
        else:
            personas_ = personas()
            reader = personas_.practitioner_a
            helen = PersonFactory(agency=personas_.agency_a, created_by=reader)
            decisions_about(helen, reader, 200)
            people = [("person page, 200 decisions", helen, reader)]
            monitors = [
                ("a manager of one agency", personas_.manager_a, None),
                ("the partnership administrator", personas_.admin, None),
            ]
        wizard = services.decision_start(
            user=reader, person=helen, purpose="Bench", pack_id="hmg-2008"
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
            wizard = services.decision_answer(user=reader, decision=wizard, answers=answer)

        clients: dict[int, Client] = {}

        def client_for(user: Any) -> Client:
            if user.pk not in clients:
                client = Client()
                client.force_login(user)
                _mfa_mark(client, user)
                clients[user.pk] = client
            return clients[user.pk]

        pages: list[tuple[str, str, Any, Callable[[], Any] | None]] = [
            ("baseline /healthz", "/healthz", reader, None),
            ("question page", f"/decisions/{wizard.pk}/questions/child_harm/", reader, None),
            ("check your answers", f"/decisions/{wizard.pk}/check/", reader, None),
            ("outcome page", f"/decisions/{wizard.pk}/outcome/", reader, None),
            ("decision record", f"/decisions/{wizard.pk}/", reader, None),
        ]
        for label, person, user in people:
            bare = person_rows_bare(person.pk, agency_ids_for_user(user=user))
            pages.append((label, f"/people/{person.pk}/", user, bare))

        print(
            f"database: {connection.vendor}; {args.runs} requests per page, in-process"
            + (" (generated partnership)" if args.database_ready else "")
        )
        print(f"{'page':46} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>8} queries")
        healthz95: float | None = None
        for label, url, user, bare in pages:
            client = client_for(user)
            # Counted on a request of its own: the timed ones run as the service does,
            # without Django's query log.
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            count = len(queries.captured_queries)

            def get(client: Client = client, url: str = url) -> None:
                assert client.get(url).status_code == 200

            p50, p95 = timed(get, args.runs)
            if healthz95 is None:
                healthz95 = p95
                row(label, p50, p95, f"{count:7d}")
                continue
            row(label, p50, p95, f"{count:7d}  (x /healthz)", healthz95)
            if bare is not None:
                rows = bare()
                b50, b95 = timed(bare, args.runs)
                row("  baseline: bare SQL of the same rows", b50, b95, f"{rows} rows")
                row("  page p95 over the bare SQL's", p50, p95, "", b95)

        for label, user, months in monitors:
            bench_dashboards(label, user, max(20, args.runs // 4), months)
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
