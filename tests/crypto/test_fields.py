"""Free text that can hold special category data is stored encrypted, bound to its
column, and refused rather than shown when it has been altered or moved."""

from __future__ import annotations

import json
import os
import stat

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sharewise.consents.models import ConsentRecord
from sharewise.crypto import keyring
from sharewise.crypto.fields import for_row
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from tests.factories import personas

from .journey import ADVICE, CONSENT_NOTES, NOTES, REASONS, helen_with_free_text, raw, raw_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def helen():
    return helen_with_free_text(personas())


def test_values_read_back_as_written(helen) -> None:
    decision = Decision.objects.get(pk=helen.signed.pk)
    assert decision.reasons == REASONS
    assert decision.notes == NOTES
    assert decision.advice_given == ADVICE
    assert isinstance(decision.proportionality, list)
    assert ConsentRecord.objects.get(pk=helen.consent.pk).notes == CONSENT_NOTES


def test_the_database_holds_ciphertext_under_a_key_id(helen, keys_file) -> None:
    key_id = json.loads(keys_file.read_text())["keys"][0]["id"]
    for column in ("reasons", "proportionality", "notes", "advice_given"):
        stored = raw("decisions_decision", column, helen.signed.pk)
        assert stored.startswith(f"enc:v2:{key_id}:"), column
    stored_notes = raw("decisions_decision", "notes", helen.signed.pk)
    assert "self-harm" not in stored_notes
    assert "stepfather" not in raw("decisions_decision", "reasons", helen.signed.pk)
    assert "afraid" not in raw("consents_consentrecord", "notes", helen.consent.pk)


def test_the_keyring_is_made_on_first_use_for_its_owner_only(helen, keys_file) -> None:
    assert stat.S_IMODE(os.stat(keys_file).st_mode) == 0o600
    assert len(json.loads(keys_file.read_text())["keys"]) == 1


def test_an_empty_value_stays_empty(helen) -> None:
    assert Decision.objects.get(pk=helen.signed.pk).person_not_told_reason == ""
    assert raw("decisions_decision", "person_not_told_reason", helen.signed.pk) == ""


def test_a_legacy_plain_value_is_read_as_it_is(helen) -> None:
    raw_set("consents_consentrecord", "notes", helen.consent.pk, "written before encryption")
    assert ConsentRecord.objects.get(pk=helen.consent.pk).notes == "written before encryption"


def test_a_value_copied_to_another_column_does_not_decrypt(helen) -> None:
    notes = raw("decisions_decision", "notes", helen.draft.pk)
    # The same table, another column.
    raw_set("decisions_decision", "advice_given", helen.draft.pk, notes)
    with pytest.raises(
        keyring.FieldKeyError, match=r"decisions_decision\.advice_given.*another column"
    ):
        Decision.objects.get(pk=helen.draft.pk)
    # The same column name, another table.
    raw_set("decisions_decision", "advice_given", helen.draft.pk, "")
    raw_set("consents_consentrecord", "notes", helen.consent.pk, notes)
    with pytest.raises(keyring.FieldKeyError, match=r"consents_consentrecord\.notes"):
        ConsentRecord.objects.get(pk=helen.consent.pk)


def test_tampering_with_the_ciphertext_is_detected(helen) -> None:
    stored = raw("consents_consentrecord", "notes", helen.consent.pk)
    head, _, body = stored.rpartition(":")
    flipped = ("A" if body[20] != "A" else "B").join((body[:20], body[21:]))
    raw_set("consents_consentrecord", "notes", helen.consent.pk, f"{head}:{flipped}")
    with pytest.raises(keyring.FieldKeyError, match="altered"):
        ConsentRecord.objects.get(pk=helen.consent.pk)


def test_a_value_under_an_unknown_key_names_the_key(helen) -> None:
    stored = raw("consents_consentrecord", "notes", helen.consent.pk)
    _, _, body = stored.rpartition(":")
    raw_set("consents_consentrecord", "notes", helen.consent.pk, f"enc:v2:lost-key:{body}")
    with pytest.raises(keyring.FieldKeyError, match="key lost-key, which is not in the keyring"):
        ConsentRecord.objects.get(pk=helen.consent.pk)


def _v1(plaintext: str, table: str, column: str) -> str:
    """A value as Sharewise wrote it before values were bound to their row (issue 17)."""
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = keyring.KEYRING.newest()
    nonce = secrets.token_bytes(keyring.NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(
        nonce, plaintext.encode(), keyring.associated_data(table, column)
    )
    return f"{keyring.FORMAT_V1}{key.id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def test_a_value_copied_to_another_row_does_not_decrypt(helen) -> None:
    # The same column of another row (issue 17): before values were bound to their row,
    # this decrypted and showed on the other record.
    other = services.decision_start(
        user=helen.draft.created_by, person=helen.draft.person, purpose="Other", pack_id="hmg-2008"
    )
    notes = raw("decisions_decision", "notes", helen.draft.pk)
    assert notes.startswith(keyring.FORMAT)
    raw_set("decisions_decision", "notes", other.pk, notes)
    with pytest.raises(keyring.FieldKeyError, match=r"decisions_decision\.notes.*another row"):
        Decision.objects.get(pk=other.pk)
    assert Decision.objects.get(pk=helen.draft.pk).notes == NOTES


def test_a_value_of_the_old_form_still_decrypts(helen) -> None:
    old = _v1("Written before issue 17", "decisions_decision", "notes")
    raw_set("decisions_decision", "notes", helen.draft.pk, old)
    assert Decision.objects.get(pk=helen.draft.pk).notes == "Written before issue 17"
    # Relabelled as the old form, a new value does not decrypt without its row.
    bound = raw("decisions_decision", "advice_given", helen.draft.pk)
    relabelled = bound.replace(keyring.FORMAT, keyring.FORMAT_V1, 1)
    raw_set("decisions_decision", "advice_given", helen.draft.pk, relabelled)
    with pytest.raises(keyring.FieldKeyError, match="altered"):
        Decision.objects.get(pk=helen.draft.pk)


def test_a_value_read_without_its_row_is_refused(helen) -> None:
    stored = raw("decisions_decision", "notes", helen.draft.pk)
    with pytest.raises(keyring.FieldKeyError, match="read without knowing which"):
        keyring.decrypt(stored, table="decisions_decision", column="notes", row=None)
    assert (
        keyring.decrypt(stored, table="decisions_decision", column="notes", row=str(helen.draft.pk))
        == NOTES
    )


def test_a_write_that_cannot_name_its_row_is_refused(helen) -> None:
    with (
        pytest.raises(keyring.FieldKeyError, match="without the row it belongs to"),
        transaction.atomic(),
    ):
        Decision.objects.filter(pk=helen.draft.pk).update(notes="no row named")
    # Values that hide nothing need no row.
    Decision.objects.filter(pk=helen.draft.pk).update(notes="", reasons={}, proportionality=[])
    assert raw("decisions_decision", "reasons", helen.draft.pk) == "{}"
    assert Decision.objects.get(pk=helen.draft.pk).reasons == {}
    Decision.objects.filter(pk=helen.draft.pk).update(notes=for_row(helen.draft.pk, "bound"))
    assert Decision.objects.get(pk=helen.draft.pk).notes == "bound"


def test_a_new_row_is_given_its_key_before_it_is_written(helen) -> None:
    # Its first write is already bound: no INSERT of an unbound value, no UPDATE after.
    with CaptureQueriesContext(connection) as queries:
        consent = ConsentRecord.objects.create(
            person=helen.consent.person,
            agency=helen.consent.agency,
            given_by="subject",
            response="given",
            given_at=helen.consent.given_at,
            recorded_by=helen.consent.recorded_by,
            notes="Said yes",
        )
    table = '"consents_consentrecord"'
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith((f"INSERT INTO {table}", f"UPDATE {table}"))
    ]
    assert len(written) == 1 and written[0].startswith(f'INSERT INTO {table} ("id",')
    assert raw("consents_consentrecord", "notes", consent.pk).startswith(keyring.FORMAT)
    assert ConsentRecord.objects.get(pk=consent.pk).notes == "Said yes"
    # The next row without an encrypted value takes the next key as usual.
    later = ConsentRecord.objects.create(
        person=helen.consent.person,
        agency=helen.consent.agency,
        given_by="subject",
        response="given",
        given_at=helen.consent.given_at,
        recorded_by=helen.consent.recorded_by,
    )
    assert later.pk > consent.pk
