"""Where an imported decision came from, as part of the signed decision's sealed content
(audit/seals.py; issue 17): the `ImportedDecision` row is what stops the record passing
off another agency's decision as the importing user's own work, so rewriting it, or adding
one to a decision that was never imported, must show when the log is verified."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sharewise.audit.seals import SealedPart, sealed_part_register

from .models import ImportedDecision

# Every column of the row but its own id and the decision's (which the decision's content
# has), each shown with an imported decision or kept to match the document received.
IMPORTED_CONTENT_FIELDS = (
    "document_sha256",
    "format_version",
    "source_agency",
    "source_signed_by",
    "source_signed_at",
    "source_started_at",
    "imported_by_id",
    "imported_at",
)


def imported_from_contents(decision_ids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]:
    """The provenance of each of `decision_ids` that was imported, by decision id."""
    rows = ImportedDecision.objects.filter(decision_id__in=decision_ids).values(
        "decision_id", *IMPORTED_CONTENT_FIELDS
    )
    return {
        row["decision_id"]: {name: row[name] for name in IMPORTED_CONTENT_FIELDS} for row in rows
    }


def register() -> None:
    sealed_part_register(
        SealedPart(object_type="decision", name="imported_from", read=imported_from_contents)
    )
