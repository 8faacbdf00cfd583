"""`sharewise audit verify`'s fast walk on a real database: the bytes it hashes are the
reference's, and a break at the end of a chunk is still named as the reference names it."""

from __future__ import annotations

import datetime as dt

import pytest

from sharewise.audit import verification
from sharewise.audit.models import AuditEntry
from sharewise.audit.verification import CHAIN_FIELDS, stored_entries, stored_links
from sharewise.cli import main
from sharewise.guidance.audit_chain import STORED_COLUMNS, canonical_bytes
from tests.factories import personas

from .journey import helen_signed, sql, triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> list[AuditEntry]:
    helen_signed(personas())
    return list(AuditEntry.objects.order_by("id"))


def test_the_stored_columns_are_the_fields_the_hash_covers() -> None:
    assert set(STORED_COLUMNS[3:]) == set(CHAIN_FIELDS) == set(AuditEntry().chain_fields())


def test_the_fast_walk_hashes_exactly_the_reference_bytes(trail) -> None:
    # One entry at a whole second (which SQLite keeps without a fraction), written as
    # Django writes times: UTC text without an offset.
    sql(
        "INSERT INTO audit_auditentry (at, actor_username, verb, object_type, object_id,"
        " target_type, target_id, request_id, outcome, details, previous_hash, entry_hash)"
        " VALUES (%s, '', 'x', '', '', '', '', '', 'ok', %s, %s, %s)",
        [
            f"{trail[0].at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}",
            '{"b": [1, "Zoë"], "a": {"z": null}}',
            "p",
            "e",
        ],
    )
    fast = [link[3] for chunk in stored_links() for link in chunk]
    reference = [
        entry.previous_hash.encode("ascii") + canonical_bytes(entry.fields)
        for entry in stored_entries()
    ]
    assert len(fast) == len(trail) + 1
    assert fast == reference


def _verify(capsys) -> tuple[int, str]:
    status = main(["audit", "verify"])
    return status, capsys.readouterr().out


def test_a_removal_found_at_the_end_of_a_chunk_is_named(trail, capsys, monkeypatch) -> None:
    # Once trail[3] is gone, trail[4] is the fourth entry read: the last of a first chunk
    # of four. Only the next chunk's first entry tells a removal from a reordering.
    monkeypatch.setattr(verification, "CHUNK_SIZE", 4)
    triggers_off()
    sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[3].pk])
    assert _verify(capsys) == (
        1,
        f"broken: entry {trail[4].pk}: removed: the entry before it was removed or replaced\n",
    )


def test_a_swap_across_a_chunk_boundary_is_named(trail, capsys, monkeypatch) -> None:
    monkeypatch.setattr(verification, "CHUNK_SIZE", 3)
    triggers_off()
    a, b = trail[2].pk, trail[3].pk
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [-1, a])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b, -1])
    assert _verify(capsys) == (1, f"broken: entry {a}: reordered: it is out of order\n")


def test_a_change_in_the_last_entry_of_a_chunk_is_named(trail, capsys, monkeypatch) -> None:
    monkeypatch.setattr(verification, "CHUNK_SIZE", 4)
    triggers_off()
    sql("UPDATE audit_auditentry SET details = %s WHERE id = %s", ['{"x": 1}', trail[3].pk])
    assert _verify(capsys) == (
        1,
        f"broken: entry {trail[3].pk}: changed: its content no longer matches its hash\n",
    )


def test_an_intact_chain_verifies_in_chunks_of_one(trail, capsys, monkeypatch) -> None:
    monkeypatch.setattr(verification, "CHUNK_SIZE", 1)
    assert _verify(capsys) == (0, f"ok: {len(trail)} entries, head {trail[-1].entry_hash}\n")
