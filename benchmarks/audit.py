"""What the audit chain costs: decisions recorded per second with and without it, and how
fast `sharewise audit verify` walks the chain against plain SHA-256 over the same bytes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python benchmarks/audit.py
    uv run python benchmarks/audit.py [--entries 200000] [--threads 16] [--seconds 5]
        [--workers N]

With DATABASE_URL, a fresh database is created beside the one named (and dropped after),
so nothing of yours is touched; without it, a SQLite file in a temporary directory.

Appending: N threads, each with its own connection and its own person, record decisions
through the real services (`decision_start` and three pages of answers, five audit entries
a decision) for a few seconds: once with auditing on, and once with `audit_append` replaced
by a no-op. Every append locks the one chain-head row, so this measures what that
serialisation costs under contention. `--seconds 0` leaves it out.

Verifying: the chain is then made up to `--entries` entries, in the shapes `audit_append`
writes (times, actors with a non-ASCII name among them, request ids, details with ids,
lists and flags), hashed by the core's `canonical_bytes` and inserted in bulk. The whole
chain is verified as `sharewise audit verify` does, and the bytes the core's reference
canonical form gives for every stored entry (the previous hash followed by the canonical
form: what the chain's hashes cover) are hashed by hashlib alone, in the same run: the
floor for any walk that must hash every entry. The target (issue 6) is a verify
throughput of at least half of that. With `--workers N` on PostgreSQL, the walk shared
between N worker processes (`sharewise audit verify --workers N`) is timed too, in the
same run. Best of `--repeat` runs each. Prints figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from pages import _fresh_postgres  # noqa: E402

ANSWER_PAGES = (
    {"purpose": "yes", "legal_requirement": "none", "identifiable": "yes"},
    {"confidential": "yes", "consent": "refused"},
    {"child_harm": "reasonable_cause", "reasons_not_to_seek_consent": []},
)
# Verify throughput as a share of plain SHA-256 over the same bytes (issue 6).
TARGET = 0.5
FILL_BATCH = 5000


def _record_decisions(world: Any, people: list[Any], seconds: float) -> float:
    """Decisions per second over all threads, each recording for `seconds`."""
    from django.db import connection

    from sharewise.decisions import services

    counts = [0] * len(people)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(people) + 1)

    def work(index: int) -> None:
        try:
            barrier.wait()
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                decision = services.decision_start(
                    user=world.practitioner_a,
                    person=people[index],
                    purpose="Benchmark",
                    pack_id="hmg-2008",
                )
                for answers in ANSWER_PAGES:
                    decision = services.decision_answer(
                        user=world.practitioner_a, decision=decision, answers=answers
                    )
                counts[index] += 1
        except BaseException as exc:  # reported after the run
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return sum(counts) / elapsed


def _entry_shapes(world: Any, people: list[Any]) -> list[Callable[[int], dict[str, Any]]]:
    """Makers of an entry's fields from its number, in the shapes the services write."""
    from django.contrib.auth import get_user_model

    # A name with an accent and an apostrophe, so the walk meets escaped and non-ASCII text.
    zoe = get_user_model().objects.create(username="zoë.o'brien")
    users = [world.practitioner_a, world.lead_a, world.practitioner_b, zoe]

    def by(n: int) -> dict[str, Any]:
        user = users[n % len(users)]
        person = people[n % len(people)]
        return {
            "actor": user,
            "actor_username": user.username,
            "target_type": "person",
            "target_id": str(person.pk),
            "agency_id": person.agency_id,
            "request_id": str(uuid.UUID(int=n * 7919)) if n % 3 else "",
        }

    return [
        lambda n: {
            **by(n),
            "verb": "person.view",
            "object_type": "person",
            "object_id": str(people[n % len(people)].pk),
            "details": {},
        },
        lambda n: {
            **by(n),
            "verb": "decision.start",
            "object_type": "decision",
            "object_id": str(n),
            "details": {"pack": "hmg-2008"},
        },
        lambda n: {
            **by(n),
            "verb": "decision.answer",
            "object_type": "decision",
            "object_id": str(n),
            "details": {"facts": ["confidential", "consent"]},
        },
        lambda n: {
            **by(n),
            "verb": "decision.view",
            "object_type": "decision",
            "object_id": str(n),
            "details": {"page": "question"},
        },
        lambda n: {
            **by(n),
            "verb": "request.respond",
            "object_type": "inforequest",
            "object_id": str(n),
            "outcome": "ok",
            "details": {"response": n, "outcome": "share", "decision": n + 1},
        },
        lambda n: {
            **by(n),
            "verb": "person.list",
            "object_type": "",
            "object_id": "",
            "target_type": "",
            "target_id": "",
            "details": {"shown": n % 50},
        },
        lambda n: {
            **by(n),
            "verb": "disclosure.view",
            "object_type": "disclosure",
            "object_id": str(n),
            "outcome": "denied" if n % 2 else "ok",
            "details": {"as": "recipient", "content_shown": False, "why": "Zoë's note"},
        },
        lambda n: {
            **by(n),
            "actor": None,
            "actor_username": "",
            "request_id": "",
            "verb": "keys.rotate",
            "object_type": "",
            "object_id": "",
            "target_type": "",
            "target_id": "",
            "agency_id": None,
            "details": {"key": n, "reencrypted": {"person": n % 97, "decision": 1.5}},
        },
    ]


def _fill_chain(world: Any, people: list[Any], total: int) -> None:
    """Extend the chain to `total` entries, hashed as `audit_append` hashes them."""
    from django.db import transaction
    from django.utils import timezone

    from sharewise.audit.models import AuditEntry, AuditHead
    from sharewise.guidance.audit_chain import GENESIS_HASH, canonical_bytes, entry_hash

    shapes = _entry_shapes(world, people)
    last = AuditEntry.objects.order_by("-id").first()
    previous = last.entry_hash if last else GENESIS_HASH
    have = AuditEntry.objects.count()
    start = timezone.now() - dt.timedelta(days=30)
    for first in range(have, total, FILL_BATCH):
        batch = []
        for n in range(first, min(first + FILL_BATCH, total)):
            # One time in a hundred falls on a whole second: SQLite stores those without
            # a fraction.
            micros = 0 if n % 100 == 0 else n % 1_000_000
            at = start + dt.timedelta(seconds=n, microseconds=micros)
            entry = AuditEntry(at=at, **shapes[n % len(shapes)](n), previous_hash=previous)
            entry.entry_hash = entry_hash(previous, canonical_bytes(entry.chain_fields()))
            previous = entry.entry_hash
            batch.append(entry)
        with transaction.atomic():
            AuditEntry.objects.bulk_create(batch)
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None and last.entry_hash == previous
    AuditHead.objects.update_or_create(
        pk=1, defaults={"entry_id": last.pk, "entry_hash": last.entry_hash}
    )


def _best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest of `repeat` timed runs (others share the machine), and its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _reference_messages() -> Iterator[bytes]:
    """What the chain's hashes cover, by the core's reference canonical form of every
    stored entry read through the ORM: previous hash, then canonical bytes."""
    from sharewise.audit.verification import stored_entries
    from sharewise.guidance.audit_chain import canonical_bytes

    for entry in stored_entries():
        yield entry.previous_hash.encode("ascii") + canonical_bytes(entry.fields)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000, help="chain length to verify")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--seconds", type=float, default=5.0, help="append timing each way; 0 leaves it out"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each walk")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="on PostgreSQL, also time `audit verify --workers N` (ranges in N processes)",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also time the reference walk (ORM rows and canonical_bytes: the walk before issue 6)",
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="sharewise-bench-")
    os.environ["SHAREWISE_DATA_DIR"] = workdir
    os.environ["SHAREWISE_CACHE_DIR"] = os.path.join(workdir, "cache")
    os.environ["SHAREWISE_DEMO"] = "off"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"
    drop = None
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        from tests.factories import PersonFactory, personas

        from sharewise.audit.verification import (
            CHUNK_SIZE,
            audit_chain_verify,
            stored_columns_sql,
            stored_entries,
            stored_links,
        )
        from sharewise.decisions import services
        from sharewise.guidance.audit_chain import ChainSummary, chain_verify

        world = personas()
        people = [
            PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
            for _ in range(max(args.threads, 1))
        ]
        connection.close()
        print(f"database: {connection.vendor}")
        if args.seconds > 0:
            print(f"appending: {args.threads} threads, {args.seconds:g} s each way")
            audited = _record_decisions(world, people, args.seconds)
            print(f"decisions/s with auditing:    {audited:9.1f}")
            original = services.audit_append
            services.audit_append = lambda **kwargs: None  # type: ignore[assignment]
            try:
                unaudited = _record_decisions(world, people, args.seconds)
            finally:
                services.audit_append = original
            print(f"decisions/s without auditing: {unaudited:9.1f}")
            print(f"with/without: {audited / unaudited:.2f}")

        _fill_chain(world, people, args.entries)
        messages = list(_reference_messages())
        count = len(messages)
        megabytes = sum(len(m) for m in messages) / 1e6
        print(
            f"verifying: {count} entries, {megabytes:.1f} MB hashed "
            f"({megabytes * 1e6 / count:.0f} bytes an entry), best of {args.repeat}"
        )
        # The fast walk must hash the very bytes the reference gives, entry for entry.
        fast = [link[3] for chunk in stored_links() for link in chunk]
        identical = sum(1 for a, b in zip(fast, messages, strict=True) if a == b)
        print(f"fast bytes identical to the reference: {identical} of {count}")
        assert identical == count
        del fast
        verify_seconds, result = _best(args.repeat, audit_chain_verify)
        assert isinstance(result[0], ChainSummary) and result[0].count == count, result
        timings = [("audit verify", verify_seconds)]
        workers_seconds = None
        if args.workers > 1 and connection.vendor == "postgresql":
            workers_seconds, in_workers = _best(
                args.repeat, lambda: audit_chain_verify(workers=args.workers)
            )
            assert in_workers[0] == result[0], in_workers
            timings.append((f"audit verify --workers {args.workers}", workers_seconds))
        if args.reference:
            seconds, summary = _best(1, lambda: chain_verify(stored_entries()))
            assert summary == result[0], summary
            timings.append(("reference walk", seconds))

        def read_alone() -> None:
            # The same statement through the same cursor, the rows thrown away: what any
            # walk of the stored chain pays before it builds or hashes a byte.
            with connection.chunked_cursor() as cursor:
                cursor.execute(stored_columns_sql())
                while cursor.fetchmany(CHUNK_SIZE):
                    pass

        def read_and_build() -> None:
            # Reading plus making every entry's hashed bytes: the walk without SHA-256 and
            # without the comparisons.
            for _chunk in stored_links():
                pass

        read_seconds, _ = _best(args.repeat, read_alone)
        build_seconds, _ = _best(args.repeat, read_and_build)
        timings += [
            ("reading the rows alone", read_seconds),
            ("reading and building", build_seconds),
        ]

        def hash_alone() -> None:
            sha256 = hashlib.sha256
            for message in messages:
                sha256(message).digest()

        sha256_seconds, _ = _best(args.repeat, hash_alone)
        for name, seconds in [("sha256 alone", sha256_seconds), *timings]:
            print(
                f"{name}: {count / seconds:10.0f} entries/s {megabytes / seconds:8.1f} MB/s"
                f" ({seconds:.3f} s)"
            )
        ratio = sha256_seconds / verify_seconds
        verdict = "met" if ratio >= TARGET else "not met"
        print(f"verify/sha256 throughput: {ratio:.2f} (target at least {TARGET:.2f}: {verdict})")
        if workers_seconds is not None:
            ratio = sha256_seconds / workers_seconds
            verdict = "met" if ratio >= TARGET else "not met"
            print(
                f"verify --workers {args.workers}/sha256 throughput: {ratio:.2f} "
                f"(target at least {TARGET:.2f}: {verdict}; {os.cpu_count()} cores here, "
                "shared with the database)"
            )
        # The best any walk that reads the rows from this database could reach, before it
        # makes or hashes a byte: sha256 alone against reading plus hashing (the two cannot
        # overlap in one process).
        ceiling = sha256_seconds / (read_seconds + sha256_seconds)
        print(f"ceiling for one process that reads the rows: {ceiling:.2f}")
        print(
            "share of the walk: reading "
            f"{read_seconds / verify_seconds:.0%}, building "
            f"{(build_seconds - read_seconds) / verify_seconds:.0%}, hashing and comparing "
            f"{(verify_seconds - build_seconds) / verify_seconds:.0%}"
        )
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
