"""Writes of follow-ups and meetings: agree, record a contact, stop, remind; record a
meeting, who attended, what they shared and what was agreed.

One function per write, used alike by the web pages, the JSON API and the background
sweep (`tasks.py`). Each checks the user's agency and role and appends its audit entry in
the same transaction. Nothing is edited in place: a contact is a new row, stopping is a
change of state with its reason, and a reminder is made once per due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from sharewise.agencies.models import Agency, Membership
from sharewise.agencies.selectors import (
    RECORDING_ROLES,
    agency_ids_for_user,
    require_recording_role,
)
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .models import (
    FollowUp,
    FollowUpContact,
    FollowUpStatus,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingContribution,
    MeetingKind,
    Reminder,
)

# The longest gap between contacts a follow-up may have: a year. Monitoring that waits
# longer is not interim monitoring (003 case example 3).
MAX_INTERVAL_DAYS = 366
# How many days before a follow-up is due its owner is reminded.
REMIND_DAYS_BEFORE = 3


def _today() -> dt.date:
    return timezone.localdate()


def _require_agency(user: Any, agency_id: int, message: str) -> None:
    """A record of another agency does not exist for the user (3.15); a role that only
    reads may not add to it."""
    if agency_id not in agency_ids_for_user(user=user):
        raise NotFound(message)
    require_recording_role(user=user, agency_id=agency_id)


def agreed_on(*, decision: Decision | None, meeting_action: MeetingAction | None) -> dt.date:
    """The day a follow-up was agreed: the decision's (signed, else started) or the
    meeting's. "Fortnightly" counts from here."""
    if decision is not None:
        return timezone.localdate(decision.signed_at or decision.created_at)
    assert meeting_action is not None
    return meeting_action.meeting.held_on


def next_due_after(*, contacted_on: dt.date, interval_days: int | None) -> dt.date | None:
    """The next due date once a contact is made: the interval counted from the contact
    (two weeks after conferring, for "confer fortnightly"); None for a single date."""
    if interval_days is None:
        return None
    return contacted_on + dt.timedelta(days=interval_days)


@transaction.atomic
def followup_agree(
    *,
    user: Any,
    decision: Decision | None = None,
    meeting_action: MeetingAction | None = None,
    owner: Any | None = None,
    interval_days: int | None,
    first_due: dt.date | None = None,
    agencies_involved: Sequence[str] = (),
    trigger: str,
) -> FollowUp:
    """Record a follow-up arrangement agreed with a decision (or a meeting's action):
    "fully documented so that everyone is clear who is responsible for this interim
    monitoring" (003 case example 3)."""
    if (decision is None) == (meeting_action is None):
        raise ServiceError("A follow-up is agreed with one decision or one meeting action")
    if decision is not None:
        agency_id, person = decision.agency_id, decision.person
        _require_agency(user, agency_id, "There is no such decision in your agency's records")
    else:
        assert meeting_action is not None
        agency_id, person = meeting_action.meeting.agency_id, meeting_action.person
        _require_agency(user, agency_id, "There is no such meeting in your agency's records")
        if FollowUp.objects.filter(meeting_action=meeting_action).exists():
            raise ServiceError("This action is already being followed up", field="meeting_action")
    if interval_days is not None and not 1 <= interval_days <= MAX_INTERVAL_DAYS:
        raise ServiceError(
            f"How often must be between 1 and {MAX_INTERVAL_DAYS} days", field="interval_days"
        )
    start = agreed_on(decision=decision, meeting_action=meeting_action)
    if first_due is None:
        if interval_days is None:
            raise ServiceError(
                "Enter the date of the follow-up, or how often it happens", field="first_due"
            )
        first_due = start + dt.timedelta(days=interval_days)
    if first_due < start:
        raise ServiceError(
            f"The follow-up cannot be due before it was agreed, on {start.day} {start:%B %Y}",
            field="first_due",
        )
    if not trigger.strip():
        raise ServiceError(
            "Say what would trigger action, for example a referral to children's social care "
            "if the children's care does not improve",
            field="trigger",
        )
    owner = owner if owner is not None else user
    if not Membership.objects.filter(
        user=owner, agency_id=agency_id, role__in=RECORDING_ROLES
    ).exists():
        raise ServiceError(
            "The owner must be a practitioner, safeguarding lead or manager of your agency",
            field="owner",
        )
    followup = FollowUp.objects.create(
        agency_id=agency_id,
        person=person,
        decision=decision,
        meeting_action=meeting_action,
        owner=owner,
        agencies_involved=[a.strip() for a in agencies_involved if a.strip()],
        interval_days=interval_days,
        next_due=first_due,
        trigger=trigger.strip(),
        created_by=user,
    )
    audit_append(
        actor=user,
        verb="followup.agree",
        obj=followup,
        details={
            "decision": decision.pk if decision else None,
            "meeting_action": meeting_action.pk if meeting_action else None,
            "interval_days": interval_days,
            "next_due": first_due.isoformat(),
            "owner": owner.get_username(),
        },
    )
    return followup


def _locked_active(user: Any, followup: FollowUp) -> FollowUp:
    _require_agency(user, followup.agency_id, "There is no such follow-up in your agency's records")
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if locked.status != FollowUpStatus.ACTIVE:
        raise ServiceError(
            f"This follow-up is {locked.get_status_display().lower()}: nothing more can be "
            "recorded under it",
            field="status",
        )
    return locked


@transaction.atomic
def followup_record_contact(
    *,
    user: Any,
    followup: FollowUp,
    contacted_on: dt.date | None,
    findings: str,
    with_whom: str = "",
    trigger_met: bool = False,
    next_due: dt.date | None = None,
) -> FollowUpContact:
    """Record a contact made under a follow-up and advance its next due date: by the
    interval from the contact, or to the date the practitioners agreed. A follow-up on a
    single date is then complete."""
    locked = _locked_active(user, followup)
    today = _today()
    if contacted_on is None:
        raise ServiceError("Enter the date of the contact", field="contacted_on")
    if contacted_on > today:
        raise ServiceError("The date of the contact cannot be in the future", field="contacted_on")
    if not findings.strip():
        raise ServiceError("Say what was found", field="findings")
    # A contact entered late, after a later one, does not move the schedule back.
    latest = locked.contacts.aggregate(latest=Max("contacted_on"))["latest"]
    base = max(contacted_on, latest) if latest else contacted_on
    if next_due is not None:
        if next_due <= contacted_on:
            raise ServiceError("The next contact must be after this one", field="next_due")
        new_due: dt.date | None = next_due
    else:
        new_due = next_due_after(contacted_on=base, interval_days=locked.interval_days)
    contact = FollowUpContact.objects.create(
        followup=locked,
        contacted_on=contacted_on,
        made_by=user,
        with_whom=with_whom.strip(),
        findings=findings.strip(),
        trigger_met=trigger_met,
        was_due=locked.next_due,
        next_due=new_due,
    )
    locked.next_due = new_due
    if new_due is None:
        locked.status = FollowUpStatus.COMPLETED
    locked.save(update_fields=["next_due", "status"])
    audit_append(
        actor=user,
        verb="followup.contact",
        obj=contact,
        target=locked.person,
        details={
            "followup": locked.pk,
            "contacted_on": contacted_on.isoformat(),
            "trigger_met": trigger_met,
            "next_due": new_due.isoformat() if new_due else None,
        },
    )
    followup.refresh_from_db()
    return contact


@transaction.atomic
def followup_stop(*, user: Any, followup: FollowUp, reason: str) -> FollowUp:
    """Stop a follow-up, with the reason; it and its history are kept."""
    locked = _locked_active(user, followup)
    if not reason.strip():
        raise ServiceError("Say why the follow-up is stopping", field="reason")
    locked.status = FollowUpStatus.STOPPED
    locked.stopped_reason = reason.strip()
    locked.stopped_by = user
    locked.stopped_at = timezone.now()
    locked.next_due = None
    locked.save(update_fields=["status", "stopped_reason", "stopped_by", "stopped_at", "next_due"])
    audit_append(actor=user, verb="followup.stop", obj=locked)
    return locked


@transaction.atomic
def followups_remind_due(*, today: dt.date) -> int:
    """The reminders sweep: a reminder for every active follow-up due within
    REMIND_DAYS_BEFORE days of `today` or overdue, one per follow-up per due date, so it
    may run any number of times a day. Returns how many reminders it made.

    No e-mail is sent; the reminder shows to the owner in the app, and keeps the address
    an e-mail would have gone to."""
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    due = (
        FollowUp.objects.filter(status=FollowUpStatus.ACTIVE, next_due__lte=horizon)
        .filter(
            ~Exists(Reminder.objects.filter(followup=OuterRef("pk"), due_on=OuterRef("next_due")))
        )
        .select_related("owner", "person")
        .order_by("next_due", "id")
    )
    made = 0
    for followup in due:
        assert followup.next_due is not None
        # get_or_create, with the unique constraint behind it, keeps a sweep that runs at
        # the same moment on another worker from making a second reminder.
        reminder, created = Reminder.objects.get_or_create(
            followup=followup,
            due_on=followup.next_due,
            defaults={"owner": followup.owner, "email_to": followup.owner.email or ""},
        )
        if not created:
            continue
        made += 1
        audit_append(
            actor=None,
            verb="followup.remind",
            obj=reminder,
            target=followup.person,
            details={
                "followup": followup.pk,
                "due_on": reminder.due_on.isoformat(),
                "owner": followup.owner.get_username(),
                "email": "not sent: reminders show in the app",
            },
        )
    return made


# --- Meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeEntry:
    name: str
    role: str
    agency: Agency | None = None
    agency_name: str = ""


@dataclass(frozen=True)
class ContributionEntry:
    # The attendee who shared it, by their place in the meeting's list of attendees.
    attendee: int
    text: str
    kind: str
    person: Person | None = None


@dataclass(frozen=True)
class ActionEntry:
    person: Person
    action: str
    owner_name: str
    due_on: dt.date | None = None


def _attendee_add(user: Any, meeting: Meeting, entry: AttendeeEntry, field: str) -> MeetingAttendee:
    if not entry.name.strip():
        raise ServiceError("Enter the attendee's name", field=f"{field}name")
    if not entry.role.strip():
        raise ServiceError("Enter the attendee's role", field=f"{field}role")
    if entry.agency is None and not entry.agency_name.strip():
        raise ServiceError("Say which agency the attendee is from", field=f"{field}agency")
    return MeetingAttendee.objects.create(
        meeting=meeting,
        name=entry.name.strip(),
        role=entry.role.strip(),
        agency=entry.agency,
        agency_name="" if entry.agency is not None else entry.agency_name.strip(),
    )


def _discussed(meeting: Meeting, person: Person | None, field: str) -> None:
    if person is not None and not meeting.people.filter(pk=person.pk).exists():
        raise ServiceError(
            "Choose one of the people discussed at the meeting", field=f"{field}person"
        )


def _contribution_add(
    user: Any, meeting: Meeting, attendee: MeetingAttendee, entry: ContributionEntry, field: str
) -> MeetingContribution:
    if attendee.meeting_id != meeting.pk:
        raise ServiceError("Choose one of the meeting's attendees", field=f"{field}attendee")
    if not entry.text.strip():
        raise ServiceError("Enter what was shared", field=f"{field}text")
    if entry.kind not in ItemKind.values:
        raise ServiceError("Say whether it is fact or opinion", field=f"{field}kind")
    _discussed(meeting, entry.person, field)
    return MeetingContribution.objects.create(
        meeting=meeting,
        attendee=attendee,
        person=entry.person,
        text=entry.text.strip(),
        kind=entry.kind,
        recorded_by=user,
    )


def _action_agree(user: Any, meeting: Meeting, entry: ActionEntry, field: str) -> MeetingAction:
    if not entry.action.strip():
        raise ServiceError("Enter the action agreed", field=f"{field}action")
    if not entry.owner_name.strip():
        raise ServiceError("Say who will take the action", field=f"{field}owner_name")
    _discussed(meeting, entry.person, field)
    if entry.due_on is not None and entry.due_on < meeting.held_on:
        raise ServiceError(
            "An action cannot be due before the meeting was held", field=f"{field}due_on"
        )
    return MeetingAction.objects.create(
        meeting=meeting,
        person=entry.person,
        action=entry.action.strip(),
        owner_name=entry.owner_name.strip(),
        due_on=entry.due_on,
        recorded_by=user,
    )


@transaction.atomic
def meeting_record(
    *,
    user: Any,
    kind: str,
    held_on: dt.date | None,
    chair: str,
    people: Sequence[Person],
    attendees: Sequence[AttendeeEntry] = (),
    contributions: Sequence[ContributionEntry] = (),
    actions: Sequence[ActionEntry] = (),
) -> Meeting:
    """Record a multi-agency meeting about people in the recording agency's records, with
    (optionally) its attendees, what they shared and the actions agreed. The record is the
    recording agency's (003 3.15): the other agencies present keep their own."""
    if not people:
        raise ServiceError("Choose who was discussed", field="people")
    agency_id = people[0].agency_id
    _require_agency(user, agency_id, "There is no such person in your agency's records")
    if any(p.agency_id != agency_id for p in people):
        raise ServiceError(
            "Everyone discussed must be in the records of the same agency", field="people"
        )
    if kind not in MeetingKind.values:
        raise ServiceError("Choose the kind of meeting", field="kind")
    if held_on is None:
        raise ServiceError("Enter the date of the meeting", field="held_on")
    if held_on > _today():
        raise ServiceError("The date of the meeting cannot be in the future", field="held_on")
    if not chair.strip():
        raise ServiceError("Enter who chaired the meeting", field="chair")
    meeting = Meeting.objects.create(
        agency_id=agency_id, kind=kind, held_on=held_on, chair=chair.strip(), created_by=user
    )
    meeting.people.set(people)
    made = [
        _attendee_add(user, meeting, entry, f"attendees.{i}.") for i, entry in enumerate(attendees)
    ]
    for i, item in enumerate(contributions):
        if not 0 <= item.attendee < len(made):
            raise ServiceError(
                "Name the attendee by their place in the list of attendees",
                field=f"contributions.{i}.attendee",
            )
        _contribution_add(user, meeting, made[item.attendee], item, f"contributions.{i}.")
    for i, action in enumerate(actions):
        _action_agree(user, meeting, action, f"actions.{i}.")
    audit_append(
        actor=user,
        verb="meeting.record",
        obj=meeting,
        agency=meeting.agency,
        details={
            "kind": kind,
            "people": [p.pk for p in people],
            "attendees": len(made),
            "contributions": len(contributions),
            "actions": len(actions),
        },
    )
    return meeting


@transaction.atomic
def meeting_attendee_add(
    *, user: Any, meeting: Meeting, attendee: AttendeeEntry
) -> MeetingAttendee:
    _require_agency(user, meeting.agency_id, "There is no such meeting in your agency's records")
    made = _attendee_add(user, meeting, attendee, "")
    audit_append(actor=user, verb="meeting.attendee_add", obj=made, agency=meeting.agency)
    return made


@transaction.atomic
def meeting_contribution_add(
    *, user: Any, meeting: Meeting, attendee: MeetingAttendee, contribution: ContributionEntry
) -> MeetingContribution:
    _require_agency(user, meeting.agency_id, "There is no such meeting in your agency's records")
    made = _contribution_add(user, meeting, attendee, contribution, "")
    audit_append(
        actor=user,
        verb="meeting.contribution_add",
        obj=made,
        agency=meeting.agency,
        details={"meeting": meeting.pk, "kind": made.kind},
    )
    return made


@transaction.atomic
def meeting_action_agree(*, user: Any, meeting: Meeting, action: ActionEntry) -> MeetingAction:
    _require_agency(user, meeting.agency_id, "There is no such meeting in your agency's records")
    made = _action_agree(user, meeting, action, "")
    audit_append(actor=user, verb="meeting.action_agree", obj=made, details={"meeting": meeting.pk})
    return made
