"""Walking the stored audit log: fast, through the core's `chain_verify_links`, with the
reference `chain_verify` (over `stored_entries`) kept as the specification it must match.

On PostgreSQL the walk can be shared between worker processes, each over a range of ids
(`audit_chain_verify(workers=N)`, `sharewise audit verify --workers N`): one process
reading the chain reaches a sixth of plain SHA-256's throughput at best, because
fetching an entry's columns costs several times hashing it (docs/performance.md), and
the issue 6 target of a half needs the reading spread over cores (ADR 0017)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise, repeat

from django.db import connection, connections

from sharewise.guidance.audit_chain import (
    GENESIS_HASH,
    STORED_COLUMNS,
    ChainBreak,
    ChainEntry,
    ChainLink,
    ChainRange,
    ChainSummary,
    canonical_bytes,
    chain_ranges_join,
    chain_verify,
    chain_verify_links,
    hashed_bytes_from_columns,
)

from .models import AuditCheckpoint, AuditEntry, AuditHead

# Rows fetched per round trip: large enough that the walk is bound by hashing, small
# enough that a chain of millions of entries never sits in memory.
CHUNK_SIZE = 2000
CHAIN_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "verb",
    "object_type",
    "object_id",
    "target_type",
    "target_id",
    "agency_id",
    "request_id",
    "outcome",
    "details",
)


@dataclass
class AnchorCheck:
    """An (entry id, hash) the chain must still contain: the head row, or a checkpoint."""

    entry_id: int
    entry_hash: str
    found_hash: str | None = field(default=None)


def stored_entries(anchors: Sequence[AnchorCheck] = ()) -> Iterator[ChainEntry]:
    """Every entry in id order, noting the stored hash of each anchor's entry on the way."""
    by_id: dict[int, list[AnchorCheck]] = {}
    for anchor in anchors:
        by_id.setdefault(anchor.entry_id, []).append(anchor)
    rows = (
        AuditEntry.objects.order_by("id")
        .values_list("id", "previous_hash", "entry_hash", *CHAIN_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        entry_id, previous_hash, entry_hash = row[0], row[1], row[2]
        for anchor in by_id.get(entry_id, ()):
            anchor.found_hash = entry_hash
        yield ChainEntry(
            entry_id, previous_hash, entry_hash, dict(zip(CHAIN_FIELDS, row[3:], strict=True))
        )


def stored_columns_sql(*, ranged: bool = False) -> str:
    """The entries in id order as `hashed_bytes_from_columns` reads them.

    Plain columns, no model instances and no converters: the time as UTC text (SQLite
    keeps it so; on PostgreSQL `to_char` writes it, for years 1000 to 9999 only, the rest
    going to the reference), `details` as its JSON text (jsonb's own text on PostgreSQL:
    its key order and spacing do not matter, the core parses it and writes the canonical
    form). The table is Django's, never a name from input."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    if connection.vendor == "postgresql":
        at = (
            "CASE WHEN at >= '1000-01-01T00:00:00Z' AND at < '10000-01-01T00:00:00Z'"
            " THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') END"
        )
        details = "details::text"
    else:
        # An expression, so that Django's converter for "datetime" columns leaves it alone.
        at, details = "at || ''", "details"
    columns = ", ".join(
        at if name == "at" else details if name == "details" else name for name in STORED_COLUMNS
    )
    # A range (`ranged`) takes two parameters: the ids after which and up to which.
    where = " WHERE id > %s AND id <= %s" if ranged else ""
    return f"SELECT {columns} FROM {table}{where} ORDER BY id"  # noqa: S608


def _reference_canonical(entry_id: int) -> bytes:
    """The reference canonical form of one stored entry, read through the ORM as
    `stored_entries` reads it: for the rare entry the fast form leaves alone."""
    values = AuditEntry.objects.filter(pk=entry_id).values_list(*CHAIN_FIELDS).get()
    return canonical_bytes(dict(zip(CHAIN_FIELDS, values, strict=True)))


def stored_links(
    anchors: Sequence[AnchorCheck] = (), ids: tuple[int, int] | None = None
) -> Iterator[list[ChainLink]]:
    """Every entry in id order as links (or those with ids after `ids[0]` up to `ids[1]`),
    a chunk at a time, from one streaming query (a server-side cursor on PostgreSQL),
    noting each anchor's stored hash on the way."""
    by_id: dict[int, list[AnchorCheck]] = {}
    for anchor in anchors:
        by_id.setdefault(anchor.entry_id, []).append(anchor)
    details_cache: dict[object, str] = {}
    with connection.chunked_cursor() as cursor:
        if ids is None:
            cursor.execute(stored_columns_sql())
        else:
            cursor.execute(stored_columns_sql(ranged=True), list(ids))
        while rows := cursor.fetchmany(CHUNK_SIZE):
            if by_id:
                for row in rows:
                    for anchor in by_id.get(row[0], ()):
                        anchor.found_hash = row[2]
            yield hashed_bytes_from_columns(rows, details_cache)


# Past the last id any chain will reach: the upper bound of the range that takes the
# entries appended while the workers walk.
LAST_ID = 2**63 - 1


def workers_available() -> str | None:
    """Why this database cannot be verified by worker processes, or None if it can."""
    if connection.vendor != "postgresql":
        # SQLite's chains are a demo's or a small agency's; its test databases live in
        # one process's memory, where another process cannot read them.
        return "worker processes need PostgreSQL; this database is walked in one process"
    if "fork" not in multiprocessing.get_all_start_methods():
        return "worker processes need fork(), which this system does not have"
    if connection.in_atomic_block:
        # Other connections cannot see what this transaction has not committed.
        return "worker processes cannot see inside an open transaction"
    return None


def _range_walk(
    ids: tuple[int, int], anchor_ids: frozenset[int]
) -> tuple[ChainRange, dict[int, str]]:
    """Walk the entries with ids after `ids[0]` up to `ids[1]`, from the stored hash of the
    last entry before them; also the stored hashes of the anchors among them."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entry_hash FROM {table} WHERE id <= %s ORDER BY id DESC LIMIT 1",  # noqa: S608
            [ids[0]],
        )
        row = cursor.fetchone()
    follows = GENESIS_HASH if row is None else row[0]
    anchors = [AnchorCheck(entry_id, "") for entry_id in anchor_ids]
    result = chain_verify_links(stored_links(anchors, ids), _reference_canonical, follows)
    found = {a.entry_id: a.found_hash for a in anchors if a.found_hash is not None}
    return ChainRange(follows, result), found


def _range_walk_in_worker(
    ids: tuple[int, int], anchor_ids: frozenset[int]
) -> tuple[ChainRange, dict[int, str]]:
    try:
        return _range_walk(ids, anchor_ids)
    finally:
        # A worker process ends with os._exit, which would drop the connection unclosed.
        connections.close_all()


def _verify_in_workers(checks: list[AnchorCheck], workers: int) -> ChainSummary | None:
    """The chain's summary from `workers` processes each walking a range of ids, or None
    if any part does not hold (the caller then walks it in one piece to say where)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
    if high is None:
        return ChainSummary(count=0, head_id=None, head_hash=GENESIS_HASH)
    # Ranges of equal width in ids: ids come from one sequence, so the gaps rolled-back
    # appends leave are spread through them and the ranges hold about as many entries.
    edges = [low - 1 + (high - low + 1) * k // workers for k in range(workers + 1)]
    ranges = list(pairwise(edges))
    anchor_ids = frozenset(a.entry_id for a in checks)
    # Each worker opens its own connection: a forked process must not use the parent's.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = list(pool.map(_range_walk_in_worker, ranges, repeat(anchor_ids)))
    # The entries appended while the workers walked, here: the head was read before the
    # walk, so it is among the entries the ranges cover.
    parts.append(_range_walk((high, LAST_ID), anchor_ids))
    for _, found in parts:
        for anchor in checks:
            if anchor.entry_id in found:
                anchor.found_hash = found[anchor.entry_id]
    return chain_ranges_join([part for part, _ in parts])


def audit_chain_verify(
    anchors: list[AnchorCheck] | None = None, workers: int = 1
) -> tuple[ChainSummary | ChainBreak, list[AnchorCheck]]:
    """Verify the whole stored chain; also returns the anchors to check, the head first.

    The head is read before the walk, so entries appended during it only add to what is
    walked and the head is always among the entries seen. With `workers` above 1, where
    `workers_available()`, ranges of the chain are walked in that many processes; if any
    does not hold, the chain is walked again in one piece, so the break reported is the
    one the walk in one piece finds, named by the same rules."""
    head = AuditHead.objects.filter(pk=1).first()
    checks = list(anchors or [])
    if head is not None and head.entry_id is not None:
        checks.insert(0, AnchorCheck(head.entry_id, head.entry_hash))
    if connection.vendor not in ("postgresql", "sqlite"):
        return chain_verify(stored_entries(checks)), checks
    if workers > 1 and workers_available() is None:
        summary = _verify_in_workers(checks, workers)
        if summary is not None:
            return summary, checks
    return chain_verify_links(stored_links(checks), _reference_canonical), checks


@dataclass
class StoredCheckpointCheck:
    """One of the database's own signed checkpoints, and the chain's hash of its entry."""

    checkpoint: AuditCheckpoint
    anchor: AnchorCheck


def stored_checkpoint_checks() -> list[StoredCheckpointCheck]:
    """Every checkpoint the database holds, each as an anchor for the walk to note. They
    are few (one every SHAREWISE_AUDIT_CHECKPOINT_EVERY appends, 6,500 for 6.5 million
    entries), and each pins the chain up to its entry: a chain cut short, or rewritten
    with fresh hashes, no longer holds the entry a checkpoint signed."""
    return [
        StoredCheckpointCheck(checkpoint, AnchorCheck(checkpoint.entry_id, checkpoint.entry_hash))
        for checkpoint in AuditCheckpoint.objects.order_by("entry_id", "id")
    ]


def stored_checkpoint_problems(
    checks: Sequence[StoredCheckpointCheck], head_id: int | None
) -> Iterator[str]:
    """What does not hold of the stored checkpoints, once the walk has noted their
    entries: an entry no longer in the chain with the hash signed, a signature that does
    not verify, or one made by a key other than this server's."""
    from .checkpoints import (
        checkpoint_as_json,
        checkpoint_signature_problem,
        server_public_key_text,
    )

    server_key = server_public_key_text()
    for check in checks:
        checkpoint, anchor = check.checkpoint, check.anchor
        signed = f"the checkpoint of {checkpoint_as_json(checkpoint)['at']}"
        if anchor.found_hash is None and (head_id is None or anchor.entry_id > head_id):
            ends = "is empty" if head_id is None else f"ends at entry {head_id}"
            yield (
                f"entry {anchor.entry_id}: removed: {signed} signed it, and the chain {ends} "
                "(entries were removed from the end)"
            )
        elif anchor.found_hash != anchor.entry_hash:
            yield (
                f"entry {anchor.entry_id}: {signed} is no longer in the chain with the hash "
                "it signed (the chain was rewritten)"
            )
        problem = checkpoint_signature_problem(checkpoint_as_json(checkpoint))
        if problem is None and server_key is not None and server_key != checkpoint.public_key:
            problem = "the checkpoint was signed by a different key from this server's"
        if problem is not None:
            yield f"entry {anchor.entry_id}: {signed}: {problem}"
