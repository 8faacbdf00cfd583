"""What the rights app keeps of its own: where an imported decision came from, and the
subject access PDFs being prepared or waiting to be downloaded.

An imported decision is an ordinary `decisions.Decision`, made through the decisions
services and left as a draft for the importing practitioner to check and sign (docs/rights.md).
This row says it was imported, from which document and whose decision it was, so that the
record never passes off another agency's decision as the importing user's own work.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from sharewise.crypto.fields import EncryptedTextField
from sharewise.decisions.models import Decision
from sharewise.people.models import Person


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


class SubjectAccessStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    EXPIRED = "expired", "Deleted after 7 days"


class SubjectAccessRequest(models.Model):
    """A safeguarding lead's or auditor's request for the subject access PDF of a person,
    prepared by a background job (`tasks.subject_access_prepare`) because a person with
    hundreds of decisions makes a PDF of hundreds of pages, which takes longer than a web
    request may. The PDF is kept here, encrypted, until it expires (docs/rights.md, "Why
    the PDF is prepared in the background and deleted after 7 days")."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=SubjectAccessStatus.choices, default=SubjectAccessStatus.QUEUED
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The PDF as base64 text, encrypted as the practitioners' free text is (ADR 9): it holds
    # everything the agency has about the person, special category data included, in one
    # place. Emptied when it expires.
    pdf = EncryptedTextField(blank=True, default="")
    pdf_size = models.PositiveIntegerField(default=0)
    # Why the job could not prepare it, in words for the lead (never the records' text).
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="rights_sar_status_expires")]

    def __str__(self) -> str:
        return f"Subject access request {self.pk} about person {self.person_id}"

    def expired(self, *, now: dt.datetime) -> bool:
        """Whether the PDF is past its expiry, whether or not the sweep has deleted it yet."""
        return self.status == SubjectAccessStatus.EXPIRED or (
            self.status == SubjectAccessStatus.READY
            and self.expires_at is not None
            and self.expires_at <= now
        )
