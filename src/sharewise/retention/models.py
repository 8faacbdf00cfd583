"""Retention schedules, the reviews of records whose retention date has passed, legal
holds, and the registry of what has been disposed (DESIGN.md capability 10).

"The information should not be kept any longer than is necessary. In some rare
circumstances, this may be indefinitely, but if this is the case, there should be a
review process scheduled at regular intervals to ensure data is not retained where it is
unnecessary to do so" (004 "Record"). A schedule says, for one kind of record, when it
falls due; the daily sweep puts each record that has fallen due in its agency's review
queue; a manager or safeguarding lead keeps it for another period, with a reason, or has
it disposed. Disposal erases the personal data in place and leaves a tombstone in the
audit log (docs/decisions/0015-retention-disposal.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedTextField
from sharewise.people.models import Person


class RecordKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", "Child protection decision record"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding decision record"
    CONSENT = "consent", "Consent record"
    DISCLOSURE = "disclosure", "Disclosure"
    ADVICE_REQUEST = "advice_request", "Advice request"
    MEETING = "meeting", "Meeting"
    INFORMATION_REQUEST = "information_request", "Request for information"


class Basis(models.TextChoices):
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    RECORD_DATE = "record_date", "The record's date"
    LAST_ACTIVITY = "last_activity", "The record's last activity"


class Action(models.TextChoices):
    REVIEW = "review", "Review"
    DISPOSE = "dispose", "Dispose"


class RetentionSchedule(models.Model):
    """How long one kind of record is kept: `years` after the basis date, then `action`.

    "dispose" does not dispose by itself: it is what the review queue proposes, and a
    person still authorises it (ADR 15)."""

    kind = models.CharField(max_length=30, choices=RecordKind.choices, unique=True)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    years = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.REVIEW)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rule}"

    @property
    def rule(self) -> str:
        """The schedule in words, as the pages and the tombstone give it."""
        after = {
            Basis.DATE_OF_BIRTH: "date of birth plus {n} years",
            Basis.RECORD_DATE: "{n} years after the record's date",
            Basis.LAST_ACTIVITY: "{n} years after the record's last activity",
        }[Basis(self.basis)].format(n=self.years)
        return f"{after}, then {self.get_action_display().lower()}"


class ReviewStatus(models.TextChoices):
    DUE = "due", "Due for review"
    KEPT = "kept", "Kept for another period"
    DISPOSED = "disposed", "Disposed"


class RetentionReview(models.Model):
    """One record whose retention date has passed, made by the daily sweep, and what was
    decided about it. A record kept for another period gets a new review when that period
    ends; a disposed record's last review says so, and it is never due again."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=RecordKind.choices)
    # The record's id in its own table (a meeting's id for a meeting: the record is what
    # the meeting holds about this person).
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    # The schedule's rule when the record fell due, in words.
    rule = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DUE)
    kept_until = models.DateField(null=True, blank=True)
    # Why it is kept: the reviewer's words, which may name the person; erased on disposal.
    kept_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["person", "kind"]),
        ]
        constraints = [
            # The sweep's idempotence: one review per record per due date, however often
            # it runs.
            models.UniqueConstraint(
                fields=["kind", "object_id", "person", "due_on"],
                name="retention_review_once_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} due {self.due_on} ({self.status})"


class LegalHold(models.Model):
    """A person, or one of their records, that must not be disposed of (litigation, an
    inquiry, a serious case review). While a hold is in force its records never appear as
    due for disposal and cannot be disposed."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Empty for a hold on the person and all their records.
    kind = models.CharField(max_length=30, choices=RecordKind.choices, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason = EncryptedTextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["person", "released_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="", object_id__isnull=True)
                | (~models.Q(kind="") & models.Q(object_id__isnull=False)),
                name="legal_hold_person_or_one_record",
            )
        ]

    def __str__(self) -> str:
        what = f"{self.kind} {self.object_id}" if self.kind else f"person {self.person_id}"
        return f"Legal hold on {what}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None

    @property
    def covers_person(self) -> bool:
        return not self.kind
