"""Walking the stored audit log through the core's `chain_verify`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sharewise.guidance.audit_chain import ChainBreak, ChainEntry, ChainSummary, chain_verify

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
    return chain_verify(stored_entries(checks)), checks
