"""`sharewise audit verify --workers N`: ranges of the chain walked in worker processes
give the answer of the walk in one piece, on a real PostgreSQL chain.

The workers are other processes with their own connections, so the chain must be
committed: these tests run outside the test's transaction (`transaction=True`), and put
back the triggers they take off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sharewise.audit import verification
from sharewise.audit.models import AuditEntry
from sharewise.audit.verification import AnchorCheck, audit_chain_verify, workers_available
from sharewise.cli import main
from sharewise.guidance.audit_chain import ChainBreak, ChainSummary
from tests.conftest import require_postgres
from tests.factories import personas

from .journey import helen_signed, sql, triggers_off

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trail() -> Iterator[list[AuditEntry]]:
    require_postgres()
    world = personas()
    helen_signed(world)
    helen_signed(world)
    yield list(AuditEntry.objects.order_by("id"))
    # Nothing rolls the tampering back here: the triggers go back on by hand.
    sql("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def test_workers_can_walk_a_committed_postgresql_chain(trail) -> None:
    assert workers_available() is None


@pytest.mark.parametrize("workers", [2, 3, 7, 64])
def test_an_intact_chain_gives_the_same_summary_from_workers(trail, workers) -> None:
    whole, _ = audit_chain_verify(workers=1)
    assert isinstance(whole, ChainSummary) and whole.count == len(trail)
    # The workers' own answer, not the walk in one piece it falls back to.
    checks = [AnchorCheck(trail[5].pk, trail[5].entry_hash), AnchorCheck(trail[-1].pk, "")]
    assert verification._verify_in_workers(checks, workers) == whole
    assert [check.found_hash for check in checks] == [trail[5].entry_hash, trail[-1].entry_hash]
    assert audit_chain_verify(workers=workers)[0] == whole
    # The parent's connection is closed for the fork and opens again when next used.
    assert AuditEntry.objects.count() == len(trail)


def _changed(trail: list[AuditEntry]) -> None:
    sql("UPDATE audit_auditentry SET actor_username = 'someone' WHERE id = %s", [trail[-3].pk])


def _removed_in_the_middle(trail: list[AuditEntry]) -> None:
    # With two or three workers, the middle of the chain is where one range ends.
    sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[len(trail) // 2].pk])


def _removed_first(trail: list[AuditEntry]) -> None:
    sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[0].pk])


def _swapped(trail: list[AuditEntry]) -> None:
    a, b = trail[len(trail) // 2 - 1].pk, trail[len(trail) // 2].pk
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [-1, a])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b, -1])


TAMPERING = {
    "changed": _changed,
    "removed in the middle": _removed_in_the_middle,
    "removed first": _removed_first,
    "swapped": _swapped,
}


@pytest.mark.parametrize("kind", TAMPERING)
@pytest.mark.parametrize("workers", [2, 3])
def test_a_break_is_named_as_the_walk_in_one_piece_names_it(trail, kind, workers) -> None:
    triggers_off()
    TAMPERING[kind](trail)
    whole, _ = audit_chain_verify(workers=1)
    assert isinstance(whole, ChainBreak)
    assert verification._verify_in_workers([], workers) is None
    assert audit_chain_verify(workers=workers)[0] == whole


def test_the_command_takes_workers(trail, capsys) -> None:
    assert main(["audit", "verify", "--workers", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"ok: {len(trail)} entries, head {trail[-1].entry_hash}\n"
    assert captured.err == ""
