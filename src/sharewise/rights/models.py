"""What the rights app keeps of its own: where an imported decision came from.

An imported decision is an ordinary `decisions.Decision`, made through the decisions
services and left as a draft for the importing practitioner to check and sign (docs/rights.md).
This row says it was imported, from which document and whose decision it was, so that the
record never passes off another agency's decision as the importing user's own work.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.decisions.models import Decision


class ImportedDecision(models.Model):
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="imported_from"
    )
    # The SHA-256 of the document exactly as it was received, so the file kept by the
    # importing agency can be matched to the record.
    document_sha256 = models.CharField(max_length=64)
    format_version = models.PositiveIntegerField()
    # Whose decision it was, as the document says: an agency's name and a person's name
    # mean something in another Sharewise; their ids there would not.
    source_agency = models.CharField(max_length=200)
    source_signed_by = models.CharField(max_length=200, blank=True)
    source_signed_at = models.DateTimeField(null=True, blank=True)
    source_started_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"Decision {self.decision_id} imported from {self.source_agency}"
