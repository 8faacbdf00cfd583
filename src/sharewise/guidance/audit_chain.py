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
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
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


# The fast walk. `chain_verify` above is the specification; what follows computes the same
# bytes and the same answer several times faster, for `sharewise audit verify` over a chain
# of millions (issue 6; docs/decisions/0017-audit-fast-verify.md). Most of the reference
# walk's time goes on building model-shaped dicts and on `json.dumps`, which makes a new
# encoder and calls `default` for the time, for every entry.

# One link as the fast walk reads it: id, previous hash, stored hash, and the bytes its hash
# covers (previous hash then canonical form), or None when the fast form does not apply
# and the reference must make them.
ChainLink = tuple[int, str, str, bytes | None]
# An entry's columns as stored, in this order: id, previous_hash, entry_hash, the time as
# UTC text ("YYYY-MM-DD HH:MM:SS" with ".ffffff" or without), then the hashed fields in
# canonical (sorted) key order, with `details` as its JSON text.
STORED_COLUMNS = (
    "id",
    "previous_hash",
    "entry_hash",
    "at",
    "actor_id",
    "actor_username",
    "agency_id",
    "details",
    "object_id",
    "object_type",
    "outcome",
    "request_id",
    "target_id",
    "target_type",
    "verb",
)
# The same settings as `canonical_bytes`, made once. The time is already text when it
# reaches it, so `default` is never needed.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
# Only this shape of time text is turned into the canonical time by moving characters;
# anything else (another format, a year before 1000, a type SQLite let in) goes to the
# reference, so no text can read as a time it is not.
_UTC_TIME_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?")
# Details repeat ({"page": "question"}, {"pack": "hmg-2008"}): their canonical text is
# kept by their stored text, which always reads as the same value.
DETAILS_CACHE_SIZE = 20_000


def _json_int(value: object) -> object:
    if value is None:
        return "null"
    # Exactly int: SQLite would let a text or a float into the column, and those have
    # other canonical forms; they go to the reference.
    if value.__class__ is not int:
        raise TypeError("not an integer")
    return value


def hashed_bytes_from_columns(
    rows: Iterable[Sequence[Any]], details_cache: dict[Any, str] | None = None
) -> list[ChainLink]:
    """Links for stored rows (`STORED_COLUMNS`), the hashed bytes made without a dict or
    `json.dumps` per entry.

    Where it gives bytes they are exactly `previous_hash` then `canonical_bytes(fields)` of
    the fields the row reads as (tests/guidance/test_audit_chain_fast.py checks this over
    generated entries): each piece is a whole JSON value made by the encoder that
    `canonical_bytes` uses (strings by the same `encode_basestring`, details by the same
    settings), in sorted key order, and the time only from one strict shape of UTC text.
    Where it cannot be sure, it gives None and the walk asks the reference."""
    cache: dict[Any, str] = {} if details_cache is None else details_cache
    quote = encode_basestring
    time_shape = _UTC_TIME_TEXT.fullmatch
    links: list[ChainLink] = []
    append = links.append
    for row in rows:
        (
            entry_id,
            previous,
            stored,
            at,
            actor_id,
            actor_username,
            agency_id,
            details,
            object_id,
            object_type,
            outcome,
            request_id,
            target_id,
            target_type,
            verb,
        ) = row
        message: bytes | None
        try:
            if at.__class__ is not str or time_shape(at) is None:
                raise ValueError("not a UTC time text")
            details_json = cache.get(details)
            if details_json is None:
                details_json = _ENCODER.encode(json.loads(details))
                if len(cache) >= DETAILS_CACHE_SIZE:
                    cache.clear()
                cache[details] = details_json
            message = (
                f'{previous}{{"actor_id":{_json_int(actor_id)},'
                f'"actor_username":{quote(actor_username)},'
                f'"agency_id":{_json_int(agency_id)},'
                f'"at":"{at[:10]}T{at[11:]}{"" if len(at) == 26 else ".000000"}Z",'
                f'"details":{details_json},'
                f'"object_id":{quote(object_id)},"object_type":{quote(object_type)},'
                f'"outcome":{quote(outcome)},"request_id":{quote(request_id)},'
                f'"target_id":{quote(target_id)},"target_type":{quote(target_type)},'
                f'"verb":{quote(verb)}}}'
            ).encode()
        except (TypeError, ValueError, UnicodeError, RecursionError):
            message = None
        append((entry_id, previous, stored, message))
    return links


def _link_break(
    link: ChainLink,
    following: ChainLink | None,
    before: str,
    before_that: str | None,
    previous_id: int | None,
    position: int,
) -> ChainBreak:
    """Which break an entry that does not follow `before` is: `chain_verify`'s rules."""
    entry_id, previous_hash = link[0], link[1]
    if following is not None and previous_hash == following[2]:
        return ChainBreak(entry_id, "reordered", position)
    if following is not None and following[1] == before:
        return ChainBreak(entry_id, "inserted", position)
    if previous_id is not None and before_that is not None and previous_hash == before_that:
        return ChainBreak(previous_id, "inserted", position - 1)
    return ChainBreak(entry_id, "removed", position)


def chain_verify_links(
    chunks: Iterable[Sequence[ChainLink]],
    reference_canonical: Callable[[int], bytes],
    follows: str = GENESIS_HASH,
) -> ChainSummary | ChainBreak:
    """`chain_verify` over links read in chunks: the same first break, or the same summary.

    `follows` is the stored hash the first link must follow: the genesis hash for the whole
    chain, or the hash of the entry before a range that a worker walks (`chain_ranges_join`).

    The loop per entry is one comparison of the link and one SHA-256 of the bytes already
    made. An entry whose bytes are None, or whose hash does not match them, is checked
    again on `reference_canonical(id)` (the reference canonical form of the entry as
    stored) before it is called changed, so the fast form can only ever be slower, never
    decide differently. A broken link at the end of a chunk waits for the next chunk, whose
    first entry tells a reordering or an insertion from a removal."""
    sha256 = hashlib.sha256
    before: str = follows
    before_that: str | None = None
    previous_id: int | None = None
    count = 0
    carried: list[ChainLink] = []
    for chunk in chunks:
        links = [*carried, *chunk] if carried else chunk
        carried = []
        last = len(links) - 1
        index = 0
        while index <= last:
            # The fast loop: runs until an entry needs a closer look.
            stop = index
            for entry_id, previous_hash, stored, message in links[index:] if index else links:
                if (
                    previous_hash != before
                    or message is None
                    or sha256(message).hexdigest() != stored
                ):
                    break
                before_that, before = before, stored
                previous_id = entry_id
                stop += 1
            count += stop - index
            index = stop
            if index > last:
                break
            link = links[index]
            if link[1] != before:
                if index == last:
                    # The entry after it is in the next chunk, if there is one.
                    carried = [link]
                    break
                return _link_break(link, links[index + 1], before, before_that, previous_id, count)
            if entry_hash(link[1], reference_canonical(link[0])) != link[2]:
                return ChainBreak(link[0], "changed", count)
            before_that, before = before, link[2]
            previous_id = link[0]
            count += 1
            index += 1
    if carried:
        return _link_break(carried[0], None, before, before_that, previous_id, count)
    return ChainSummary(count=count, head_id=previous_id, head_hash=before)


@dataclass(frozen=True)
class ChainRange:
    """What a worker found of one range of the chain: the stored hash its first entry had
    to follow (the last entry before the range, or the genesis hash), and its walk."""

    follows: str
    result: ChainSummary | ChainBreak


def chain_ranges_join(ranges: Sequence[ChainRange]) -> ChainSummary | None:
    """The whole chain's summary from its ranges walked apart, in id order; None unless
    every range held and each followed exactly the hash the range before it ended on.

    Each entry's hash and its link to the entry before it are checked in exactly one range,
    so ranges that all hold and join edge to edge are the chain that `chain_verify` accepts.
    None says only that something does not hold: which entry and how is for the walk in
    one piece to say (`chain_verify`'s rules need the entries on both sides of a break, and
    a range's walk does not see the entry before its first)."""
    before = GENESIS_HASH
    head_id: int | None = None
    count = 0
    for part in ranges:
        if not isinstance(part.result, ChainSummary) or part.follows != before:
            return None
        count += part.result.count
        if part.result.head_id is not None:
            head_id, before = part.result.head_id, part.result.head_hash
    return ChainSummary(count=count, head_id=head_id, head_hash=before)
