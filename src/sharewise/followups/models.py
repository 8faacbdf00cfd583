"""Follow-up arrangements agreed with a decision, their reminders, and multi-agency
meetings (DESIGN.md capability 9).

003 case example 3: the health visitor decides not to override the mother's refusal of
consent, and "the health visitor and the school staff agree to monitor the situation and
confer fortnightly in the first instance, with a view to taking early action ... This
arrangement is fully documented so that everyone is clear who is responsible for this
interim monitoring." A `FollowUp` is that arrangement: who owns it, which agencies are
involved, how often, when it is next due and what would trigger action. Each contact made
under it is a row of its own (`FollowUpContact`), so the history is the rows; stopping it
is a state change with its reason, never a deletion.

A `Meeting` is a multi-agency meeting (strategy discussion, MARAC, joint action group,
child protection conference, professionals meeting: 003 3.40, case example 5). It belongs
to the agency that records it and, like every record about a person, is confidential to
that agency (003 3.15): the other agencies at the table keep their own record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sharewise.agencies.models import Agency
from sharewise.crypto.fields import EncryptedTextField
from sharewise.decisions.models import Decision
from sharewise.people.models import Person


class FollowUpStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    # A follow-up on a single date is complete once its one contact is recorded.
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class FollowUp(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="followups")
    # What the arrangement was agreed with: a decision, or an action agreed at a meeting.
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="followups"
    )
    meeting_action = models.OneToOneField(
        "MeetingAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The agencies that take part ("the health visitor and the school staff"), by name:
    # they need not use Sharewise.
    agencies_involved = models.JSONField(default=list, blank=True)
    # Every so many days ("fortnightly" is 14), or None for a single date.
    interval_days = models.PositiveIntegerField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True)
    # "with a view to taking early action ... if the children's care does not improve":
    # in the practitioner's words, which may hold special category data.
    trigger = EncryptedTextField("what would trigger action", blank=True)
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.ACTIVE
    )
    stopped_reason = EncryptedTextField(blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "next_due"]),
            models.Index(fields=["owner", "status", "next_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(meeting_action__isnull=False),
                name="followup_agreed_with_decision_or_meeting_action",
            ),
            models.CheckConstraint(
                condition=Q(status="active", next_due__isnull=False) | ~Q(status="active"),
                name="followup_active_has_next_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up {self.pk} about {self.person_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == FollowUpStatus.ACTIVE

    @property
    def how_often(self) -> str:
        if self.interval_days is None:
            return "Once"
        if self.interval_days == 14:
            return "Every 14 days (fortnightly)"
        if self.interval_days == 7:
            return "Every 7 days (weekly)"
        return f"Every {self.interval_days} days"


class FollowUpContact(models.Model):
    """One contact made under a follow-up: who, when, with whom and what was found."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="contacts")
    contacted_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    with_whom = models.CharField(max_length=300, blank=True)
    findings = EncryptedTextField("what was found")
    # Whether what was found met the trigger for action agreed with the follow-up.
    trigger_met = models.BooleanField(default=False)
    # The due date this contact answered, and the one it set.
    was_due = models.DateField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"Contact on {self.contacted_on} under follow-up {self.followup_id}"


class Reminder(models.Model):
    """A reminder to the owner that a follow-up is due, made by the daily sweep: one per
    follow-up per due date, however often the sweep runs."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="reminders")
    due_on = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Sharewise sends no e-mail: the address a reminder would go to is kept, so that the
    # record shows who was to be told, and the owner sees the reminder in the app.
    email_to = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "due_on"], name="reminder_once_per_followup_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder: follow-up {self.followup_id} due {self.due_on}"


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    MARAC = "marac", "MARAC (multi-agency risk assessment conference)"
    JOINT_ACTION_GROUP = "joint_action_group", "Joint action group"
    CHILD_PROTECTION_CONFERENCE = "child_protection_conference", "Child protection conference"
    PROFESSIONALS_MEETING = "professionals_meeting", "Professionals meeting"


class Meeting(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=MeetingKind.choices)
    held_on = models.DateField()
    chair = models.CharField(max_length=200)
    # The people discussed: records of the recording agency.
    people = models.ManyToManyField(Person, related_name="meetings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["agency", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    # A Sharewise agency, or the name of one that does not use Sharewise.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}, {self.agency_label}"

    @property
    def agency_label(self) -> str:
        return self.agency.name if self.agency is not None else self.agency_name


class ItemKind(models.TextChoices):
    # "Distinguish clearly between fact and opinion" (003 3.49; 004 "Accurate").
    FACT = "fact", "Fact"
    OPINION = "opinion", "Opinion"


class MeetingContribution(models.Model):
    """What one attendee shared at the meeting, about one of the people discussed or about
    them all."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="contributions")
    attendee = models.ForeignKey(
        MeetingAttendee, on_delete=models.PROTECT, related_name="contributions"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} shared at meeting {self.meeting_id}"


class MeetingAction(models.Model):
    """A decision or action agreed at the meeting, about one of the people discussed: who
    will do what by when ("who will be responsible for ensuring that action is taken and
    outcomes properly recorded", 003 case example 5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    action = EncryptedTextField()
    owner_name = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Action {self.pk} of meeting {self.meeting_id}"
