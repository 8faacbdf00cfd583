"""A signed decision rewritten in the database, past or around its triggers, is refused by
the database or named by `sharewise audit verify` (issue 17, "High"). Every test here runs
on SQLite and on PostgreSQL (CI runs the file on both); PostgreSQL has no REPLACE, and its
tests of `INSERT ... ON CONFLICT` take the `postgres` fixture.

The attacker is someone with the database's owner rights: they can drop or disable a
trigger, but not sign a checkpoint or rewrite the chain unnoticed. Each test's transaction
puts back what it took off."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from sharewise.cli import main
from sharewise.crypto.keyring import FieldKeyError
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from tests.audit.journey import helen_signed, sql
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def signed(world: Any) -> Decision:
    return helen_signed(world)


def _verify(capsys: Any) -> tuple[int, str]:
    status = main(["audit", "verify"])
    return status, capsys.readouterr().out


def _decision_triggers_off() -> None:
    """Take every trigger off decisions_decision, as the database's owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER IF EXISTS decision_signed_{name}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE decisions_decision DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _columns() -> list[str]:
    return [f.column for f in Decision._meta.concrete_fields]


def _copy_select(decision_id: int, **changed: str) -> tuple[str, list[Any]]:
    """`SELECT` of the decision's row with some columns replaced by parameters."""
    names = _columns()
    parts = ["%s" if name in changed else name for name in names]
    params = [changed[name] for name in names if name in changed]
    select = f"SELECT {', '.join(parts)} FROM decisions_decision WHERE id = %s"
    return select, [*params, decision_id]


def _replace(decision_id: int, **changed: Any) -> None:
    """SQLite's `INSERT OR REPLACE` of the row with some columns changed (the issue's
    attack): the old row is deleted without its DELETE trigger firing."""
    select, params = _copy_select(decision_id, **changed)
    sql(f"INSERT OR REPLACE INTO decisions_decision ({', '.join(_columns())}) {select}", params)


def _upsert(decision_id: int, **changed: Any) -> None:
    """PostgreSQL's nearest: `INSERT ... ON CONFLICT (id) DO UPDATE`."""
    select, params = _copy_select(decision_id, **changed)
    assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in changed)
    sql(
        f"INSERT INTO decisions_decision ({', '.join(_columns())}) {select}"
        f" ON CONFLICT (id) DO UPDATE SET {assignments}",
        params,
    )


def _rewrite(decision_id: int, **changed: Any) -> None:
    if connection.vendor == "sqlite":
        _replace(decision_id, **changed)
    else:
        _upsert(decision_id, **changed)


def test_replacing_a_signed_decision_is_refused_by_the_database(world, signed) -> None:
    # With every trigger in place, REPLACE (SQLite) or an upsert (PostgreSQL) of a signed
    # decision with another outcome and signer is refused.
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        _rewrite(signed.pk, outcome="do_not_share", signed_by_id=world.lead_a.pk)
    stored = Decision.objects.get(pk=signed.pk)
    assert (stored.outcome, stored.signed_by_id) == (signed.outcome, world.practitioner_a.pk)


def test_a_draft_can_still_be_inserted_and_changed(world, signed) -> None:
    # The trigger looks only for a signed row in the new row's place.
    draft = services.decision_start(
        user=world.practitioner_a, person=signed.person, purpose="Draft", pack_id="hmg-2008"
    )
    if connection.vendor == "sqlite":
        _replace(draft.pk, outcome="share")
    else:
        _upsert(draft.pk, outcome="share")
    assert Decision.objects.get(pk=draft.pk).outcome == "share"


def test_a_replaced_signed_decision_is_named_by_verify(world, signed, capsys) -> None:
    assert _verify(capsys)[0] == 0
    _decision_triggers_off()
    _rewrite(signed.pk, outcome="do_not_share", signed_by_id=world.lead_a.pk)
    assert Decision.objects.get(pk=signed.pk).outcome == "do_not_share"
    assert _verify(capsys) == (
        1,
        f"broken: decision {signed.pk}: changed: its content no longer matches the hash its "
        "audit entry sealed\n",
    )


def test_an_update_with_the_trigger_dropped_is_named_by_verify(world, signed, capsys) -> None:
    _decision_triggers_off()
    sql(
        "UPDATE decisions_decision SET outcome = 'do_not_share', signed_by_id = %s WHERE id = %s",
        [world.lead_a.pk, signed.pk],
    )
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(f"broken: decision {signed.pk}: changed:")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("signed_at", "2020-01-01 00:00:00"),
        ("pack_version", "0.0"),
        ("person_told", "no"),
        ("revision", 99),
    ],
)
def test_any_column_changed_is_named(signed, column, value, capsys) -> None:
    _decision_triggers_off()
    sql(f"UPDATE decisions_decision SET {column} = %s WHERE id = %s", [value, signed.pk])
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(f"broken: decision {signed.pk}: changed:")


def test_a_signed_decision_put_back_to_draft_is_named(signed, capsys) -> None:
    # A draft escapes the triggers and could then be rewritten freely: the log says it was
    # signed.
    _decision_triggers_off()
    sql("UPDATE decisions_decision SET status = 'draft' WHERE id = %s", [signed.pk])
    status, out = _verify(capsys)
    assert status == 1
    assert f"broken: decision {signed.pk}: the audit log sealed it as a signed decision" in out


def test_a_deleted_signed_decision_is_named(signed, capsys) -> None:
    _decision_triggers_off()
    sql("DELETE FROM decisions_decision WHERE id = %s", [signed.pk])
    status, out = _verify(capsys)
    assert status == 1
    assert f"broken: decision {signed.pk}: the audit log sealed it" in out


def test_free_text_moved_to_another_agency_decision_does_not_decrypt(world, signed) -> None:
    # The attack: notes copied from one agency's decision onto another agency's.
    services.decision_details_update(
        user=world.practitioner_a,
        decision=services.decision_start(
            user=world.practitioner_a, person=signed.person, purpose="Other", pack_id="hmg-2008"
        ),
        details={"notes": "Helen told the school nurse about her stepfather"},
    )
    source = Decision.objects.exclude(pk=signed.pk).get()
    police = PersonFactory(agency=world.agency_b, created_by=world.practitioner_b)
    target = services.decision_start(
        user=world.practitioner_b, person=police, purpose="Police", pack_id="hmg-2008"
    )
    sql(
        "UPDATE decisions_decision SET notes = (SELECT notes FROM decisions_decision"
        " WHERE id = %s) WHERE id = %s",
        [source.pk, target.pk],
    )
    with pytest.raises(FieldKeyError, match="another row"):
        Decision.objects.get(pk=target.pk)
    # The row it came from still reads.
    assert Decision.objects.get(pk=source.pk).notes.startswith("Helen told")


def test_free_text_moved_onto_a_signed_decision_is_named_by_verify(world, signed, capsys) -> None:
    other = helen_signed(world)
    _decision_triggers_off()
    sql(
        "UPDATE decisions_decision SET reasons = (SELECT reasons FROM decisions_decision"
        " WHERE id = %s) WHERE id = %s",
        [other.pk, signed.pk],
    )
    status, out = _verify(capsys)
    assert status == 1
    assert out == (
        f"broken: decision {signed.pk}: changed: a value of it no longer decrypts (altered, or "
        "moved from another row)\n"
    )
