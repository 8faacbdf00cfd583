"""Recording decisions over HTTP with concurrent clients, against the production server,
beside a bare Django view that inserts one row, served the same way, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sharewise_scale \\
        uv run python benchmarks/recording.py [--clients 50] [--seconds 30]

The database must be one benchmarks/generate.py made (its marker is checked), so that the
decisions are recorded into a partnership's volume of records and audit log. The script

1. makes API tokens with `sharewise token create` for practitioners of a few agencies;
2. starts `sharewise serve` (gunicorn, as in production: sharewise/server.py) on one port,
   and benchmarks/bare_server.py (the same gunicorn options, a view with no middleware
   that inserts one row) on another;
3. runs --clients threads against each for --seconds, after a warm-up. Each client of the
   product records whole decisions through the API, as an integrator would:
   POST /api/v1/decisions, POST .../answers, PATCH the details, POST .../sign (the bodies
   of tests/api/test_decisions.py); each client of the baseline POSTs one JSON body to
   /record.

Prints throughput (requests and decisions per second), p50 and p95 latency per kind of
request, and the product's request throughput as a share of the bare view's (target: at
least 40 per cent). The HTTP client is the standard library's (http.client, one keep-alive
connection per client thread): no dependency is added.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import MARKER_TABLE, environment_for  # noqa: E402

# Helen (003 Appendix 3, case 6), as tests/api/test_decisions.py records her decision:
# every answer at once, as a case-management system would send them.
ANSWERS = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
DETAILS = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "not_yet",
    "advice_from": "Lead A, designated safeguarding lead",
    "advice_given": "Refer to children's social care today",
    "notes": "Mother to be told after the referral is made",
}
TOKEN_USERS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sharewise_command() -> str:
    found = shutil.which("sharewise") or str(Path(sys.executable).parent / "sharewise")
    return found


def wait_until_up(port: int, path: str, process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"recording.py: the server on port {port} stopped at start")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"recording.py: the server on port {port} did not start in {limit:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    # Gunicorn's master stops its workers on SIGTERM.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def choose_people(url: str) -> list[tuple[str, list[int]]]:
    """Practitioners of the agencies holding the most children's records, each with the
    children of their agency (Helen's answers are about a child)."""
    import psycopg

    with psycopg.connect(url) as conn:
        marker = conn.execute("SELECT to_regclass(%s)", [MARKER_TABLE]).fetchone()
        if not marker or marker[0] is None:
            raise SystemExit("recording.py: DATABASE_URL must name a generate.py database")
        agencies = conn.execute(
            "SELECT agency_id FROM people_person WHERE date_of_birth > now() - interval '15 years' "
            "GROUP BY agency_id ORDER BY count(*) DESC LIMIT %s",
            [TOKEN_USERS],
        ).fetchall()
        chosen = []
        for (agency_id,) in agencies:
            user = conn.execute(
                "SELECT u.username FROM auth_user u JOIN agencies_membership m ON m.user_id = u.id "
                "WHERE m.agency_id = %s AND m.role = 'practitioner' ORDER BY u.id LIMIT 1",
                [agency_id],
            ).fetchone()
            people = conn.execute(
                "SELECT id FROM people_person WHERE agency_id = %s "
                "AND date_of_birth > now() - interval '15 years' ORDER BY id",
                [agency_id],
            ).fetchall()
            if user:
                chosen.append((str(user[0]), [p[0] for p in people]))
    return chosen


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.completed = 0

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds * 1000)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1

    def done(self) -> None:
        with self.lock:
            self.completed += 1

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class Client:
    """One keep-alive connection, sending JSON."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        payload = None if body is None else json.dumps(body)
        try:
            self.conn.request(method, path, payload, self.headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed an idle keep-alive connection: open another and try once more.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, payload, self.headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(data)
        return response.status, data.decode("utf-8", "replace")


def record_decision(
    client: Client, person_id: int, stats: Stats, measuring: Callable[[], bool]
) -> None:
    """The API flow of one decision: start, answer, details, sign."""
    steps: list[tuple[str, str, Callable[[dict[str, Any]], tuple[str, Any]], int]] = [
        (
            "POST /decisions",
            "POST",
            lambda d: (
                "/api/v1/decisions",
                {
                    "person_id": person_id,
                    "purpose": "Refer concerns about bruising to children's social care",
                    "recipient": "Children's social care",
                    "information": ["bruising seen on 3 November"],
                    "pack": "hmg-2018",
                },
            ),
            201,
        ),
        (
            "POST /decisions/{id}/answers",
            "POST",
            lambda d: (
                f"/api/v1/decisions/{d['id']}/answers",
                {"answers": ANSWERS, "revision": d["revision"]},
            ),
            200,
        ),
        (
            "PATCH /decisions/{id}",
            "PATCH",
            lambda d: (
                f"/api/v1/decisions/{d['id']}",
                {
                    "details": DETAILS,
                    "proportionality": [
                        {"question": "Is sharing proportionate to the risk?", "answer": "Yes"}
                    ],
                    "revision": d["revision"],
                },
            ),
            200,
        ),
        (
            "POST /decisions/{id}/sign",
            "POST",
            lambda d: (f"/api/v1/decisions/{d['id']}/sign", {"revision": d["revision"]}),
            200,
        ),
    ]
    decision: dict[str, Any] = {}
    for kind, method, build, expected in steps:
        path, body = build(decision)
        start = time.perf_counter()
        status, answer = client.send(method, path, body)
        elapsed = time.perf_counter() - start
        if status != expected:
            stats.error(kind)
            if stats.errors[kind] <= 3:
                print(f"    {kind}: {status} {answer}", file=sys.stderr, flush=True)
            return
        if measuring():
            stats.add(kind, elapsed)
        decision = answer
    if measuring():
        stats.done()


def run_load(
    label: str,
    clients: int,
    seconds: float,
    warmup: float,
    work: Callable[[int, Stats, Callable[[], bool]], Callable[[], None]],
) -> tuple[Stats, float]:
    """`clients` threads repeating one unit of work; only what finishes inside the measured
    window counts."""
    stats = Stats()
    window = {"start": 0.0, "end": 0.0}
    begin = time.perf_counter()
    window["start"] = begin + warmup
    window["end"] = window["start"] + seconds

    def measuring() -> bool:
        now = time.perf_counter()
        return window["start"] <= now <= window["end"]

    def loop(index: int) -> None:
        unit = work(index, stats, measuring)
        while time.perf_counter() < window["end"]:
            unit()

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats, seconds


def report(label: str, stats: Stats, seconds: float) -> float:
    throughput = stats.requests / seconds
    print(f"\n{label}: {stats.requests} requests in {seconds:.0f} s = {throughput:.1f} requests/s")
    if stats.completed:
        print(
            f"  {stats.completed} decisions recorded and signed = {stats.completed / seconds:.1f} decisions/s"
        )
    print(f"  {'request':34} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, times in stats.latencies.items():
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"  {kind:34} {len(times):6d} {statistics.median(times):8.1f} {p95:8.1f}")
    for kind, count in stats.errors.items():
        print(f"  errors: {kind}: {count}")
    return throughput


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("recording.py: set DATABASE_URL to a database made by generate.py")

    env = {**os.environ, **environment_for(url), "SHAREWISE_ALLOWED_HOSTS": "127.0.0.1"}
    # One audit checkpoint per 1000 appends, as in production (settings.py's default).
    people = choose_people(url)
    tokens: list[tuple[str, list[int]]] = []
    for username, person_ids in people:
        made = subprocess.run(
            [
                sharewise_command(),
                "token",
                "create",
                username,
                "--name",
                f"recording-{os.getpid()}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        tokens.append((made.stdout.strip(), person_ids))
    print(
        f"{len(tokens)} tokens from `sharewise token create`; {args.clients} clients; "
        f"{args.seconds:.0f} s measured after {args.warmup:.0f} s of warm-up; "
        f"{os.cpu_count()} cores",
        flush=True,
    )

    log = open(Path(environment_for(url)["SHAREWISE_DATA_DIR"]) / "recording-servers.log", "ab")  # noqa: SIM115
    product_port, bare_port = free_port(), free_port()
    product = subprocess.Popen(
        [sharewise_command(), "serve", "--port", str(product_port)],
        env=env,
        stdout=log,
        stderr=log,
    )
    bare = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "bare_server.py"), str(bare_port)],
        env={k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"},
        stdout=log,
        stderr=log,
    )
    try:
        wait_until_up(product_port, "/healthz", product, 180)
        wait_until_up(bare_port, "/record", bare, 60)

        def bare_work(
            index: int, stats: Stats, measuring: Callable[[], bool]
        ) -> Callable[[], None]:
            client = Client(bare_port)
            body = {"purpose": "Refer concerns about bruising", "client": index}

            def unit() -> None:
                start = time.perf_counter()
                status, _ = client.send("POST", "/record", body)
                elapsed = time.perf_counter() - start
                if status != 201:
                    stats.error("POST /record")
                elif measuring():
                    stats.add("POST /record", elapsed)

            return unit

        def product_work(
            index: int, stats: Stats, measuring: Callable[[], bool]
        ) -> Callable[[], None]:
            token, person_ids = tokens[index % len(tokens)]
            client = Client(product_port, token)
            rng = random.Random(index)
            return lambda: record_decision(client, rng.choice(person_ids), stats, measuring)

        def stack_work(
            index: int, stats: Stats, measuring: Callable[[], bool]
        ) -> Callable[[], None]:
            client = Client(product_port)

            def unit() -> None:
                start = time.perf_counter()
                status, _ = client.send("GET", "/healthz", None)
                elapsed = time.perf_counter() - start
                if status != 200:
                    stats.error("GET /healthz")
                elif measuring():
                    stats.add("GET /healthz", elapsed)

            return unit

        bare_stats, seconds = run_load("bare", args.clients, args.seconds, args.warmup, bare_work)
        bare_rate = report("Baseline: bare Django view inserting one row", bare_stats, seconds)
        # The product's own stack answering its smallest page (every middleware, no query,
        # no work): how much of the bare view's throughput is left before any decision
        # work is done, which bounds what the write path could reach.
        stack_stats, seconds = run_load(
            "stack", args.clients, args.seconds, args.warmup, stack_work
        )
        stack_rate = report("Sharewise's stack alone: GET /healthz", stack_stats, seconds)
        product_stats, seconds = run_load(
            "product", args.clients, args.seconds, args.warmup, product_work
        )
        product_rate = report(
            "Sharewise: the API flow of a decision (4 requests)", product_stats, seconds
        )
        print(
            f"\nSharewise's stack alone answers {100 * stack_rate / bare_rate:.0f} per cent of "
            "the bare view's requests"
        )
        print(
            f"Sharewise's request throughput is {100 * product_rate / bare_rate:.0f} per cent "
            "of the bare view's (target: at least 40)"
        )
    finally:
        stop(product)
        stop(bare)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
