"""CPU of one API write, in-process, beside the CPU of the stack's smallest page in the
same run: where benchmarks/recording.py's gap to a bare insert comes from.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sharewise_scale \\
        uv run python benchmarks/api_write_cpu.py [--rounds 5] [--decisions 20] [--profile 40]

The database must be one benchmarks/generate.py made (its marker is checked); its keys
are found where generate.py put them. A practitioner of the agency of a person with a
typical number of decisions gets a new API token, and whole decisions are recorded
through Django's test client as an integrator records them (the four requests of
recording.py: start, answers, details, sign), after a warm-up. Baseline in the same run:
`GET /healthz` through the same client and middleware, the same number of requests.

Prints, best of --rounds, the application process's CPU time per request (time.process_time:
PostgreSQL's own CPU is not in it) for each, their ratio, the queries of one decision, and
the CPU PostgreSQL's backend spent on the writes of that round (from /proc, when the
server runs on this machine).
Each decision recorded here is a real signed decision in that database. With --profile N
it then records one more round under cProfile and prints the N functions with the most
own time, and the N with the most time below them: where the next fix should look.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import MARKER_TABLE, environment_for  # noqa: E402
from recording import ANSWERS, DETAILS  # noqa: E402

REQUESTS_PER_DECISION = 4


def backend_cpu_clock(pid: int) -> Callable[[], float | None]:
    """The CPU seconds PostgreSQL's backend `pid` has used, read from /proc: there only
    when the server runs on this machine (as on the development machine), else None."""
    path = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def clock() -> float | None:
        try:
            # After the command name in parentheses: field 14 is utime, 15 stime.
            fields = path.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / ticks

    return clock


def best_cpu_per_request(
    rounds: int,
    requests: int,
    unit: Callable[[], None],
    per: int,
    backend: Callable[[], float | None],
) -> tuple[float, float | None]:
    """The least application CPU, in milliseconds per request, over `rounds` rounds of
    `requests` requests made by `unit` (which makes `per` requests a call), and the
    database backend's CPU per request in that round (None where it cannot be read)."""
    best: tuple[float, float | None] = (float("inf"), None)
    for _ in range(rounds):
        start, backend_start = time.process_time(), backend()
        for _ in range(requests // per):
            unit()
        app = (time.process_time() - start) / requests * 1000
        backend_end = backend()
        database = (
            None
            if backend_start is None or backend_end is None
            else (backend_end - backend_start) / requests * 1000
        )
        if app < best[0]:
            best = (app, database)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--decisions", type=int, default=20, help="decisions a round")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="also print the N functions with the most own time over one round (cProfile)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("api_write_cpu.py: set DATABASE_URL to a database made by generate.py")
    os.environ.update(environment_for(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sharewise.agencies.models import Membership, Role
    from sharewise.api.services import api_token_create
    from sharewise.people.models import Person

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        marker = cursor.fetchone()
    if not marker or marker[0] is None:
        raise SystemExit("api_write_cpu.py: the database was not made by benchmarks/generate.py")

    # A person with a typical history: the median of those with any decision.
    people = Person.objects.annotate(n=Count("decisions")).filter(n__gt=0).order_by("n", "id")
    person = people[people.count() // 2]
    member = (
        Membership.objects.filter(agency_id=person.agency_id, role=Role.PRACTITIONER)
        .select_related("user")
        .first()
    )
    if member is None:
        raise SystemExit("api_write_cpu.py: the person's agency has no practitioner")
    _, token = api_token_create(user=member.user, name=f"api-write-cpu-{os.getpid()}")
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {token}"}

    def send(method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = getattr(client, method)(
            "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
        )
        if response.status_code not in (200, 201):
            raise SystemExit(
                f"{method.upper()} {path}: {response.status_code} {response.content!r}"
            )
        answer: dict[str, Any] = response.json()
        return answer

    def decision() -> None:
        made = send(
            "post",
            "/decisions",
            {
                "person_id": person.pk,
                "purpose": "Refer concerns about bruising to children's social care",
                "recipient": "Children's social care",
                "information": ["bruising seen on 3 November"],
                "pack": "hmg-2018",
            },
        )
        made = send(
            "post",
            f"/decisions/{made['id']}/answers",
            {"answers": ANSWERS, "revision": made["revision"]},
        )
        made = send(
            "patch",
            f"/decisions/{made['id']}",
            {
                "details": DETAILS,
                "proportionality": [
                    {"question": "Is sharing proportionate to the risk?", "answer": "Yes"}
                ],
                "revision": made["revision"],
            },
        )
        send("post", f"/decisions/{made['id']}/sign", {"revision": made["revision"]})

    def healthz() -> None:
        if client.get("/healthz").status_code != 200:
            raise SystemExit("GET /healthz did not answer 200")

    requests = args.decisions * REQUESTS_PER_DECISION
    for _ in range(5):  # warm-up: imports, packs, keys, prepared connections
        decision()
        healthz()
    # The one connection the client's requests use (kept open: CONN_MAX_AGE), whose
    # backend process does PostgreSQL's share of each write.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = backend_cpu_clock(cursor.fetchone()[0])
    write, write_db = best_cpu_per_request(
        args.rounds, requests, decision, REQUESTS_PER_DECISION, backend
    )
    stack, _ = best_cpu_per_request(args.rounds, requests, healthz, 1, backend)
    with CaptureQueriesContext(connection) as queries:
        decision()
    print(
        f"person {person.pk}; {args.rounds} rounds of {requests} requests each; "
        "application CPU per request, best round"
    )
    print(f"  API write (start, answers, details, sign): {write:7.2f} ms")
    print(f"  baseline: GET /healthz, same client:       {stack:7.2f} ms")
    print(f"  write / stack: {write / stack:.1f}x; queries of one decision: {len(queries)}")
    if write_db is None:
        print("  PostgreSQL backend's CPU per write: not readable (is the server elsewhere?)")
    else:
        # /proc counts in clock ticks (10 ms at 100 a second): a round's total is
        # hundreds of milliseconds, so the figure is good to a few per cent.
        print(f"  PostgreSQL backend's CPU per write, same round: {write_db:7.2f} ms")
    if args.profile:
        # Where a write's CPU goes, for the next fix: timed by the process's CPU clock,
        # as the figures above are, so waiting on PostgreSQL does not count; own time
        # first, so the leaves show (SQL compiling, encryption, hashing).
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.decisions):
            decision()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
