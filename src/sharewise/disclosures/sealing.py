"""An acknowledged disclosure's content, as the audit log seals it (audit/seals.py; issue
17): what was shared, with whom and how, what the recipient acknowledged, and what has
happened to it since (withdrawn, the person told), each entry that changes it sealing it
again. `sharewise audit verify` hashes it again and names a disclosure changed in the
database behind the services' back."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from sharewise.audit.seals import Content, SealedKind, canonical_sha256, sealed_kind_register
from sharewise.crypto.keyring import FieldKeyError

from .models import Disclosure, DisclosureItem, IdentityRelease

# Every column of each, by the name `values()` reads it under (tests/disclosures/
# test_sealing.py fails when the models gain one that is not here).
DISCLOSURE_FIELDS = (
    "id",
    "agency_id",
    "person_id",
    "decision_id",
    "purpose",
    "recipient_agency_id",
    "recipient_user_id",
    "recipient_team_id",
    "recipient_name",
    "channel",
    "channel_details",
    "identity_check",
    "expires_on",
    "readers",
    "sent_by_id",
    "sent_at",
    "recorded_at",
    "read_by_id",
    "read_at",
    "acknowledged_by_id",
    "acknowledged_at",
    "withdrawn_by_id",
    "withdrawn_at",
    "withdrawn_reason",
    "subject_told_at",
    "subject_told_how",
    "subject_told_recorded_by_id",
    "withheld_identities",
)
# Columns left out of the seal, each with why: the first opening in the recipient's
# agency says nothing of what was shared or accepted, and may come after the acknowledgement.
NOT_SEALED = ("opened_at",)
ITEM_FIELDS = (
    "id",
    "disclosure_id",
    "position",
    "text",
    "kind",
    "information_kind",
    "source",
    "dated",
    "historical",
)
RELEASE_FIELDS = ("id", "disclosure_id", "identity_id", "reason")
ACKNOWLEDGED_CONTENT_FORM = 1
ACKNOWLEDGE_VERB = "disclosure.acknowledge"
# The entries that change an acknowledged disclosure, each sealing it again.
WITHDRAW_VERB = "disclosure.withdraw"
SUBJECT_TOLD_VERB = "disclosure.subject_told"
ERASE_VERB = "disclosure.erase"


def acknowledged_disclosure_content_sha256(content: Content) -> str:
    """The hash that seals an acknowledged disclosure: of every column of the disclosure,
    of each item it shared and of each protected identity released in it. Why:

    - the disclosure's own columns are what the sender's and the recipient's pages show:
      the sending agency, the person, the decision it was made from, the purpose, the
      recipient (agency, person, team or name), the channel and its details, the identity
      check, the expiry, who at the recipient agency may read it, who sent it and when,
      when it was read and acknowledged and by whom (what the recipient accepted), the
      identities withheld, and what happened since: withdrawn (when, by whom, why) and the
      person told (when, how, who recorded it); `id` so that the hash is of this
      disclosure and no other;
    - `items`: every piece of information as it was shared, fact or opinion, with its
      source and date (003 3.49), in their order;
    - `identity_releases`: each protected identity included, and the reason (3.50).
    """
    return canonical_sha256("disclosure", ACKNOWLEDGED_CONTENT_FORM, content)


def _content(
    row: dict[str, Any], items: list[dict[str, Any]], releases: list[dict[str, Any]]
) -> dict[str, Any]:
    return {**row, "items": items, "identity_releases": releases}


def _parts(model: Any, fields: tuple[str, ...], ids: list[int], order: str) -> Any:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in model.objects.filter(disclosure_id__in=ids).order_by(order).values(*fields):
        found[row["disclosure_id"]].append(row)
    return found


def _read(where: Q, limit: int) -> list[tuple[int, Content]]:
    rows = list(
        Disclosure.objects.filter(where, acknowledged_at__isnull=False)
        .order_by("pk")
        .values(*DISCLOSURE_FIELDS)[:limit]
    )
    ids = [row["id"] for row in rows]
    items = _parts(DisclosureItem, ITEM_FIELDS, ids, "position")
    releases = _parts(IdentityRelease, RELEASE_FIELDS, ids, "pk")
    return [(row["id"], _content(row, items[row["id"]], releases[row["id"]])) for row in rows]


def acknowledged_disclosure_contents(where: Q, limit: int) -> list[tuple[int, Content | None]]:
    """The acknowledged disclosures matching `where`, at most `limit`, in id order, with
    their content (None for one with a value that no longer decrypts)."""
    try:
        return list(_read(where, limit))
    except FieldKeyError:
        ids = Disclosure.objects.filter(where, acknowledged_at__isnull=False).order_by("pk")
        found: list[tuple[int, Content | None]] = []
        for pk in ids.values_list("pk", flat=True)[:limit]:
            try:
                found += _read(Q(pk=pk), 1)
            except FieldKeyError:
                found.append((pk, None))
        return found


ACKNOWLEDGED_DISCLOSURE = SealedKind(
    object_type="disclosure",
    description="an acknowledged disclosure",
    verbs=frozenset({ACKNOWLEDGE_VERB, WITHDRAW_VERB, SUBJECT_TOLD_VERB, ERASE_VERB}),
    sealing_verb=ACKNOWLEDGE_VERB,
    form=ACKNOWLEDGED_CONTENT_FORM,
    read=acknowledged_disclosure_contents,
    sha256=acknowledged_disclosure_content_sha256,
)


def register() -> None:
    sealed_kind_register(ACKNOWLEDGED_DISCLOSURE)
