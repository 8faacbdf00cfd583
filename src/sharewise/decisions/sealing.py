"""A signed decision's content, as its `decision.sign` entry seals it (audit/seals.py;
issue 17): what `sharewise audit verify` hashes again to find a decision rewritten in the
database behind the services' back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from sharewise.audit.seals import Content, SealedKind, canonical_sha256, sealed_kind_register
from sharewise.crypto.keyring import FieldKeyError

from .models import Decision, Status

# Every column of a decision, by the name `values()` reads it under, each for a reason
# (`signed_decision_content_sha256`). tests/decisions/test_sealing.py fails when a field is
# added to the model and not here: a new field means a new content form (audit/seals.py).
SIGNED_CONTENT_FIELDS = (
    "id",
    "agency_id",
    "person_id",
    "purpose",
    "recipient",
    "information",
    "pack_id",
    "pack_version",
    "pack_hash",
    "pack_reason",
    "facts",
    "reasons",
    "proportionality",
    "consent_source",
    "outcome",
    "basis",
    "refer_now",
    "inform_subject",
    "trace",
    "citations",
    "signed_record",
    "article6_basis",
    "special_category_condition",
    "paragraph18_reason",
    "person_told",
    "person_told_confirmed",
    "person_not_told_reason",
    "advice_from",
    "advice_given",
    "notes",
    "status",
    "version",
    "corrects_id",
    "revision",
    "created_by_id",
    "created_at",
    "updated_at",
    "signed_by_id",
    "signed_at",
)
SIGNED_CONTENT_FORM = 1
SIGN_VERB = "decision.sign"
# Disposal at the end of the retention period erases a signed decision's free text, the
# one change the product makes to one (retention/erasure.py), and seals it again.
ERASE_VERB = "decision.erase"


def signed_decision_content_sha256(content: Content) -> str:
    """The hash that seals a signed decision, in its `decision.sign` entry (and a
    disposal's `decision.erase`), and that `audit verify` computes again: of every column,
    read as `values()` reads them (`signed_decision_contents`), and of the parts other apps
    keep of it. Why each is in it:

    - `id`: the hash is of this record, and cannot stand for another decision's.
    - `agency_id`, `person_id`: whose decision it is, and about whom.
    - `purpose`, `recipient`, `information`: the share the decision is about, which
      consent and the disclosures made from it are checked against.
    - `pack_id`, `pack_version`, `pack_hash`, `pack_reason`: the guidance applied, its
      exact text, and why it applied; a replay of the record depends on them.
    - `facts`, `reasons`, `proportionality`, `consent_source`: the answers, the
      practitioner's reasons for each judgement, their proportionality working, and how
      the consent answer came from the consent records.
    - `outcome`, `basis`, `refer_now`, `inform_subject`, `trace`, `citations`: the
      outcome as the lists, reports and disclosures read it (the issue's attack changed
      the outcome), the path that led to it and the paragraphs it rests on.
    - `signed_record`: the record as signed, which every view, the PDF and the export
      are rendered from.
    - `article6_basis`, `special_category_condition`, `paragraph18_reason`, `person_told`,
      `person_told_confirmed`, `person_not_told_reason`, `advice_from`, `advice_given`,
      `notes`: the lawful basis and conditions, whether the person was told and why not,
      the advice taken, and the notes, all shown on the record.
    - `status`: that it is signed; a decision put back to draft escapes the triggers.
    - `version`, `corrects_id`: which version it is and the one it corrects, so a
      correction cannot be made to point at another decision.
    - `revision`, `updated_at`: a signed decision is never written again, so these
      never change; a change to them is a write nobody made through Sharewise.
    - `created_by_id`, `created_at`: who started it and when, shown on the record.
    - `signed_by_id`, `signed_at`: who signed it and when (the issue's attack changed
      the signer).
    - `imported_from` (added by the rights app, None for a decision made here): the
      agency and signer an imported decision came from and the SHA-256 of the document,
      so a signed decision cannot be passed off as another agency's, or as not imported.
    """
    missing = set(SIGNED_CONTENT_FIELDS) - set(content)
    if missing:
        raise ValueError(f"a signed decision's content lacks {sorted(missing)}")
    return canonical_sha256("decision", SIGNED_CONTENT_FORM, content)


def signed_decision_content(values: Mapping[str, Any]) -> dict[str, Any]:
    """The content `signed_decision_content_sha256` hashes, from a row's values."""
    return {name: values[name] for name in SIGNED_CONTENT_FIELDS}


def signed_decision_contents(where: Q, limit: int) -> list[tuple[int, Content | None]]:
    """The signed decisions matching `where`, at most `limit`, in id order, with their
    content (None for one whose encrypted values no longer decrypt)."""
    signed = Decision.objects.filter(where, status=Status.SIGNED).order_by("pk")
    try:
        rows = list(signed.values(*SIGNED_CONTENT_FIELDS)[:limit])
    except FieldKeyError:
        # A value that does not decrypt fails the whole batch: read it again one by one,
        # to name the decisions it was.
        found: list[tuple[int, Content | None]] = []
        for pk in signed.values_list("pk", flat=True)[:limit]:
            try:
                one = signed.filter(pk=pk).values(*SIGNED_CONTENT_FIELDS).get()
            except FieldKeyError:
                found.append((pk, None))
            else:
                found.append((pk, signed_decision_content(one)))
        return found
    return [(row["id"], signed_decision_content(row)) for row in rows]


SIGNED_DECISION = SealedKind(
    object_type="decision",
    description="a signed decision",
    verbs=frozenset({SIGN_VERB, ERASE_VERB}),
    sealing_verb=SIGN_VERB,
    form=SIGNED_CONTENT_FORM,
    read=signed_decision_contents,
    sha256=signed_decision_content_sha256,
)


def register() -> None:
    sealed_kind_register(SIGNED_DECISION)
