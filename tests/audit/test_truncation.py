"""`sharewise audit verify` refuses a log cut short or emptied (issue 17, first "Medium"):
the database's own signed checkpoints are checked against the chain, and every sealed
record must still have the entry that sealed it. On SQLite and PostgreSQL alike.

Each test takes the triggers off first, as someone with the database owner's rights could;
the test's transaction puts them back."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharewise.audit.checkpoints import checkpoint_message
from sharewise.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from sharewise.audit.services import audit_append
from sharewise.cli import main
from sharewise.guidance.audit_chain import GENESIS_HASH, canonical_bytes, entry_hash
from tests.factories import personas

from .journey import helen_signed, sql, triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "audit.pem"
    monkeypatch.setenv("SHAREWISE_AUDIT_KEY_FILE", str(path))
    return path


@pytest.fixture
def trail(settings, key_file) -> list[AuditEntry]:
    """One journey, with a checkpoint signed every three appends as the server does every
    thousand (SHAREWISE_AUDIT_CHECKPOINT_EVERY)."""
    settings.SHAREWISE_AUDIT_CHECKPOINT_EVERY = 3
    world = personas()
    helen_signed(world)
    helen_signed(world)
    return list(AuditEntry.objects.order_by("id"))


def _verify(capsys: Any, *extra: str) -> tuple[int, str]:
    status = main(["audit", "verify", *extra])
    return status, capsys.readouterr().out


def _cut_after(entry: AuditEntry) -> None:
    """The issue's attack: every entry after `entry` deleted, and the head moved to it."""
    triggers_off()
    sql("DELETE FROM audit_auditentry WHERE id > %s", [entry.pk])
    AuditHead.objects.filter(pk=1).update(entry_id=entry.pk, entry_hash=entry.entry_hash)


def test_the_journey_verifies_with_its_checkpoints(trail, capsys) -> None:
    assert AuditCheckpoint.objects.count() >= 3
    status, out = _verify(capsys)
    assert (status, out) == (0, f"ok: {len(trail)} entries, head {trail[-1].entry_hash}\n")


def test_a_chain_cut_short_is_named_by_the_checkpoints_left_in_the_database(trail, capsys) -> None:
    # The second decision's entries go, the first's stay: its seal still holds.
    second_start = AuditEntry.objects.filter(verb="decision.start").order_by("id")[1]
    kept = [e for e in trail if e.pk < second_start.pk]
    lost = AuditCheckpoint.objects.filter(entry_id__gt=kept[-1].pk).order_by("entry_id")
    assert lost.exists()
    _cut_after(kept[-1])
    status, out = _verify(capsys)
    assert status == 1
    first = lost.first()
    assert out.startswith(
        f"broken: entry {first.entry_id}: removed: the checkpoint of "
        f"{first.at:%Y-%m-%dT%H:%M:%S.%fZ} signed it, and the chain ends at entry {kept[-1].pk}"
        " (entries were removed from the end)\n"
    )


def test_an_emptied_log_is_named_by_the_signed_decisions_it_sealed(trail, capsys) -> None:
    signed = sorted(int(e.object_id) for e in trail if e.verb == "decision.sign")
    triggers_off()
    sql("DELETE FROM audit_auditentry")
    AuditHead.objects.all().delete()
    AuditCheckpoint.objects.all().delete()
    status, out = _verify(capsys)
    assert status == 1
    assert out == "".join(
        f"broken: decision {pk}: it is a signed decision, and no `decision.sign` entry in the"
        " audit log seals it (entries were removed, or the record was made outside Sharewise)\n"
        for pk in signed
    )


def test_a_log_cut_before_a_sign_entry_is_named_without_any_checkpoint(trail, capsys) -> None:
    sign = AuditEntry.objects.filter(verb="decision.sign").order_by("id").last()
    before = AuditEntry.objects.filter(id__lt=sign.pk).order_by("id").last()
    _cut_after(before)
    AuditCheckpoint.objects.all().delete()
    status, out = _verify(capsys)
    assert status == 1
    assert out == (
        f"broken: decision {sign.object_id}: it is a signed decision, and no `decision.sign`"
        " entry in the audit log seals it (entries were removed, or the record was made"
        " outside Sharewise)\n"
    )


def test_entries_cut_with_every_checkpoint_need_the_exported_one(trail, capsys, tmp_path) -> None:
    # What a checkpoint kept outside the database adds: the last entries (a list viewed,
    # which seals nothing) removed along with every checkpoint in the database pass on
    # their own; the checkpoint exported before names the cut.
    views = [audit_append(actor=None, verb="person.list") for _ in range(2)]
    exported = tmp_path / "checkpoint.json"
    assert main(["audit", "checkpoint", "--export", str(exported)]) == 0
    capsys.readouterr()
    _cut_after(trail[-1])
    AuditCheckpoint.objects.all().delete()
    assert _verify(capsys)[0] == 0
    status, out = _verify(capsys, "--checkpoint", str(exported))
    assert status == 1
    assert out.startswith(f"broken: entry {views[-1].pk}: the checkpoint of ")


def test_a_rewritten_chain_is_named_by_the_checkpoints_in_the_database(trail, capsys) -> None:
    triggers_off()
    previous = GENESIS_HASH
    for entry in trail:
        fields = entry.chain_fields()
        if entry.pk == trail[1].pk:
            fields["outcome"] = "denied"
        digest = entry_hash(previous, canonical_bytes(fields))
        sql(
            "UPDATE audit_auditentry SET outcome = %s, previous_hash = %s, entry_hash = %s"
            " WHERE id = %s",
            [fields["outcome"], previous, digest, entry.pk],
        )
        previous = digest
    AuditHead.objects.filter(pk=1).update(entry_hash=previous)
    status, out = _verify(capsys)
    assert status == 1
    first = AuditCheckpoint.objects.order_by("entry_id").first()
    assert out.startswith(
        f"broken: entry {first.entry_id}: the checkpoint of {first.at:%Y-%m-%dT%H:%M:%S.%fZ} is"
        " no longer in the chain with the hash it signed (the chain was rewritten)\n"
    )


def test_a_checkpoint_resigned_with_another_key_is_named(trail, capsys) -> None:
    # A rewritten chain with its checkpoints signed again: by a key that is not the
    # server's, which the attacker cannot read.
    checkpoint = AuditCheckpoint.objects.order_by("entry_id").first()
    key = Ed25519PrivateKey.generate()
    message = checkpoint_message(
        entry_id=checkpoint.entry_id, entry_hash=checkpoint.entry_hash, at=checkpoint.at
    )
    raw_public = key.public_key().public_bytes_raw()
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
        signature=base64.b64encode(key.sign(message)).decode("ascii"),
        public_key=base64.b64encode(raw_public).decode("ascii"),
    )
    status, out = _verify(capsys)
    assert (status, out) == (
        1,
        f"broken: entry {checkpoint.entry_id}: the checkpoint of "
        f"{checkpoint.at:%Y-%m-%dT%H:%M:%S.%fZ}: the checkpoint was signed by a different key "
        "from this server's\n",
    )


def test_a_checkpoint_with_a_forged_signature_is_named(trail, capsys) -> None:
    checkpoint = AuditCheckpoint.objects.order_by("entry_id").first()
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
        signature=base64.b64encode(b"\0" * 64).decode("ascii")
    )
    status, out = _verify(capsys)
    assert status == 1
    assert "the checkpoint's signature does not verify" in out
