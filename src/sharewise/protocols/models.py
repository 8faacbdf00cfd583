"""The register of information sharing protocols: signed agreements between agencies.

An information sharing protocol (ISP) "is a signed agreement between two or more
organisations or bodies, in relation to specified information sharing activity" and
"explains the terms under which both (or all) organisations have agreed to share
information" (001 question 12; 000 module 4). The headings follow the ICO's data sharing
code: the parties, the purposes, the data items, the lawful basis, the special category
conditions, retention and deletion, security, individuals' rights, review, and sign-off by
each party.

A protocol is supporting information, never a gate: "the lack of an ISP must never be a
reason for not sharing information that could help a practitioner deliver services" (001
question 13). Nothing in Sharewise checks for a protocol before a share.

A protocol is drafted by a partnership administrator, submitted for sign-off, and is in
force once every party agency has signed. A signed protocol is never edited: a revision is
a new version that supersedes the old when it comes into force, and both are kept.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from sharewise.agencies.models import Agency


class Status(models.TextChoices):
    """Where a protocol stands. "Past review" is not stored: it is an in-force protocol
    whose review date has gone by (`Protocol.state`)."""

    DRAFT = "draft", "Draft"
    AWAITING_SIGNOFF = "awaiting_signoff", "Awaiting sign-off"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded by a later version"
    WITHDRAWN = "withdrawn", "Withdrawn"


class State(models.TextChoices):
    """What the register shows: the status, with "past review" told apart."""

    DRAFT = "draft", "Draft"
    AWAITING_SIGNOFF = "awaiting_signoff", "Awaiting sign-off"
    IN_FORCE = "in_force", "In force"
    PAST_REVIEW = "past_review", "In force, past its review date"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Protocol(models.Model):
    title = models.CharField(max_length=300)
    parties = models.ManyToManyField(Agency, related_name="protocols")
    # Each a line: what the sharing is for, and what is shared (ICO code, "purpose" and
    # "data items"). Protocols are agreements between agencies, not personal data, so
    # they are stored in the clear.
    purposes = models.JSONField(default=list, blank=True)
    data_items = models.JSONField(default=list, blank=True)
    # The lawful bases of UK GDPR Article 6(1), and for special category data the Article 9
    # conditions with the DPA 2018 Schedule 1 conditions: the values of
    # decisions.models.Article6Basis and SpecialCategoryCondition, so that a decision and
    # the protocol behind it name a basis the same way.
    article6_bases = models.JSONField(default=list, blank=True)
    special_category_conditions = models.JSONField(default=list, blank=True)
    # The legal powers or duties relied on (for example Children Act 1989 section 47).
    legal_powers = models.TextField(blank=True)
    retention = models.TextField("retention and deletion", blank=True)
    security = models.TextField(blank=True)
    individuals_rights = models.TextField("individuals' rights", blank=True)
    review_date = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    in_force_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    # The review date the sweep last flagged, and when: the sweep flags a protocol once
    # for each review date, however often it runs.
    review_flagged_for = models.DateField(null=True, blank=True)
    review_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "-version"]
        indexes = [models.Index(fields=["status", "review_date"], name="protocol_status_review")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def state_on(self, today: dt.date) -> State:
        if self.status == Status.IN_FORCE and self.review_date and self.review_date < today:
            return State.PAST_REVIEW
        return State(self.status)

    @property
    def state(self) -> State:
        return self.state_on(timezone.localdate())

    @property
    def is_in_force(self) -> bool:
        return self.status == Status.IN_FORCE


class ProtocolSignature(models.Model):
    """One party agency's sign-off: who signed for it, in what role, on what day, and the
    Sharewise user who recorded it (a manager or safeguarding lead of that agency)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="signatures")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "agency"], name="protocol_signed_once_per_party"
            )
        ]
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.signatory_name} for {self.agency} on {self.signed_on}"
