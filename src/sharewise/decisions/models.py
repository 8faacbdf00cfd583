"""The record of an information sharing decision, whether to share or not (003 3.51; 004
"Record"; golden rule 7).

A decision is a draft until it is signed. A signed decision is never edited: a correction
is a new version that names the one it corrects, and both are kept. Each records the pack
applied (id, version and content hash), every answer, the outcome with its trace, and the
practitioner's reasons, so it can be read, and replayed, years later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedJSONField, EncryptedTextField
from sharewise.people.models import Person


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Article6Basis(models.TextChoices):
    """The lawful bases of UK GDPR Article 6(1), as named in the regulation."""

    CONSENT = "consent", "Consent: Article 6(1)(a)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation: Article 6(1)(c)"
    VITAL_INTERESTS = "vital_interests", "Vital interests: Article 6(1)(d)"
    PUBLIC_TASK = "public_task", "Public task: Article 6(1)(e)"
    RECOGNISED_LEGITIMATE_INTEREST = (
        "recognised_legitimate_interest",
        "Recognised legitimate interest: Article 6(1)(ea) (not for public authorities "
        "performing their tasks)",
    )
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests: Article 6(1)(f)"


class SpecialCategoryCondition(models.TextChoices):
    """The condition relied on for special category data (UK GDPR Article 9, with the
    Data Protection Act 2018 Schedule 1), where the information includes any."""

    NOT_SPECIAL = "not_special", "The information includes no special category data"
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent: Article 9(2)(a)"
    VITAL_INTERESTS = "vital_interests", "Vital interests: Article 9(2)(c)"
    HEALTH_OR_SOCIAL_CARE = (
        "health_or_social_care",
        "Health or social care: Article 9(2)(h), with DPA 2018 Schedule 1 paragraph 2",
    )
    STATUTORY_PURPOSES = (
        "statutory_purposes",
        "Statutory and government purposes: DPA 2018 Schedule 1 paragraph 6",
    )
    LEGAL_CLAIMS = "legal_claims", "Legal claims or courts: Article 9(2)(f)"
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children and of individuals at risk: DPA 2018 Schedule 1 paragraph 18",
    )
    PREVENTING_CRIME = (
        "preventing_crime",
        "Preventing or detecting unlawful acts: DPA 2018 Schedule 1 paragraph 10",
    )


class Paragraph18Reason(models.TextChoices):
    """Why the safeguarding condition is met without consent (DPA 2018 Schedule 1
    paragraph 18(2))."""

    CANNOT_BE_GIVEN = (
        "cannot_be_given",
        "In the circumstances, consent cannot be given by the person (18(2)(a))",
    )
    CANNOT_REASONABLY_OBTAIN = (
        "cannot_reasonably_obtain",
        "The agency cannot reasonably be expected to obtain the person's consent (18(2)(b))",
    )
    WOULD_PREJUDICE_PROTECTION = (
        "would_prejudice_protection",
        "Obtaining consent would prejudice the provision of the protection (18(2)(c))",
    )


class PersonTold(models.TextChoices):
    YES = "yes", "Yes, the person has been told"
    NOT_YET = "not_yet", "Not yet: they will be told"
    NO = "no", "No: they will not be told"


class Decision(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    # The proposed share the decision is about, also what consent is checked against.
    purpose = models.TextField("purpose of sharing")
    recipient = models.CharField("who it would be shared with", max_length=300, blank=True)
    information = models.JSONField("kinds of information", default=list, blank=True)

    pack_id = models.CharField(max_length=60)
    pack_version = models.CharField(max_length=30)
    pack_hash = models.CharField(max_length=80)
    # Why this pack applied: the agency's choice, or the law in force on the day and where
    # the agency is (guidance.choice.pack_choose), in words for the record.
    pack_reason = models.TextField(blank=True)
    facts = models.JSONField(default=dict, blank=True)
    # The practitioner's reasons for each judgement, by fact (public_interest, lawful_basis),
    # and their answers to the proportionality questions.
    # Encrypted, with the free text below: they can hold special category data (health,
    # sexual life, criminal allegations) in the practitioner's own words.
    reasons = EncryptedJSONField(default=dict, blank=True)
    proportionality = EncryptedJSONField(default=list, blank=True)
    # How the consent answer was reached from the consent records, when it was.
    consent_source = models.JSONField(null=True, blank=True)

    outcome = models.CharField(max_length=20)
    basis = models.CharField(max_length=30, blank=True)
    refer_now = models.BooleanField(default=False)
    inform_subject = models.CharField(max_length=10, blank=True)
    trace = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    # The record as signed (guidance.record.outcome_record): the engine's whole outcome,
    # the answers it rests on and the words they were shown in. Every view of a signed
    # decision is rendered from it, never from a replay under today's pack files; the
    # columns above are its summary, kept for the queries and indexes that read them.
    # Encrypted: the judgements in it carry the practitioner's reasons. Null for a draft,
    # and for a decision signed before it was kept (decisions.selectors.decision_record).
    signed_record = EncryptedJSONField(null=True, blank=True)

    article6_basis = models.CharField(max_length=30, choices=Article6Basis.choices, blank=True)
    special_category_condition = models.CharField(
        max_length=30, choices=SpecialCategoryCondition.choices, blank=True
    )
    paragraph18_reason = models.CharField(
        max_length=40, choices=Paragraph18Reason.choices, blank=True
    )
    person_told = models.CharField(max_length=10, choices=PersonTold.choices, blank=True)
    # The practitioner confirmed that the person was told although the guidance said not
    # to tell them (decisions.services.decision_sign_problems).
    person_told_confirmed = models.BooleanField(default=False)
    person_not_told_reason = EncryptedTextField(blank=True)
    advice_from = models.CharField(max_length=300, blank=True)
    advice_given = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    # Bumped on every save of a draft, so that two people editing one draft cannot
    # overwrite each other without knowing.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(fields=["agency", "status", "-created_at"]),
            # The monitoring figures (reports.selectors: signed decisions of some agencies
            # in a period, by outcome and lawful basis) read only this index on
            # PostgreSQL, not the table: at 1,000,000 decisions, 10 thousand pages
            # instead of 300 thousand, 1.2 s down to 0.4 s (docs/performance.md). SQLite
            # ignores `include` and keeps the partial index.
            models.Index(
                fields=["agency", "signed_at"],
                include=["outcome", "basis", "article6_basis", "created_by", "id"],
                condition=models.Q(status="signed"),
                name="decision_signed_by_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk} v{self.version} about {self.person_id} ({self.status})"

    @property
    def is_signed(self) -> bool:
        return self.status == Status.SIGNED
