"""Advice requests: a practitioner asks their agency's safeguarding leads for advice,
without disclosing the identity of the person (golden rule 3; 003 3.45, 3.46).

A request is a draft while the practitioner reviews the redaction; only then does it hold
their own words (encrypted, seen by no one else), so that adding a term to redact can run
the redaction again. Sending freezes the redacted text, erases the original and the terms
added (they are identifiers themselves), and keeps how many of each kind were replaced.
The lead's answer and the practitioner's outcome are later transitions, each set once with
who and when: a sent request is never edited (ADR 10).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedJSONField, EncryptedTextField
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .identifiers import LABELS, Kind


class Status(models.TextChoices):
    DRAFT = "draft", "Draft: not sent"
    SENT = "sent", "Waiting for advice"
    ANSWERED = "answered", "Advice given"
    CLOSED = "closed", "Outcome recorded"


class Outcome(models.TextChoices):
    """What the practitioner did with the advice (003: "ensure that the outcome of the
    discussion is recorded")."""

    FOLLOWED = "followed", "Advice followed"
    PARTLY = "partly", "Advice partly followed"
    NOT_FOLLOWED = "not_followed", "Advice not followed"


class AdviceRequest(models.Model):
    # The agency whose safeguarding leads are asked: the practitioner's own (3.15 allows
    # sharing within the agency "to seek advice on a particular case").
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # What the request is about, to know whose identifiers to take out and where the
    # advice is recorded. Never shown to the lead through this app.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    # The draft: the practitioner's own words and the terms they added, erased on sending.
    draft_text = EncryptedTextField(blank=True)
    extra_terms = EncryptedJSONField(default=list, blank=True)
    # The redacted text: the preview while a draft, what the lead reads once sent.
    # Encrypted all the same: without a name it can still hold special category data.
    redacted_text = EncryptedTextField(blank=True)
    # How many identifiers of each kind were replaced ({"name": 3, "date_of_birth": 1}).
    replaced_kinds = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    answer = EncryptedTextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the lead is called in their agency, as it was when they answered.
    answered_as = models.CharField(max_length=100, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = EncryptedTextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # When the advice was copied into the decision's record (advice_from, advice_given).
    copied_to_decision_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-sent_at"]),
            models.Index(fields=["asked_by", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Advice request {self.pk} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def replaced_summary(self) -> list[tuple[str, int]]:
        """(label, count) of what was taken out, for the pages."""
        summary = []
        for kind, count in sorted(self.replaced_kinds.items()):
            try:
                label = LABELS[Kind(kind)].capitalize()
            except ValueError:
                label = kind
            summary.append((label, int(count)))
        return summary
