"""Follow-ups and multi-agency meetings over the API.

Each handler calls the service the web pages call (`sharewise.followups.services`), which
checks the user's agency and role: a follow-up or meeting of another agency is "not
found" (003 3.15), and a role that may only read (an auditor) is refused with 403.
"""

# No `from __future__ import annotations`: ninja reads the query parameters' types at run
# time, from this module.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, P, QueryEx, Router, Schema, Status

from sharewise.agencies.models import Agency
from sharewise.audit.services import audit_append
from sharewise.common import ServiceError
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.followups import selectors, services
from sharewise.followups.models import FollowUp, Meeting
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import API_AGENCY_DECIDE, API_AGENCY_READ, API_ANY_TOKEN, access

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import StrictInput
from .shared import MAX_LIST_LIMIT, READ_ERRORS, WRITE_ERRORS, ListLimit, ListOffset

router = Router(tags=["Follow-ups and meetings"])


def _paged(what: str) -> str:
    return (
        "Paginated with `limit` and `offset`, as `/people` is; `count` is how many there are "
        f"in all. The answer was a bare list of at most {MAX_LIST_LIMIT} before: the {what} "
        "are now under `items`."
    )


# --- Follow-ups -----------------------------------------------------------------------


class FollowUpCreateIn(StrictInput):
    decision_id: int | None = Field(None, description="The decision it is agreed with")
    meeting_action_id: int | None = Field(
        None, description="Or the meeting action it follows up (give one of the two)"
    )
    owner: str | None = Field(
        None, description="Username of the owner, in the agency; default the token's user"
    )
    interval_days: int | None = Field(
        description="Every so many days (14 for fortnightly), or null for a single date"
    )
    first_due: dt.date | None = Field(
        None,
        strict=False,
        description="The first due date; default the interval after the decision's date",
    )
    agencies_involved: list[str] = Field(default_factory=list)
    trigger: str = Field(description="What would trigger action")


class ContactIn(StrictInput):
    contacted_on: dt.date = Field(strict=False)
    findings: str = Field(description="What was found")
    with_whom: str = ""
    trigger_met: bool = False
    next_due: dt.date | None = Field(
        None, strict=False, description="Default: the interval counted from this contact"
    )


class StopIn(StrictInput):
    reason: str


class ContactOut(Schema):
    id: int
    contacted_on: dt.date
    made_by: str
    with_whom: str
    findings: str
    trigger_met: bool
    was_due: dt.date | None
    next_due: dt.date | None

    @staticmethod
    def resolve_made_by(obj: Any) -> str:
        return str(obj.made_by.get_username())


class FollowUpOut(Schema):
    id: int
    person_id: int
    decision_id: int | None
    meeting_action_id: int | None
    owner: str
    agencies_involved: list[str]
    interval_days: int | None
    next_due: dt.date | None
    overdue: bool
    trigger: str
    status: str = Field(description="active, completed (a single date done) or stopped")
    stopped_reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_owner(obj: FollowUp) -> str:
        return str(obj.owner.get_username())

    @staticmethod
    def resolve_overdue(obj: FollowUp) -> bool:
        return bool(obj.is_active and obj.next_due and obj.next_due < timezone.localdate())


class PagedFollowUpOut(Schema):
    items: list[FollowUpOut]
    count: int = Field(description="How many follow-ups match, on every page")


class FollowUpDetailOut(FollowUpOut):
    contacts: list[ContactOut] = Field(description="Every contact made, newest first")

    @staticmethod
    def resolve_contacts(obj: FollowUp) -> list[Any]:
        return list(selectors.followup_contacts(followup=obj))


@router.post(
    "/followups",
    response={201: FollowUpDetailOut, **WRITE_ERRORS},
    summary="Agree a follow-up with a decision or a meeting's action",
    description=(
        "Who owns it, how often (`interval_days`, 14 for 'confer fortnightly', 003 case "
        "example 3) or a single `first_due` date, the agencies involved and what would "
        "trigger action."
    ),
)
@access(API_AGENCY_DECIDE)
def followup_create(request: HttpRequest, payload: FollowUpCreateIn) -> Any:
    user = token_user(request)
    decision = meeting_action = None
    if payload.decision_id is not None and payload.meeting_action_id is not None:
        # A follow-up belongs to one of the two; taking the decision and dropping the
        # action would leave the action looking unfollowed while this one ran.
        raise ServiceError(
            "Give the decision_id or the meeting_action_id, not both: a follow-up is agreed "
            "with one decision or one meeting action",
            field="meeting_action_id",
        )
    if payload.decision_id is not None:
        decision = _named(
            "decision_id",
            lambda: decision_get_for_user(user=user, decision_id=payload.decision_id or 0),
        )
        agency_id = decision.agency_id
    elif payload.meeting_action_id is not None:
        meeting_action = _named(
            "meeting_action_id",
            lambda: selectors.meeting_action_get_for_user(
                user=user, action_id=payload.meeting_action_id or 0
            ),
        )
        agency_id = meeting_action.meeting.agency_id
    else:
        raise ServiceError("Give the decision_id or the meeting_action_id", field="decision_id")
    owner = (
        selectors.owner_for_username(agency_id=agency_id, username=payload.owner)
        if payload.owner
        else None
    )
    followup = services.followup_agree(
        user=user,
        decision=decision,
        meeting_action=meeting_action,
        owner=owner,
        interval_days=payload.interval_days,
        first_due=payload.first_due,
        agencies_involved=payload.agencies_involved,
        trigger=payload.trigger,
    )
    return Status(201, followup)


def _named(field: str, read: Any) -> Any:
    """Read a record named in the body; not found is 404 naming the field."""
    try:
        return read()
    except ServiceError as exc:
        exc.field = field
        raise


# Ten years: further ahead than any follow-up is agreed.
MAX_DUE_WITHIN_DAYS = 3660


@router.get(
    "/followups",
    response={200: PagedFollowUpOut, 401: ErrorOut, 422: ErrorOut},
    summary="Your agencies' active follow-ups, soonest due first",
    description=(
        "The overdue come first. `overdue=true` lists only those overdue, `overdue=false` "
        "only those not; `due_within` (days) those due by then. " + _paged("follow-ups")
    ),
)
@access(API_ANY_TOKEN)
def followup_list(
    request: HttpRequest,
    overdue: bool | None = None,
    # Bounded so that no number can reach past the calendar (a date overflow is a 500).
    due_within: QueryEx[
        int | None, P(ge=0, le=MAX_DUE_WITHIN_DAYS, description="Days from today")
    ] = None,
    limit: ListLimit = 50,
    offset: ListOffset = 0,
) -> Any:
    user = token_user(request)
    matching = selectors.followups_for_user(
        user=user, today=timezone.localdate(), overdue=overdue, due_within=due_within
    )
    followups = list(matching[offset : offset + limit])
    count = matching.count()
    audit_append(
        actor=user,
        verb="api.read",
        request=request,
        details={"followups": len(followups), "count": count},
    )
    return {"items": followups, "count": count}


@router.get(
    "/followups/{followup_id}",
    response={200: FollowUpDetailOut, **READ_ERRORS},
    summary="One follow-up, with its history of contacts",
)
@access(API_AGENCY_READ)
def followup_detail(request: HttpRequest, followup_id: int) -> Any:
    user = token_user(request)
    followup = selectors.followup_get_for_user(user=user, followup_id=followup_id)
    audit_append(actor=user, verb="api.read", obj=followup, request=request)
    return followup


@router.post(
    "/followups/{followup_id}/contacts",
    response={201: FollowUpDetailOut, **WRITE_ERRORS},
    summary="Record a contact made under a follow-up",
    description=(
        "Advances `next_due` by the interval from the contact (or to `next_due` if given); "
        "a single-date follow-up is then completed. A stopped follow-up takes no more "
        "contacts (400 naming `status`)."
    ),
)
@access(API_AGENCY_DECIDE)
def followup_contact(request: HttpRequest, followup_id: int, payload: ContactIn) -> Any:
    user = token_user(request)
    followup = selectors.followup_get_for_user(user=user, followup_id=followup_id)
    services.followup_record_contact(
        user=user,
        followup=followup,
        contacted_on=payload.contacted_on,
        findings=payload.findings,
        with_whom=payload.with_whom,
        trigger_met=payload.trigger_met,
        next_due=payload.next_due,
    )
    return Status(201, followup)


@router.post(
    "/followups/{followup_id}/stop",
    response={200: FollowUpDetailOut, **WRITE_ERRORS},
    summary="Stop a follow-up, with the reason; it and its history are kept",
)
@access(API_AGENCY_DECIDE)
def followup_stop(request: HttpRequest, followup_id: int, payload: StopIn) -> Any:
    user = token_user(request)
    followup = selectors.followup_get_for_user(user=user, followup_id=followup_id)
    return services.followup_stop(user=user, followup=followup, reason=payload.reason)


# --- Meetings -------------------------------------------------------------------------


class AttendeeIn(StrictInput):
    name: str
    role: str
    agency_id: int | None = Field(None, description="A Sharewise agency")
    agency_name: str = Field("", description="Or the name of an agency not in Sharewise")


class ContributionIn(StrictInput):
    attendee: int = Field(description="Who shared it: their place in `attendees`, from 0")
    text: str
    kind: str = Field(description="fact or opinion (003 3.49)")
    person_id: int | None = Field(None, description="Who it is about, one of `person_ids`")


class ActionIn(StrictInput):
    person_id: int = Field(description="Who it is about, one of `person_ids`")
    action: str
    owner_name: str = Field(description="Who will take it (any agency)")
    due_on: dt.date | None = Field(None, strict=False)


class MeetingIn(StrictInput):
    kind: str = Field(
        description="strategy_discussion, marac, joint_action_group, "
        "child_protection_conference or professionals_meeting"
    )
    held_on: dt.date = Field(strict=False)
    chair: str
    person_ids: list[int] = Field(description="The people discussed, in your agency's records")
    attendees: list[AttendeeIn] = Field(default_factory=list)
    contributions: list[ContributionIn] = Field(default_factory=list)
    actions: list[ActionIn] = Field(default_factory=list)


class PersonRefOut(Schema):
    id: int
    full_name: str


class AttendeeOut(Schema):
    id: int
    name: str
    role: str
    agency_id: int | None
    agency: str

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return str(obj.agency_label)


class ContributionOut(Schema):
    id: int
    attendee_id: int
    person_id: int | None
    text: str
    kind: str


class ActionOut(Schema):
    id: int
    person_id: int
    action: str
    owner_name: str
    due_on: dt.date | None
    followup_id: int | None

    @staticmethod
    def resolve_followup_id(obj: Any) -> int | None:
        followup = getattr(obj, "followup", None)
        return followup.pk if followup is not None else None


class MeetingSummaryOut(Schema):
    id: int
    agency_id: int
    kind: str
    held_on: dt.date
    chair: str
    people: list[PersonRefOut]

    @staticmethod
    def resolve_people(obj: Meeting) -> list[Person]:
        return list(obj.people.all())


class PagedMeetingSummaryOut(Schema):
    items: list[MeetingSummaryOut]
    count: int = Field(description="How many meetings match, on every page")


class MeetingOut(MeetingSummaryOut):
    attendees: list[AttendeeOut]
    contributions: list[ContributionOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_attendees(obj: Meeting) -> list[Any]:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_contributions(obj: Meeting) -> list[Any]:
        return list(obj.contributions.all())

    @staticmethod
    def resolve_actions(obj: Meeting) -> list[Any]:
        return list(obj.actions.all())


def _discussed_one(people: dict[int, Person], person_id: int, field: str) -> Person:
    if person_id not in people:
        raise ServiceError("Name one of the people in person_ids", field=field)
    return people[person_id]


def _discussed(people: dict[int, Person], person_id: int | None, field: str) -> Person | None:
    return None if person_id is None else _discussed_one(people, person_id, field)


@router.post(
    "/meetings",
    response={201: MeetingOut, **WRITE_ERRORS},
    summary="Record a multi-agency meeting",
    description=(
        "The people discussed (in your agency's records), who attended, what each shared "
        "(fact or opinion) and the actions agreed, each about one of the people discussed. "
        "The record is your agency's: the other agencies present do not see it (003 3.15)."
    ),
)
@access(API_AGENCY_DECIDE)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    user = token_user(request)
    people: dict[int, Person] = {}
    for person_id in payload.person_ids:
        try:
            people[person_id] = person_get_for_user(user=user, person_id=person_id)
        except ServiceError as exc:
            exc.field = "person_ids"
            raise
    attendees = []
    for i, attendee in enumerate(payload.attendees):
        agency = None
        if attendee.agency_id is not None:
            agency = Agency.objects.filter(pk=attendee.agency_id).first()
            if agency is None:
                raise ServiceError("There is no such agency", field=f"attendees.{i}.agency_id")
        attendees.append(
            services.AttendeeEntry(
                name=attendee.name,
                role=attendee.role,
                agency=agency,
                agency_name=attendee.agency_name,
            )
        )
    meeting = services.meeting_record(
        user=user,
        kind=payload.kind,
        held_on=payload.held_on,
        chair=payload.chair,
        people=list(people.values()),
        attendees=attendees,
        contributions=[
            services.ContributionEntry(
                attendee=item.attendee,
                text=item.text,
                kind=item.kind,
                person=_discussed(people, item.person_id, f"contributions.{i}.person_id"),
            )
            for i, item in enumerate(payload.contributions)
        ],
        actions=[
            services.ActionEntry(
                person=_discussed_one(people, item.person_id, f"actions.{i}.person_id"),
                action=item.action,
                owner_name=item.owner_name,
                due_on=item.due_on,
            )
            for i, item in enumerate(payload.actions)
        ],
    )
    return Status(201, selectors.meeting_get_for_user(user=user, meeting_id=meeting.pk))


@router.get(
    "/meetings",
    response={200: PagedMeetingSummaryOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Your agencies' meetings, newest first",
    description="`person_id` lists those that discussed one person. " + _paged("meetings"),
)
@access(API_ANY_TOKEN)
def meeting_list(
    request: HttpRequest,
    person_id: int | None = None,
    limit: ListLimit = 50,
    offset: ListOffset = 0,
) -> Any:
    user = token_user(request)
    if person_id is not None:
        person = person_get_for_user(user=user, person_id=person_id)
        matching = selectors.meetings_for_person(user=user, person=person).prefetch_related(
            "people"
        )
    else:
        matching = selectors.meetings_for_user(user=user)
    meetings = list(matching[offset : offset + limit])
    count = matching.count()
    audit_append(
        actor=user,
        verb="api.read",
        request=request,
        details={"meetings": len(meetings), "count": count},
    )
    return {"items": meetings, "count": count}


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **READ_ERRORS},
    summary="One meeting: attendees, what they shared, the actions agreed",
)
@access(API_AGENCY_READ)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Any:
    user = token_user(request)
    meeting = selectors.meeting_get_for_user(user=user, meeting_id=meeting_id)
    audit_append(actor=user, verb="api.read", obj=meeting, agency=meeting.agency, request=request)
    return meeting
