"""The audit hash chain: canonical form, hashes, and every kind of break (no database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo

import pytest

from sharewise.guidance.audit_chain import (
    GENESIS_HASH,
    ChainBreak,
    ChainEntry,
    ChainSummary,
    canonical_bytes,
    chain_verify,
    entry_hash,
)

START = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)


def _chain(count: int) -> list[ChainEntry]:
    entries = []
    previous = GENESIS_HASH
    for n in range(1, count + 1):
        fields = {"verb": "person.view", "at": START + dt.timedelta(seconds=n), "target_id": n}
        digest = entry_hash(previous, canonical_bytes(fields))
        entries.append(ChainEntry(id=n, previous_hash=previous, entry_hash=digest, fields=fields))
        previous = digest
    return entries


def _rehash(entry: ChainEntry, previous_hash: str, **changes: object) -> ChainEntry:
    fields = {**entry.fields, **changes}
    return ChainEntry(
        id=entry.id,
        previous_hash=previous_hash,
        entry_hash=entry_hash(previous_hash, canonical_bytes(fields)),
        fields=fields,
    )


def test_canonical_form_is_sorted_compact_utf8_with_utc_times() -> None:
    london = zoneinfo.ZoneInfo("Europe/London")
    summer = dt.datetime(2026, 7, 1, 13, 0, 0, 5, tzinfo=london)
    assert canonical_bytes({"b": "Zoë", "a": [1, 2], "at": summer}) == (
        '{"a":[1,2],"at":"2026-07-01T12:00:00.000005Z","b":"Zoë"}'.encode()
    )


def test_canonical_form_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical_bytes({"at": dt.datetime(2026, 1, 1)})


def test_entry_hash_is_sha256_of_previous_hash_and_canonical_form() -> None:
    canonical = canonical_bytes({"verb": "decision.sign"})
    expected = hashlib.sha256(GENESIS_HASH.encode() + canonical).hexdigest()
    assert entry_hash(GENESIS_HASH, canonical) == expected
    assert GENESIS_HASH == "0" * 64


def test_an_intact_chain_verifies_with_its_head() -> None:
    entries = _chain(5)
    assert chain_verify(entries) == ChainSummary(5, 5, entries[-1].entry_hash)


def test_an_empty_chain_verifies() -> None:
    assert chain_verify([]) == ChainSummary(0, None, GENESIS_HASH)


def test_a_changed_entry_is_named() -> None:
    entries = _chain(5)
    entries[2] = ChainEntry(3, entries[2].previous_hash, entries[2].entry_hash, {"verb": "x"})
    assert chain_verify(entries) == ChainBreak(3, "changed", 2)


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    entries = _chain(5)
    entries[2] = _rehash(entries[2], entries[2].previous_hash, verb="decision.view")
    assert chain_verify(entries) == ChainBreak(4, "removed", 3)


@pytest.mark.parametrize("index", [0, 2, 4])
def test_a_removed_entry_is_found_at_the_entry_after_it(index: int) -> None:
    entries = _chain(6)
    del entries[index]
    assert chain_verify(entries) == ChainBreak(index + 2, "removed", index)


def test_an_inserted_entry_with_a_made_up_link_is_named() -> None:
    entries = _chain(5)
    forged = ChainEntry(99, "f" * 64, "e" * 64, {"verb": "person.view"})
    entries.insert(2, forged)
    assert chain_verify(entries) == ChainBreak(99, "inserted", 2)


def test_an_inserted_entry_with_a_computed_link_is_named() -> None:
    entries = _chain(5)
    forged = _rehash(ChainEntry(99, "", "", {"verb": "person.view"}), entries[1].entry_hash)
    entries.insert(2, forged)
    assert chain_verify(entries) == ChainBreak(99, "inserted", 2)


@pytest.mark.parametrize("index", [0, 2, 3])
def test_two_swapped_entries_are_reported_as_reordered(index: int) -> None:
    entries = _chain(5)
    entries[index], entries[index + 1] = entries[index + 1], entries[index]
    assert chain_verify(entries) == ChainBreak(entries[index].id, "reordered", index)


def test_a_break_describes_itself() -> None:
    assert ChainBreak(7, "changed", 6).describe() == (
        "entry 7: changed: its content no longer matches its hash"
    )
