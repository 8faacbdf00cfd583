"""Walking the stored audit log: fast, through the core's `chain_verify_links`, with the
reference `chain_verify` (over `stored_entries`) kept as the specification it must match."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection

from sharewise.guidance.audit_chain import (
    STORED_COLUMNS,
    ChainBreak,
    ChainEntry,
    ChainLink,
    ChainSummary,
    canonical_bytes,
    chain_verify,
    chain_verify_links,
    hashed_bytes_from_columns,
)

from .models import AuditEntry, AuditHead

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


def stored_columns_sql() -> str:
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
    return f"SELECT {columns} FROM {table} ORDER BY id"  # noqa: S608


def _reference_canonical(entry_id: int) -> bytes:
    """The reference canonical form of one stored entry, read through the ORM as
    `stored_entries` reads it: for the rare entry the fast form leaves alone."""
    values = AuditEntry.objects.filter(pk=entry_id).values_list(*CHAIN_FIELDS).get()
    return canonical_bytes(dict(zip(CHAIN_FIELDS, values, strict=True)))


def stored_links(anchors: Sequence[AnchorCheck] = ()) -> Iterator[list[ChainLink]]:
    """Every entry in id order as links, a chunk at a time, from one streaming query (a
    server-side cursor on PostgreSQL), noting each anchor's stored hash on the way."""
    by_id: dict[int, list[AnchorCheck]] = {}
    for anchor in anchors:
        by_id.setdefault(anchor.entry_id, []).append(anchor)
    details_cache: dict[object, str] = {}
    with connection.chunked_cursor() as cursor:
        cursor.execute(stored_columns_sql())
        while rows := cursor.fetchmany(CHUNK_SIZE):
            if by_id:
                for row in rows:
                    for anchor in by_id.get(row[0], ()):
                        anchor.found_hash = row[2]
            yield hashed_bytes_from_columns(rows, details_cache)


def audit_chain_verify(
    anchors: list[AnchorCheck] | None = None,
) -> tuple[ChainSummary | ChainBreak, list[AnchorCheck]]:
    """Verify the whole stored chain; also returns the anchors to check, the head first.

    The head is read before the walk, so entries appended during it only add to what is
    walked and the head is always among the entries seen."""
    head = AuditHead.objects.filter(pk=1).first()
    checks = list(anchors or [])
    if head is not None and head.entry_id is not None:
        checks.insert(0, AnchorCheck(head.entry_id, head.entry_hash))
    if connection.vendor not in ("postgresql", "sqlite"):
        return chain_verify(stored_entries(checks)), checks
    return chain_verify_links(stored_links(checks), _reference_canonical), checks
