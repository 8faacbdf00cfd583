"""The fast walk of the audit chain against the reference (no database).

`hashed_bytes_from_columns` must give exactly the bytes `canonical_bytes` gives for the
fields a stored row reads as, or None; `chain_verify_links` must give exactly the answer
`chain_verify` gives, wherever the chunks are cut."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    entry_hash,
    hashed_bytes_from_columns,
)

START = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
PREVIOUS = "a" * 64

# Text as practitioners' systems write it: accents, apostrophes, quotes, backslashes,
# control characters, characters beyond the BMP, JSON-looking text.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20
) | st.sampled_from(["", "practitioner_a", "zoë.o'brien", 'a "quoted" \\ name', '"}{,:', "\u2028"])
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
times = st.datetimes(
    min_value=dt.datetime(1000, 1, 1),
    max_value=dt.datetime(9999, 12, 30),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1))]),
) | st.builds(lambda s: START + dt.timedelta(seconds=s), st.integers(0, 10**8))
ids = st.none() | st.integers(min_value=1, max_value=2**62)
fields_strategy = st.fixed_dictionaries(
    {
        "at": times,
        "actor_id": ids,
        "actor_username": texts,
        "verb": texts,
        "object_type": texts,
        "object_id": texts,
        "target_type": texts,
        "target_id": texts,
        "agency_id": ids,
        "request_id": texts,
        "outcome": st.sampled_from(["ok", "denied"]) | texts,
        "details": st.dictionaries(texts, json_values, max_size=5) | json_values,
    }
)


def _utc_text(at: dt.datetime) -> str:
    # As SQLite keeps a time (Django writes str() of the naive UTC time: no fraction when
    # the microseconds are 0), and as the PostgreSQL query's to_char writes it.
    return str(at.astimezone(dt.UTC).replace(tzinfo=None))


def _stored_row(fields: dict[str, Any], details_text: str, at_text: str) -> tuple[Any, ...]:
    values = {**fields, "id": 1, "previous_hash": PREVIOUS, "entry_hash": "", "at": at_text}
    values["details"] = details_text
    return tuple(values[name] for name in STORED_COLUMNS)


# How the details come back: Django's text on SQLite, and jsonb's own (keys by length,
# ", " and ": ") on PostgreSQL, which the fast form must not rely on either.
DETAILS_TEXTS: list[Callable[[Any], str]] = [
    json.dumps,
    lambda value: json.dumps(value, ensure_ascii=False, separators=(", ", ": ")),
    lambda value: json.dumps(value, sort_keys=True, indent=1),
]


@settings(max_examples=400, deadline=None)
@given(fields=fields_strategy, text_form=st.sampled_from(DETAILS_TEXTS), fraction=st.booleans())
def test_fast_bytes_are_the_reference_bytes(fields, text_form, fraction) -> None:
    if not fraction:
        fields = {**fields, "at": fields["at"].replace(microsecond=0)}
    row = _stored_row(fields, text_form(fields["details"]), _utc_text(fields["at"]))
    [(_, _, _, message)] = hashed_bytes_from_columns([row])
    assert message == PREVIOUS.encode("ascii") + canonical_bytes(fields)


@pytest.mark.parametrize(
    "change",
    [
        {"actor_id": "12"},  # text where SQLite let it in: canonical would quote it
        {"agency_id": 12.0},  # a float: canonical would write 12.0
        {"actor_username": 5},
        {"at": "2026-11-23T14:00:00.000001Z"},  # another shape of time
        {"at": "2026-11-23 14:00:00.0001"},
        {"at": "999-11-23 14:00:00.000001"},
        {"at": None},
        {"details": "{not json"},  # Django reads this as the text itself
        {"details": '{"a": NaN}'},
        {"details": None},
        {"verb": "\ud800"},  # cannot be UTF-8
    ],
)
def test_rows_the_fast_form_cannot_be_sure_of_go_to_the_reference(change) -> None:
    fields = {name: "" for name in STORED_COLUMNS}
    fields.update(actor_id=None, agency_id=None, at="2026-11-23 14:00:00.000001")
    fields.update(details="{}")
    fields.update(change)
    row = (1, PREVIOUS, "", *(fields[name] for name in STORED_COLUMNS[3:]))
    assert hashed_bytes_from_columns([row]) == [(1, PREVIOUS, "", None)]


def test_the_details_cache_is_bounded(monkeypatch) -> None:
    from sharewise.guidance import audit_chain

    monkeypatch.setattr(audit_chain, "DETAILS_CACHE_SIZE", 3)
    cache: dict[Any, str] = {}
    for n in range(10):
        fields = {name: "" for name in STORED_COLUMNS}
        row = (n, PREVIOUS, "", "2026-11-23 14:00:00", None, "", None, json.dumps({"n": n}))
        row += tuple(fields[name] for name in STORED_COLUMNS[8:])
        assert hashed_bytes_from_columns([row], cache)[0][3] is not None
        assert len(cache) <= 3


# The walk: the same answer as chain_verify on every kind of break, wherever chunks end.


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
    digest = entry_hash(previous_hash, canonical_bytes(fields))
    return ChainEntry(entry.id, previous_hash, digest, fields)


def _links(entries: list[ChainEntry], fast: bool = True) -> list[ChainLink]:
    return [
        (
            e.id,
            e.previous_hash,
            e.entry_hash,
            e.previous_hash.encode("ascii") + canonical_bytes(e.fields) if fast else None,
        )
        for e in entries
    ]


def _walk_fast(entries: list[ChainEntry], size: int, fast: bool = True) -> Any:
    by_id = {entry.id: entry for entry in entries}
    links = _links(entries, fast)
    chunks = [links[i : i + size] for i in range(0, len(links), size)]
    return chain_verify_links(chunks, lambda entry_id: canonical_bytes(by_id[entry_id].fields))


def _swapped(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    entries[index], entries[index + 1] = entries[index + 1], entries[index]
    return entries


def _removed(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    del entries[index]
    return entries


def _inserted_made_up(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    entries.insert(index, ChainEntry(99, "f" * 64, "e" * 64, {"verb": "person.view"}))
    return entries


def _inserted_computed(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    previous = entries[index - 1].entry_hash if index else GENESIS_HASH
    entries.insert(index, _rehash(ChainEntry(99, "", "", {"verb": "x"}), previous))
    return entries


def _changed(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    old = entries[index]
    entries[index] = ChainEntry(old.id, old.previous_hash, old.entry_hash, {"verb": "x"})
    return entries


def _changed_and_rehashed(index: int) -> list[ChainEntry]:
    entries = _chain(7)
    entries[index] = _rehash(entries[index], entries[index].previous_hash, verb="x")
    return entries


def _appended_after_the_end(index: int) -> list[ChainEntry]:
    entries = _chain(7)[: index + 1]
    return [*entries, ChainEntry(99, "f" * 64, "e" * 64, {"verb": "x"})]


CHAINS = {
    "intact": lambda index: _chain(index),
    "swapped": _swapped,
    "removed": _removed,
    "inserted, made-up link": _inserted_made_up,
    "inserted, computed link": _inserted_computed,
    "changed": _changed,
    "changed and rehashed": _changed_and_rehashed,
    "stray entry at the end": _appended_after_the_end,
}


@pytest.mark.parametrize("kind", CHAINS)
@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("size", [1, 2, 3, 4, 100])
def test_the_fast_walk_answers_as_the_reference_wherever_chunks_end(kind, index, size) -> None:
    entries = CHAINS[kind](index)
    expected = chain_verify(entries)
    assert _walk_fast(entries, size) == expected
    # With no fast bytes at all, every entry goes to the reference: the same answer.
    assert _walk_fast(entries, size, fast=False) == expected


def test_a_reordering_at_a_chunk_boundary_is_told_by_the_next_chunk() -> None:
    # The swapped entry is the last of the first chunk: only the next chunk's first entry
    # tells a reordering from a removal.
    entries = _swapped(2)
    assert _walk_fast(entries, 3) == ChainBreak(entries[2].id, "reordered", 2)


def test_wrong_fast_bytes_are_checked_again_before_an_entry_is_called_changed() -> None:
    entries = _chain(4)
    by_id = {entry.id: entry for entry in entries}
    links = [(e.id, e.previous_hash, e.entry_hash, b"not the canonical form") for e in entries]
    result = chain_verify_links([links], lambda i: canonical_bytes(by_id[i].fields))
    assert result == ChainSummary(4, 4, entries[-1].entry_hash)


def test_an_empty_chain_verifies_in_chunks() -> None:
    assert chain_verify_links([[], []], lambda i: b"") == ChainSummary(0, None, GENESIS_HASH)


# Ranges walked apart (`sharewise audit verify --workers`): each range follows the stored
# hash of the entry before it, as a worker reads it, and the join accepts exactly the
# chains the walk in one piece accepts.


def _walk_ranges(entries: list[ChainEntry], cuts: tuple[int, ...]) -> ChainSummary | None:
    by_id = {entry.id: entry for entry in entries}
    links = _links(entries)
    edges = [0, *cuts, len(links)]
    ranges = []
    for start, end in itertools.pairwise(edges):
        follows = links[start - 1][2] if start else GENESIS_HASH
        result = chain_verify_links(
            [links[start:end]], lambda entry_id: canonical_bytes(by_id[entry_id].fields), follows
        )
        ranges.append(ChainRange(follows, result))
    return chain_ranges_join(ranges)


CUTS = [(), (1,), (3,), (1, 2), (2, 2, 5), (0, 4), (7,), (2, 4, 6)]


@pytest.mark.parametrize("kind", CHAINS)
@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("cuts", CUTS)
def test_ranges_walked_apart_join_only_where_the_chain_holds(kind, index, cuts) -> None:
    entries = CHAINS[kind](index)
    cuts = tuple(min(cut, len(entries)) for cut in cuts)
    expected = chain_verify(entries)
    joined = _walk_ranges(entries, cuts)
    if isinstance(expected, ChainSummary):
        assert joined == expected
    else:
        # Where it breaks is for the walk in one piece to say; the join only refuses.
        assert joined is None


def test_ranges_that_do_not_meet_edge_to_edge_are_refused() -> None:
    # Each range holds on its own, but the second does not follow where the first ended:
    # an entry between them read differently by two workers, or rewritten between reads.
    entries = _chain(6)
    links = _links(entries)
    first = chain_verify_links([links[:3]], lambda _: b"")
    second = chain_verify_links([links[3:]], lambda _: b"", links[2][2])
    assert isinstance(first, ChainSummary) and isinstance(second, ChainSummary)
    assert chain_ranges_join([ChainRange(GENESIS_HASH, first), ChainRange(links[2][2], second)])
    assert (
        chain_ranges_join([ChainRange(GENESIS_HASH, first), ChainRange("f" * 64, second)]) is None
    )
    assert chain_ranges_join([ChainRange("f" * 64, first), ChainRange(links[2][2], second)]) is None


def test_no_ranges_are_the_empty_chain() -> None:
    assert chain_ranges_join([]) == chain_verify([])
