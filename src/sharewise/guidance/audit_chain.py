"""The audit log's hash chain: canonical form, entry hash, and the walk that verifies it.

Every write, every read of personal data and every export goes into an append-only audit
log that a command can verify (DESIGN.md capability 12; docs/decisions/0006-audit-chain.md).
Each entry's hash covers the hash of the entry before it, so changing, removing, inserting
or reordering an entry breaks the chain at a point `chain_verify` names. These functions
are pure: the database app stores what they compute, and `sharewise audit verify` walks
the stored entries through `chain_verify`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# The hash that the first entry of a chain follows.
GENESIS_HASH = "0" * 64

BreakKind = Literal["changed", "removed", "inserted", "reordered"]


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            # A naive time cannot be put in UTC without guessing its zone; refusing it
            # keeps two readings of one entry from hashing differently.
            raise ValueError("audit times must be timezone-aware")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical form in the audit log")


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """The one byte form of an entry's fields: JSON with sorted keys, no whitespace, UTF-8,
    times as ISO 8601 in UTC with microseconds. Any two readings of the same entry, from
    either database, give the same bytes, so the same hash."""
    return json.dumps(
        fields,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    ).encode("utf-8")


def entry_hash(previous_hash: str, canonical: bytes) -> str:
    """SHA-256, in hex, of the previous entry's hash followed by this entry's canonical
    form: the link that ties each entry to everything before it."""
    return hashlib.sha256(previous_hash.encode("ascii") + canonical).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    """An entry as stored: its id, the hash it says it follows, its own stored hash, and
    the fields its hash covers."""

    id: int
    previous_hash: str
    entry_hash: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold.

    `kind` is "changed" when the entry's stored hash does not match its content; otherwise
    the entry does not follow the one before it: "reordered" when it follows the entry
    after it (two entries swapped), "inserted" when the entry named sits between two that
    still link to each other, and "removed" when it follows an entry that is no longer
    there (removed, or replaced by one with a recomputed hash)."""

    id: int
    kind: BreakKind
    position: int

    def describe(self) -> str:
        explanations = {
            "changed": "its content no longer matches its hash",
            "removed": "the entry before it was removed or replaced",
            "inserted": "it was inserted into the chain",
            "reordered": "it is out of order",
        }
        return f"entry {self.id}: {self.kind}: {explanations[self.kind]}"


@dataclass(frozen=True)
class ChainSummary:
    """A chain that holds: how many entries, and the last one's id and hash."""

    count: int
    head_id: int | None
    head_hash: str


def _pairs(entries: Iterable[ChainEntry]) -> Iterator[tuple[ChainEntry, ChainEntry | None]]:
    iterator = iter(entries)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


def chain_verify(entries: Iterable[ChainEntry]) -> ChainSummary | ChainBreak:
    """Walk `entries` in id order and return the first break, or a summary if none.

    Needs only the entry before the current one and the one after it, so it runs in
    constant memory over a chain of any length (`sharewise audit verify` streams it)."""
    # The stored hashes of the two entries before the current one: the one it should
    # follow, and the one before that (which an entry after an insertion still follows).
    before: str = GENESIS_HASH
    before_that: str | None = None
    previous_id: int | None = None
    count = 0
    for position, (entry, following) in enumerate(_pairs(entries)):
        if entry.previous_hash != before:
            if following is not None and entry.previous_hash == following.entry_hash:
                return ChainBreak(entry.id, "reordered", position)
            if following is not None and following.previous_hash == before:
                return ChainBreak(entry.id, "inserted", position)
            if (
                previous_id is not None
                and before_that is not None
                and entry.previous_hash == before_that
            ):
                # The entry before links properly but this one skips it: the one before
                # was put in with a hash computed to fit.
                return ChainBreak(previous_id, "inserted", position - 1)
            return ChainBreak(entry.id, "removed", position)
        if entry_hash(entry.previous_hash, canonical_bytes(entry.fields)) != entry.entry_hash:
            return ChainBreak(entry.id, "changed", position)
        before_that, before = before, entry.entry_hash
        previous_id = entry.id
        count += 1
    return ChainSummary(count=count, head_id=previous_id, head_hash=before)
