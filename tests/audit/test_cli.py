"""`sharewise audit verify` and `checkpoint`: tampering by raw SQL is found and named.

Each test takes the triggers off first (as someone with the database owner's rights
could); the test's transaction puts them back."""

from __future__ import annotations

import json
import os
import stat

import pytest

from sharewise.audit.checkpoints import signing_key_path
from sharewise.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from sharewise.cli import main
from sharewise.guidance.audit_chain import GENESIS_HASH, canonical_bytes, entry_hash
from tests.factories import personas

from .journey import helen_signed, sql, triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> list[AuditEntry]:
    """The entries of one journey (whatever came before it in the database too)."""
    helen_signed(personas())
    return list(AuditEntry.objects.order_by("id"))


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "audit.pem"
    path.parent.mkdir()
    monkeypatch.setenv("SHAREWISE_AUDIT_KEY_FILE", str(path))
    return path


def _verify(capsys, *extra: str) -> tuple[int, str]:
    status = main(["audit", "verify", *extra])
    return status, capsys.readouterr().out


def test_verify_passes_after_a_journey(trail, capsys) -> None:
    status, out = _verify(capsys)
    assert status == 0
    assert out == f"ok: {len(trail)} entries, head {trail[-1].entry_hash}\n"


def test_a_changed_entry_is_named(trail, capsys) -> None:
    triggers_off()
    sql("UPDATE audit_auditentry SET actor_username = 'someone' WHERE id = %s", [trail[3].pk])
    assert _verify(capsys) == (
        1,
        f"broken: entry {trail[3].pk}: changed: its content no longer matches its hash\n",
    )


def test_a_deleted_entry_is_found_at_the_entry_after_it(trail, capsys) -> None:
    triggers_off()
    sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[3].pk])
    status, out = _verify(capsys)
    assert (status, out) == (
        1,
        f"broken: entry {trail[4].pk}: removed: the entry before it was removed or replaced\n",
    )


def test_entries_deleted_from_the_end_are_found_from_the_head(trail, capsys) -> None:
    triggers_off()
    sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[-1].pk])
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(f"broken: entry {trail[-1].pk}: removed:")


def _forge(entry_id: int, previous_hash: str) -> str:
    copied = AuditEntry.objects.get(pk=entry_id).chain_fields()
    fields = {
        **copied,
        "at": copied["at"].replace(microsecond=1),
        "actor_id": None,
        "actor_username": "",
        "verb": "person.view",
        "agency_id": None,
        "request_id": "",
        "outcome": "ok",
        "details": {},
    }
    forged = entry_hash(previous_hash, canonical_bytes(fields))
    sql(
        "INSERT INTO audit_auditentry (id, at, actor_username, verb, object_type, object_id,"
        " target_type, target_id, request_id, outcome, details, previous_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            entry_id + 100000,
            fields["at"],
            "",
            "person.view",
            fields["object_type"],
            fields["object_id"],
            fields["target_type"],
            fields["target_id"],
            "",
            "ok",
            "{}",
            previous_hash,
            forged,
        ],
    )
    return forged


def test_an_inserted_entry_is_named(trail, capsys) -> None:
    # Room is made in the middle by moving the last entry to a later id (ids are not in
    # the hash: the links keep the order). The forged entry cannot copy the link of the
    # entry it displaces: previous_hash is unique, so a second entry following the same
    # one is refused by the database itself.
    triggers_off()
    last = trail[-1]
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [last.pk + 200000, last.pk])
    _forge(trail[-2].pk, "f" * 64)
    status, out = _verify(capsys)
    assert (status, out) == (
        1,
        f"broken: entry {trail[-2].pk + 100000}: inserted: it was inserted into the chain\n",
    )


def test_an_entry_appended_without_moving_the_head_is_named(trail, capsys) -> None:
    triggers_off()
    _forge(trail[-1].pk, trail[-1].entry_hash)
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(f"broken: entry {trail[-1].pk + 100000}: inserted:")


def test_two_swapped_entries_are_named(trail, capsys) -> None:
    triggers_off()
    a, b = trail[2].pk, trail[3].pk
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [-1, a])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b, -1])
    assert _verify(capsys) == (1, f"broken: entry {a}: reordered: it is out of order\n")


def test_a_rewritten_chain_passes_alone_but_not_against_a_checkpoint(
    trail, capsys, key_file, tmp_path
) -> None:
    exported = tmp_path / "checkpoint.json"
    assert main(["audit", "checkpoint", "--export", str(exported)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(exported.read_text())
    assert (printed["entry_id"], printed["entry_hash"]) == (trail[-1].pk, trail[-1].entry_hash)
    assert AuditCheckpoint.objects.get().signature == printed["signature"]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert _verify(capsys, "--checkpoint", str(exported))[0] == 0

    # The whole chain rewritten with one entry changed and every hash recomputed, the head
    # moved to match, and the database's own checkpoints deleted (which would otherwise
    # name the rewrite: tests/audit/test_truncation.py): the chain alone cannot tell.
    triggers_off()
    AuditCheckpoint.objects.all().delete()
    previous = GENESIS_HASH
    for entry in trail:
        fields = entry.chain_fields()
        if entry.pk == trail[2].pk:
            fields["outcome"] = "denied"
        digest = entry_hash(previous, canonical_bytes(fields))
        sql(
            "UPDATE audit_auditentry SET outcome = %s, previous_hash = %s, entry_hash = %s"
            " WHERE id = %s",
            [fields["outcome"], previous, digest, entry.pk],
        )
        previous = digest
    AuditHead.objects.filter(pk=1).update(entry_hash=previous)
    assert _verify(capsys)[0] == 0
    status, out = _verify(capsys, "--checkpoint", str(exported))
    assert status == 1
    assert out.startswith(f"broken: entry {trail[-1].pk}: the checkpoint of ")


def test_a_forged_checkpoint_signature_is_refused(trail, capsys, key_file, tmp_path) -> None:
    main(["audit", "checkpoint"])
    document = json.loads(capsys.readouterr().out)
    document["at"] = "2020-01-01T00:00:00.000000Z"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))
    status, out = _verify(capsys, "--checkpoint", str(forged))
    assert (status, out) == (
        1,
        "broken: the checkpoint's signature does not verify: it was altered or not signed by this key\n",
    )


def test_the_key_is_made_once_and_kept(trail, capsys, key_file) -> None:
    assert signing_key_path() == key_file
    main(["audit", "checkpoint"])
    main(["audit", "checkpoint"])
    assert len(set(AuditCheckpoint.objects.values_list("public_key", flat=True))) == 1


def test_the_key_lives_in_the_data_dir_by_default(monkeypatch, settings) -> None:
    monkeypatch.delenv("SHAREWISE_AUDIT_KEY_FILE", raising=False)
    assert signing_key_path() == settings.DATA_DIR / "audit_signing_key.pem"


def test_an_empty_log_has_nothing_to_sign(capsys, key_file) -> None:
    if AuditEntry.objects.exists():
        pytest.skip("entries from earlier set-up")
    assert main(["audit", "checkpoint"]) == 2


@pytest.mark.parametrize("text", ["0", "-2", "two", "65"])
def test_a_number_of_workers_that_is_not_one_is_refused(text, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "verify", "--workers", text])
    assert exit_.value.code == 2
    assert f"'{text}' is not a number of processes" in capsys.readouterr().err


def test_workers_on_sqlite_say_the_walk_is_in_one_process(trail, capsys) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's answer; tests/audit/test_verify_workers.py runs PostgreSQL's")
    status = main(["audit", "verify", "--workers", "4"])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.out == f"ok: {len(trail)} entries, head {trail[-1].entry_hash}\n"
    assert "worker processes need PostgreSQL" in captured.err
