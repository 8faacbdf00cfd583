"""What the audit chain costs: decisions recorded per second with and without it, and how
fast `sharewise audit verify` walks the chain against plain SHA-256 over the same bytes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python benchmarks/audit.py
    uv run python benchmarks/audit.py [--threads 16] [--seconds 5]   # SQLite, for a look

With DATABASE_URL, a fresh database is created beside the one named (and dropped after),
so nothing of yours is touched. N threads, each with its own connection and its own
person, record decisions through the real services (`decision_start` and three pages of
answers, five audit entries a decision) for a few seconds: once with auditing on, and once
with `audit_append` replaced by a no-op. Every append locks the one chain-head row, so
this measures what that serialisation costs under contention. Then the whole chain is
verified as the command does, and the same canonical bytes are hashed with hashlib alone.
Prints figures only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
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

        from sharewise.audit.models import AuditEntry
        from sharewise.audit.verification import audit_chain_verify, stored_entries
        from sharewise.decisions import services
        from sharewise.guidance.audit_chain import ChainSummary, canonical_bytes

        world = personas()
        people = [
            PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
            for _ in range(args.threads)
        ]
        connection.close()
        print(f"database: {connection.vendor}; {args.threads} threads, {args.seconds:g} s each way")
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

        count = AuditEntry.objects.count()
        start = time.perf_counter()
        result, _ = audit_chain_verify()
        verify_seconds = time.perf_counter() - start
        assert isinstance(result, ChainSummary), result
        # The same canonical bytes, made beforehand, hashed by hashlib alone: the floor for
        # any walk that must hash every entry.
        canonical = [
            (e.previous_hash.encode("ascii"), canonical_bytes(e.fields)) for e in stored_entries()
        ]
        start = time.perf_counter()
        for previous, body in canonical:
            hashlib.sha256(previous + body).hexdigest()
        sha256_seconds = time.perf_counter() - start
        print(f"audit verify: {count / verify_seconds:12.0f} entries/s ({count} entries)")
        print(f"sha256 alone: {count / sha256_seconds:12.0f} entries/s")
        # How many times longer the verify walk takes than hashing alone.
        print(f"verify/sha256: {verify_seconds / sha256_seconds:.1f}")
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
