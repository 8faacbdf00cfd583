"""People an agency holds records about, their relationships, and assessments of their
capacity to consent.

Each person record belongs to one agency: what a school knows about a child is the
school's, confidential to it (003 3.15), and is seen by another agency only when it is
disclosed to it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedTextField


class Person(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200, blank=True)
    # Either a date of birth or, for an unborn child, the expected date of birth.
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField("Unique Pupil Number", max_length=13, blank=True)
    case_reference = models.CharField("local case reference", max_length=60, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # With a care order in force the local authority shares parental responsibility (3.27).
    care_order = models.BooleanField("care order in force", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["agency", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    @property
    def age_years(self) -> int | None:
        return self.age_on(timezone.localdate())

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on `day`; 0 for an unborn child, None when unknown."""
        if self.date_of_birth is None:
            return 0 if self.expected_date_of_birth is not None else None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` years before `day`: for someone born on 29 February, the 28th
    in a year that has no 29th (a plain `replace(year=...)` raises there)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    PARTNER = "partner", "Partner"


class Relationship(models.Model):
    """`relative` is `kind` of `person`: the mother (relative) is a parent of the child."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives_of")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    # How consent responses name this person ("mother", "father"), matching the contract's
    # `party`.
    party = models.CharField(max_length=60, blank=True)
    parental_responsibility = models.BooleanField(default=False)
    lives_with = models.BooleanField("the person lives with them", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relationship_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.relative} is {self.get_kind_display().lower()} of {self.person}"


class CompetenceAssessment(models.Model):
    """Whether a child under 16 has sufficient understanding to consent, or refuse
    consent, to sharing, on a particular occasion, against the criteria of 3.24."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="competence_assessments"
    )
    # One answer per criterion of 3.24, in the order of guidance.consent.COMPETENCE_CRITERIA.
    criteria_met = models.JSONField(default=list)
    competent = models.BooleanField()
    # Encrypted: free text that can hold special category data.
    notes = EncryptedTextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        judged = "competent" if self.competent else "not competent"
        return f"{self.person} judged {judged} on {self.assessed_at:%d %B %Y}"


class CapacityAssessment(models.Model):
    """Whether a person aged 16 or over lacks capacity to make this decision, at the time
    it needs to be taken (3.31 to 3.35; Mental Capacity Act 2005 Code of Practice)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="capacity_assessments"
    )
    decision = models.CharField("the decision assessed", max_length=300)
    lacks_capacity = models.BooleanField()
    # Encrypted: free text that can hold special category data.
    notes = EncryptedTextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        found = "lacks" if self.lacks_capacity else "has"
        return f"{self.person} {found} capacity for {self.decision}"
