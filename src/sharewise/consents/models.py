"""Consent records: each response a person gave, as it was given, never overwritten.

A change (consent withdrawn, given again, scope widened) is a new record that names the
one it follows, so the history of changes is the records themselves. The consent that
counts for a decision is worked out from all of them by the guidance core's consent rules
(`guidance.consent.effective_consent`), never from a tick box.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedTextField
from sharewise.people.models import Person


class GivenBy(models.TextChoices):
    SUBJECT = "subject", "The person themself"
    PARENT = "parent", "A person with parental responsibility"
    LOCAL_AUTHORITY = "local_authority", "The local authority (care order)"


class Response(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Form(models.TextChoices):
    EXPLICIT = "explicit", "Explicit"
    IMPLICIT = "implicit", "Implicit"


class Medium(models.TextChoices):
    VERBAL = "verbal", "Verbal"
    WRITTEN = "written", "Written"


# What the person giving consent must understand for it to be informed (3.18).
INFORMED_POINTS = {
    "why": "Why the information needs to be shared",
    "what": "What will be shared",
    "who": "Who will see the information",
    "purpose": "The purpose to which it will be put",
    "implications": "The implications of sharing it",
}


class ConsentRecord(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    given_by = models.CharField(max_length=20, choices=GivenBy.choices)
    # Who, when a parent or the local authority responds: "mother", "father", a name.
    party = models.CharField(max_length=100, blank=True)
    response = models.CharField(max_length=20, choices=Response.choices)
    form = models.CharField(max_length=20, choices=Form.choices, default=Form.EXPLICIT)
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.VERBAL)
    informed_points = models.JSONField(default=list, blank=True)
    purposes = models.JSONField(default=list, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    information = models.JSONField("kinds of information", default=list, blank=True)
    expires = models.DateField(null=True, blank=True)
    # Encrypted: free text that can hold special category data.
    notes = EncryptedTextField(blank=True)
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by"
    )
    given_at = models.DateTimeField(help_text="when the person responded")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        indexes = [models.Index(fields=["person", "given_at"])]

    def __str__(self) -> str:
        who = self.party or self.get_given_by_display()
        return f"{self.get_response_display()} by {who} on {self.given_at:%d %B %Y}"
