"""Free text that can hold special category data is stored encrypted, bound to its
column, and refused rather than shown when it has been altered or moved."""

from __future__ import annotations

import json
import os
import stat

import pytest

from sharewise.consents.models import ConsentRecord
from sharewise.crypto import keyring
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
        assert stored.startswith(f"enc:v1:{key_id}:"), column
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
    raw_set("consents_consentrecord", "notes", helen.consent.pk, f"enc:v1:lost-key:{body}")
    with pytest.raises(keyring.FieldKeyError, match="key lost-key, which is not in the keyring"):
        ConsentRecord.objects.get(pk=helen.consent.pk)
