"""Disclosures: the information actually shared from a signed decision to share, with whom,
for what purpose and how (003 3.49 to 3.51; DESIGN.md capability 5).

A disclosure is made once and not edited: what happens to it afterwards (the recipient
opens it, acknowledges the limits on onward sharing, the sender withdraws it, the person
is told) is recorded as a timestamp on it, set once. Each item keeps the text exactly as
it was shared, marked fact or opinion, with its source and date (3.49: "distinguish
clearly between fact and opinion"; "check that the information is accurate and
up-to-date").

People whose identity must be protected (a referrer, a neighbour, a colleague: 3.50) are
recorded against the person the case is about; their identifying details are withheld
from what is shared unless the practitioner includes them with a recorded reason.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from sharewise.agencies.models import Agency, Team
from sharewise.crypto.fields import EncryptedTextField
from sharewise.decisions.models import Decision
from sharewise.people.models import Person


class Channel(models.TextChoices):
    SHAREWISE = "sharewise", "Through Sharewise"
    SECURE_EMAIL = "secure_email", "By secure email"
    PHONE = "phone", "By phone, with the recipient's identity confirmed"
    MEETING = "meeting", "At a meeting"


class Readers(models.TextChoices):
    """Who at the recipient agency may read a disclosure once its limits are accepted. Share
    only with those who need the information (004, "Necessary and proportionate"; 003
    3.49): by default the person or team it is sent to; the whole agency's case staff only
    where the sender says so (a referral to a front door that any duty worker picks up)."""

    NAMED = "named", "Only the person or team it is sent to"
    AGENCY = "agency", "Anyone at the recipient agency who works with case records"


class ItemKind(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Opinion"


class IdentityRole(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    NEIGHBOUR = "neighbour", "Neighbour"
    COLLEAGUE = "colleague", "Colleague"
    FAMILY_MEMBER = "family_member", "Family member"
    OTHER = "other", "Someone else"


# The neutral words that stand in for a protected person in what is shared.
NEUTRAL_LABELS = {
    IdentityRole.REFERRER: "the referrer",
    IdentityRole.NEIGHBOUR: "a neighbour",
    IdentityRole.COLLEAGUE: "a colleague",
    IdentityRole.FAMILY_MEMBER: "a family member",
    IdentityRole.OTHER: "another person",
}


class ProtectedIdentity(models.Model):
    """Someone who might be harmed if identified from what is shared (003 3.50)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Encrypted: a name and the details that identify someone are what is being protected.
    name = EncryptedTextField()
    role = models.CharField(max_length=20, choices=IdentityRole.choices)
    # Other words that identify them (an address, "the flat upstairs"), one a line.
    details = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "protected identities"

    def __str__(self) -> str:
        return f"Protected identity {self.pk} ({self.role})"

    @property
    def label(self) -> str:
        return NEUTRAL_LABELS.get(IdentityRole(self.role), "another person")

    @property
    def identifying_terms(self) -> list[str]:
        return [self.name, *(line.strip() for line in self.details.splitlines())]


class Disclosure(models.Model):
    # The sending agency: the decision's. The record is confidential to it (3.15), except
    # that the recipient's agency sees this disclosure, and nothing else of its records.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()

    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A named person who has no Sharewise account, for a share made by phone, email or at
    # a meeting.
    recipient_name = models.CharField(max_length=200, blank=True)

    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The secure email address, or which meeting.
    channel_details = EncryptedTextField(blank=True)
    # For a phone call: how the recipient's identity was confirmed (3.49).
    identity_check = EncryptedTextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)
    # Set by disclosure_send; none (a row written some other way) is read as NAMED, the
    # narrower (migration 0004 says why the column may be empty).
    readers = models.CharField(max_length=10, choices=Readers.choices, null=True, blank=True)  # noqa: DJ001 (see above)

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When someone of the recipient's agency first saw the content (the named recipient,
    # on accepting the limits). Opening it without the content, as before that or as a
    # role shown only the limits, is `opened_at`: "read" on the sender's list must mean read.
    read_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = EncryptedTextField(blank=True)
    subject_told_at = models.DateTimeField(null=True, blank=True)
    subject_told_how = EncryptedTextField(blank=True)
    subject_told_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The protected identities whose details were taken out of what was shared.
    withheld_identities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-sent_at"]),
            models.Index(fields=["recipient_agency", "channel", "-sent_at"]),
            models.Index(fields=["decision"]),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk} from {self.agency_id} to {self.recipient_agency_id}"

    @property
    def through_sharewise(self) -> bool:
        return self.channel == Channel.SHAREWISE

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_expired(self, on: dt.date | None = None) -> bool:
        return self.expires_on is not None and (on or timezone.localdate()) > self.expires_on

    @property
    def expired(self) -> bool:
        return self.is_expired()

    @property
    def state(self) -> str:
        """Where the disclosure stands, in a word the pages and the API share."""
        if self.is_withdrawn:
            return "withdrawn"
        if self.is_expired():
            return "expired"
        if not self.through_sharewise:
            return "recorded"
        if self.acknowledged_at:
            return "acknowledged"
        if self.opened_at:
            return "opened"
        return "sent"

    @property
    def readers_rule(self) -> Readers:
        """Who at the recipient agency may read it: an empty `readers` is the narrower."""
        return Readers.AGENCY if self.readers == Readers.AGENCY else Readers.NAMED

    @property
    def recipient_label(self) -> str:
        if self.recipient_user is not None:
            named = self.recipient_user.get_full_name() or self.recipient_user.get_username()
        elif self.recipient_team is not None:
            named = self.recipient_team.name
        else:
            named = self.recipient_name
        return f"{named}, {self.recipient_agency.name}" if named else self.recipient_agency.name


class DisclosureItem(models.Model):
    """One piece of information as it was shared."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    # Encrypted: what is shared about a person is the most sensitive text Sharewise holds.
    text = EncryptedTextField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    # Which of the decision's kinds of information this is, where the decision named them.
    information_kind = models.CharField(max_length=300, blank=True)
    source = EncryptedTextField()
    dated = models.DateField(help_text="when the information was recorded or observed")
    historical = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "position"], name="disclosure_item_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of disclosure {self.disclosure_id}"


class IdentityRelease(models.Model):
    """A protected identity the practitioner chose to include, and why (3.50)."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="identity_releases"
    )
    identity = models.ForeignKey(ProtectedIdentity, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "identity"], name="identity_release_once")
        ]

    def __str__(self) -> str:
        return f"Identity {self.identity_id} included in disclosure {self.disclosure_id}"
