"""Requests for information: another agency asks for what this agency holds about a
person, and is answered by a decision (DESIGN.md capability 6; the ICO data sharing code's
request form).

A request arrives through Sharewise from a user of another agency, or is recorded by the
receiving agency when it came by phone, letter, e-mail or at a meeting. The receiving
agency matches it to a person in its own records, answers it with a decision, and tells the
requester the outcome and the reasons, a decision not to share included (004 "Record").
The requester may come back with new information, which reopens the request.

Nothing is overwritten: each response and each reply is a row of its own, and the status
moves on with a timestamp. What the receiving agency matched the request to (its person,
its decision) is its own record and is never shown to the requester (003 3.15).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedTextField
from sharewise.decisions.models import Decision
from sharewise.people.models import Person


class Channel(models.TextChoices):
    """How a request, a reply or a response travelled."""

    SHAREWISE = "sharewise", "Through Sharewise"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Secure e-mail"
    MEETING = "meeting", "At a meeting"


# The ways a request comes in, or an answer goes out, outside Sharewise.
RECORDED_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.EMAIL, Channel.MEETING)


class Urgency(models.TextChoices):
    # Timeliness (004 "Timely"): information shared in time reduces the risk of missed
    # opportunities to protect a child.
    IMMEDIATE = "immediate", "Immediate risk of harm"
    WITHIN_24_HOURS = "within_24_hours", "Within 24 hours"
    ROUTINE = "routine", "Routine"


class SafeguardingPartner(models.TextChoices):
    """The three safeguarding partners of the Children Act 2004 section 16E, whose requests
    for information a person or body must comply with (section 16H; 004 "Safeguarding
    partners")."""

    LOCAL_AUTHORITY = "local_authority", "The local authority"
    POLICE = "police", "A chief officer of police"
    INTEGRATED_CARE_BOARD = "integrated_care_board", "An integrated care board"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress: a decision has been started"
    ANSWERED = "answered", "Answered"
    REOPENED = "reopened", "Reopened: the requester sent new information"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn by the requester"


# Statuses in which the request still waits for the receiving agency.
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.REOPENED)
FINISHED_STATUSES = (Status.CLOSED, Status.WITHDRAWN)


class ResponseOutcome(models.TextChoices):
    SHARED = "shared", "The information will be shared"
    SHARED_IN_PART = "shared_in_part", "Some of the information will be shared"
    NOT_SHARED = "not_shared", "The information will not be shared"
    NOT_YET = "not_yet", "Not decided yet: consent or advice is being sought"


class InformationRequest(models.Model):
    # The agency asked, which answers the request.
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # The agency asking, when it asked through Sharewise; empty for a request recorded by
    # the receiving agency, whose requester is then named in `requester_agency_name`.
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField("how it arrived", max_length=20, choices=Channel.choices)
    requester_name = models.CharField(max_length=200)
    requester_role = models.CharField(max_length=200)
    requester_agency_name = models.CharField("requester's agency", max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Who the request is about, as the requester identified them: what the receiving agency
    # matches against its own records.
    subject_name = models.CharField(max_length=200)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_address = EncryptedTextField(blank=True)
    subject_nhs_number = models.CharField(max_length=10, blank=True)
    subject_upn = models.CharField(max_length=13, blank=True)

    # The request itself, as the ICO's request form asks for it. Encrypted: the requester's
    # words can hold special category data (health, allegations of crime).
    information_requested = EncryptedTextField("what is asked for")
    purpose = EncryptedTextField("the purpose of the request")
    necessity = EncryptedTextField("why the information is necessary")
    lawful_basis = models.CharField("the lawful basis relied on", max_length=500, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    due_on = models.DateField(null=True, blank=True)
    statutory = models.BooleanField(
        "a statutory request from a safeguarding partner (Children Act 2004 section 16H)",
        default=False,
    )
    safeguarding_partner = models.CharField(
        max_length=30, choices=SafeguardingPartner.choices, blank=True
    )
    received_at = models.DateTimeField()

    # The receiving agency's own record of the request: never shown to the requester.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The decision answering the request now. A decision that answered it before the
    # requester came back is kept on the response that reported it.
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField()
    closed_reason = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-received_at"]),
            models.Index(fields=["from_agency", "-received_at"]),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} from {self.requester_agency_name} ({self.status})"

    @property
    def through_sharewise(self) -> bool:
        return self.from_agency_id is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestResponse(models.Model):
    """What the requester was told: the outcome and the reasons, a decision not to share
    included (004 "Record": record the reasons and discuss them with the requester)."""

    info_request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="responses"
    )
    # The decision the response reports: the receiving agency's record, never shown to the
    # requester.
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=ResponseOutcome.choices)
    reasons = EncryptedTextField()
    told_via = models.CharField(max_length=20, choices=Channel.choices)
    told_at = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Response to request {self.info_request_id}: {self.outcome}"


class RequestReply(models.Model):
    """New information from the requester, which reopens an answered request."""

    info_request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="replies"
    )
    information = EncryptedTextField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "request replies"

    def __str__(self) -> str:
        return f"Reply to request {self.info_request_id}"
