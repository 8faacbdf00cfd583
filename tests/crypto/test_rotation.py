"""`sharewise keys rotate` re-encrypts every value under a new key while the values stay
readable, signed decisions included, and old keys are retired only once nothing uses them."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from sharewise.audit.models import AuditEntry
from sharewise.audit.verification import audit_chain_verify
from sharewise.cli import main
from sharewise.common import ServiceError
from sharewise.consents.models import ConsentRecord
from sharewise.crypto import keyring
from sharewise.crypto.fields import for_row
from sharewise.crypto.migration_steps import encrypt_existing
from sharewise.crypto.rotation import encrypted_columns, key_usage, keys_retire_old, keys_rotate
from sharewise.decisions.models import Decision
from sharewise.guidance.audit_chain import ChainBreak
from tests.factories import personas

from .journey import CONSENT_NOTES, NOTES, REASONS, helen_with_free_text, raw, raw_set

pytestmark = pytest.mark.django_db

ENCRYPTED = [
    ("decisions_decision", "reasons"),
    ("decisions_decision", "proportionality"),
    ("decisions_decision", "notes"),
    ("decisions_decision", "advice_given"),
]


@pytest.fixture
def helen():
    return helen_with_free_text(personas())


def _key_ids(keys_file) -> list[str]:
    return [k["id"] for k in json.loads(keys_file.read_text())["keys"]]


def _readable(helen) -> None:
    for pk in (helen.signed.pk, helen.draft.pk):
        decision = Decision.objects.get(pk=pk)
        assert decision.reasons == REASONS
        assert decision.notes == NOTES
    assert ConsentRecord.objects.get(pk=helen.consent.pk).notes == CONSENT_NOTES


def _refused(change) -> None:
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        change()


def test_every_encrypted_column_is_known() -> None:
    names = {column.name for column in encrypted_columns()}
    assert names == {
        "decisions_decision.reasons",
        "decisions_decision.proportionality",
        "decisions_decision.person_not_told_reason",
        "decisions_decision.advice_given",
        "decisions_decision.notes",
        # The signed record (issue 16) holds the answers and the practitioner's reasons.
        "decisions_decision.signed_record",
        "consents_consentrecord.notes",
        "people_competenceassessment.notes",
        "people_capacityassessment.notes",
        # Multi-agency sharing (issue 5): the words practitioners write, which may hold
        # special category data.
        "advice_advicerequest.answer",
        "advice_advicerequest.draft_text",
        "advice_advicerequest.extra_terms",
        "advice_advicerequest.outcome_reason",
        "advice_advicerequest.redacted_text",
        "disclosures_disclosure.channel_details",
        "disclosures_disclosure.identity_check",
        "disclosures_disclosure.subject_told_how",
        "disclosures_disclosure.withdrawn_reason",
        "disclosures_disclosureitem.source",
        "disclosures_disclosureitem.text",
        "disclosures_identityrelease.reason",
        "disclosures_protectedidentity.details",
        "disclosures_protectedidentity.name",
        "followups_followup.stopped_reason",
        "followups_followup.trigger",
        "followups_followupcontact.findings",
        "followups_meetingaction.action",
        "followups_meetingcontribution.text",
        "requests_informationrequest.closed_reason",
        "requests_informationrequest.information_requested",
        "requests_informationrequest.necessity",
        "requests_informationrequest.purpose",
        "requests_informationrequest.subject_address",
        "requests_requestreply.information",
        "requests_requestresponse.reasons",
        # Retention (issue 6): why records are kept longer or held.
        "retention_retentionreview.kept_reason",
        "retention_legalhold.reason",
        "retention_legalhold.release_reason",
        # People's rights (issue 6): a prepared subject access PDF, everything about a
        # person in one file, kept for 7 days.
        "rights_subjectaccessrequest.pdf",
    }


def test_rotation_reencrypts_every_value_and_they_stay_readable(helen, keys_file) -> None:
    (old,) = _key_ids(keys_file)
    seen_both_keys = []

    def between_batches() -> None:
        # What a server reading mid-rotation sees: every value, whichever key holds it.
        _readable(helen)
        seen_both_keys.append(set(key_usage()) == {old, _key_ids(keys_file)[-1]})

    key, counts = keys_rotate(batch_size=1, after_batch=between_batches)
    assert _key_ids(keys_file) == [old, key.id]
    assert counts["decisions_decision.reasons"] == 2
    assert counts["decisions_decision.notes"] == 2
    assert counts["consents_consentrecord.notes"] == 1
    assert counts["decisions_decision.person_not_told_reason"] == 0
    assert any(seen_both_keys)
    for table, column in ENCRYPTED:
        for pk in (helen.signed.pk, helen.draft.pk):
            assert raw(table, column, pk).startswith(f"enc:v2:{key.id}:")
    assert raw("consents_consentrecord", "notes", helen.consent.pk).startswith(f"enc:v2:{key.id}:")
    # The signed decision's stored record is encrypted too (issue 16).
    assert counts["decisions_decision.signed_record"] == 1
    assert key_usage() == {key.id: 10}
    _readable(helen)
    entry = AuditEntry.objects.filter(verb="keys.rotate").get()
    assert entry.details["key"] == key.id
    assert entry.details["reencrypted"] == counts


def test_a_signed_decision_survives_rotation_and_stays_frozen(helen) -> None:
    keys_rotate()
    decision = Decision.objects.get(pk=helen.signed.pk)
    assert decision.is_signed
    assert decision.reasons == REASONS
    assert decision.notes == NOTES
    _refused(
        lambda: Decision.objects.filter(pk=helen.signed.pk).update(
            notes=for_row(helen.signed.pk, "rewritten")
        )
    )
    _refused(lambda: Decision.objects.filter(pk=helen.signed.pk).delete())
    # The draft, which the trigger does not guard, can still be saved.
    Decision.objects.filter(pk=helen.draft.pk).update(notes=for_row(helen.draft.pk, "changed"))
    assert Decision.objects.get(pk=helen.draft.pk).notes == "changed"
    assert not isinstance(audit_chain_verify([])[0], ChainBreak)


def test_retiring_is_refused_while_a_value_uses_an_old_key(helen, keys_file) -> None:
    (old,) = _key_ids(keys_file)
    # A key added without re-encrypting: every stored value is still under the old one.
    unused = keyring.KEYRING.add()
    with pytest.raises(ServiceError, match=rf"{old} \(10 values\)"):
        keys_retire_old()
    assert _key_ids(keys_file) == [old, unused.id]
    key, _ = keys_rotate()
    assert keys_retire_old() == sorted([old, unused.id])
    assert _key_ids(keys_file) == [key.id]
    _readable(helen)
    retired = AuditEntry.objects.filter(verb="keys.retire").get()
    assert retired.details == {"keys": sorted([old, unused.id])}


def test_the_migration_step_encrypts_legacy_rows_of_signed_decisions(helen) -> None:
    triggers_off_for_decisions()
    raw_set("decisions_decision", "notes", helen.signed.pk, "legacy plain notes")
    raw_set("decisions_decision", "reasons", helen.signed.pk, json.dumps(REASONS))
    with connection.cursor() as cursor:
        from sharewise.crypto.rotation import sqlite_decision_triggers_recreate

        sqlite_decision_triggers_recreate(connection)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE decisions_decision ENABLE TRIGGER decision_signed_no_change"
            )
    step = encrypt_existing("decisions_decision", ["notes", "reasons"])
    step(None, SimpleNamespace(connection=connection))
    assert raw("decisions_decision", "notes", helen.signed.pk).startswith("enc:v2:")
    decision = Decision.objects.get(pk=helen.signed.pk)
    assert decision.notes == "legacy plain notes"
    assert decision.reasons == REASONS
    entry = AuditEntry.objects.filter(verb="keys.encrypt_existing").get()
    assert entry.details == {
        "encrypted": {"decisions_decision.notes": 1, "decisions_decision.reasons": 1}
    }
    _refused(
        lambda: Decision.objects.filter(pk=helen.signed.pk).update(
            notes=for_row(helen.signed.pk, "rewritten")
        )
    )


def triggers_off_for_decisions() -> None:
    """Take the signed-decision trigger off, as rows written before encryption predate
    nothing the trigger allows; the test's transaction puts it back at the end."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER decision_signed_no_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE decisions_decision DISABLE TRIGGER decision_signed_no_change"
            )


def test_the_commands_rotate_list_and_retire(helen, keys_file, capsys) -> None:
    (old,) = _key_ids(keys_file)
    assert main(["keys", "list"]) == 0
    assert f"{old}  created" in capsys.readouterr().out
    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    new = _key_ids(keys_file)[-1]
    assert f"new key {new}" in out
    assert "decisions_decision.reasons: 2" in out
    assert main(["keys", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{old}  created" in out and f"{new}  created" in out and "10 values" in out
    assert main(["keys", "rotate", "--retire-old"]) == 0
    assert old in capsys.readouterr().out
    assert _key_ids(keys_file) == [new]
    _readable(helen)


def test_the_command_says_why_retiring_is_refused(helen, keys_file, capsys) -> None:
    keyring.KEYRING.add()
    assert main(["keys", "rotate", "--retire-old"]) == 2
    assert "still encrypt stored values" in capsys.readouterr().err
