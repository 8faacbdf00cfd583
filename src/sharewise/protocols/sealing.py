"""A protocol's content once every party has signed it, as the audit log seals it
(audit/seals.py; issue 17): its terms, its parties and their signatures, and what has
happened to it since (superseded, withdrawn, its review flagged), each entry that changes
it sealing it again."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from sharewise.audit.seals import Content, SealedKind, canonical_sha256, sealed_kind_register

from .models import Protocol, ProtocolSignature

# Every column of each, by the name `values()` reads it under (tests/protocols/
# test_sealing.py fails when the models gain one that is not here).
PROTOCOL_FIELDS = (
    "id",
    "title",
    "purposes",
    "data_items",
    "article6_bases",
    "special_category_conditions",
    "legal_powers",
    "retention",
    "security",
    "individuals_rights",
    "review_date",
    "status",
    "version",
    "supersedes_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "submitted_at",
    "in_force_at",
    "superseded_at",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdrawal_reason",
    "review_flagged_for",
    "review_flagged_at",
)
SIGNATURE_FIELDS = (
    "id",
    "protocol_id",
    "agency_id",
    "signatory_name",
    "signatory_role",
    "signed_on",
    "recorded_by_id",
    "recorded_at",
)
IN_FORCE_CONTENT_FORM = 1
IN_FORCE_VERB = "protocol.in_force"
# The entries that change a protocol in force, each sealing it again.
SUPERSEDED_VERB = "protocol.superseded"
WITHDRAW_VERB = "protocol.withdraw"
REVIEW_DUE_VERB = "protocol.review_due"


def signed_protocol_content_sha256(content: Content) -> str:
    """The hash that seals a protocol in force: of every column of it, its parties and
    their signatures. Why:

    - the terms under the headings of the ICO's data sharing code (title, purposes, data
      items, lawful bases, special category conditions, legal powers, retention,
      security, individuals' rights, review date) are what every party signed;
    - `version`, `supersedes_id`: which version it is and the one it replaces;
    - `created_*`, `submitted_at`, `in_force_at`: who drafted it, when it went for
      sign-off, and when the last party's signature brought it into force;
    - `status`, `superseded_at`, `withdrawn_*`, `withdrawal_reason`, `review_flagged_*`,
      `updated_at`: what has happened to it since, each set by a service that seals it
      again; `id` so that the hash is of this protocol and no other;
    - `parties`: the agencies bound by it;
    - `signatures`: who signed for each party, in what role, on what day, and who
      recorded it.
    """
    return canonical_sha256("protocol", IN_FORCE_CONTENT_FORM, content)


def signed_protocol_contents(where: Q, limit: int) -> list[tuple[int, Content | None]]:
    """The protocols in force or after (signed by every party) matching `where`, at most
    `limit`, in id order, with their content."""
    rows = list(
        Protocol.objects.filter(where, in_force_at__isnull=False)
        .order_by("pk")
        .values(*PROTOCOL_FIELDS)[:limit]
    )
    ids = [row["id"] for row in rows]
    parties: dict[int, list[int]] = defaultdict(list)
    through = Protocol.parties.through.objects.filter(protocol_id__in=ids)
    for protocol_id, agency_id in through.order_by("agency_id").values_list(
        "protocol_id", "agency_id"
    ):
        parties[protocol_id].append(agency_id)
    signatures: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for signature in (
        ProtocolSignature.objects.filter(protocol_id__in=ids)
        .order_by("pk")
        .values(*SIGNATURE_FIELDS)
    ):
        signatures[signature["protocol_id"]].append(signature)
    return [
        (
            row["id"],
            {**row, "parties": parties[row["id"]], "signatures": signatures[row["id"]]},
        )
        for row in rows
    ]


SIGNED_PROTOCOL = SealedKind(
    object_type="protocol",
    description="a protocol signed by every party",
    verbs=frozenset({IN_FORCE_VERB, SUPERSEDED_VERB, WITHDRAW_VERB, REVIEW_DUE_VERB}),
    sealing_verb=IN_FORCE_VERB,
    form=IN_FORCE_CONTENT_FORM,
    read=signed_protocol_contents,
    sha256=signed_protocol_content_sha256,
)


def register() -> None:
    sealed_kind_register(SIGNED_PROTOCOL)
