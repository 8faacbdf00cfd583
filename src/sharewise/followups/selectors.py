"""Reads of follow-ups, reminders and meetings, always through the user's agencies: a
record of another agency does not exist for the user (003 3.15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, QuerySet

from sharewise.agencies.models import Agency
from sharewise.agencies.selectors import RECORDING_ROLES, agency_ids_for_user
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .models import (
    FollowUp,
    FollowUpContact,
    FollowUpStatus,
    Meeting,
    MeetingAction,
    MeetingContribution,
    Reminder,
)

# "Due soon" on the follow-ups page: within a week.
DUE_SOON_DAYS = 7


def followup_get_for_user(*, user: Any, followup_id: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related(
            "person", "agency", "owner", "decision", "meeting_action__meeting", "stopped_by"
        ).get(pk=followup_id, agency_id__in=agency_ids_for_user(user=user))
    except FollowUp.DoesNotExist:
        raise NotFound("There is no such follow-up in your agency's records") from None


def followups_for_user(
    *, user: Any, today: dt.date, overdue: bool | None = None, due_within: int | None = None
) -> QuerySet[FollowUp]:
    """The active follow-ups of the user's agencies, soonest due first, so that the overdue
    come first. `overdue` True keeps only those overdue, False only those not;
    `due_within` keeps those due within so many days of `today` (overdue included)."""
    followups = FollowUp.objects.filter(
        agency_id__in=agency_ids_for_user(user=user), status=FollowUpStatus.ACTIVE
    )
    if overdue is True:
        followups = followups.filter(next_due__lt=today)
    elif overdue is False:
        followups = followups.filter(next_due__gte=today)
    if due_within is not None:
        followups = followups.filter(next_due__lte=today + dt.timedelta(days=due_within))
    return followups.select_related("person", "owner").order_by("next_due", "id")


def followups_for_decision(*, user: Any, decision: Decision) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(decision=decision, agency_id__in=agency_ids_for_user(user=user))
        .select_related("owner")
        .order_by("-created_at", "-id")
    )


def followup_contacts(*, followup: FollowUp) -> QuerySet[FollowUpContact]:
    """The history of a follow-up the caller has already read through
    `followup_get_for_user`: every contact, newest first."""
    return followup.contacts.select_related("made_by")


def followups_overdue_count_for_owner(*, user: Any, today: dt.date) -> int:
    """How many of the follow-ups the user owns are overdue, for the banner."""
    return FollowUp.objects.filter(
        owner=user,
        agency_id__in=agency_ids_for_user(user=user),
        status=FollowUpStatus.ACTIVE,
        next_due__lt=today,
    ).count()


def reminders_for_owner(*, user: Any) -> QuerySet[Reminder]:
    """The user's reminders still to act on: those for the due date their follow-up is
    still waiting on (a contact recorded since moves the date, and answers the reminder)."""
    return (
        Reminder.objects.filter(
            owner=user,
            followup__agency_id__in=agency_ids_for_user(user=user),
            followup__status=FollowUpStatus.ACTIVE,
            followup__next_due=F("due_on"),
        )
        .select_related("followup__person")
        .order_by("due_on", "id")
    )


def owners_for_agency(*, agency_id: int) -> QuerySet[Any]:
    """The users who may own a follow-up in an agency: those who record in it."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(
            memberships__agency_id=agency_id, memberships__role__in=RECORDING_ROLES
        )
        .distinct()
        .order_by(user_model.USERNAME_FIELD)
    )


def owner_for_username(*, agency_id: int, username: str) -> Any:
    """The user named to own a follow-up, among those who may; any other name is a mistake
    in what was sent, not a missing record."""
    user_model = get_user_model()
    owner = (
        owners_for_agency(agency_id=agency_id)
        .filter(**{user_model.USERNAME_FIELD: username})
        .first()
    )
    if owner is None:
        raise ServiceError(
            "The owner must be a practitioner, safeguarding lead or manager of your agency",
            field="owner",
        )
    return owner


def agencies_all() -> QuerySet[Agency]:
    """The partnership's agencies, to name an attendee's: the directory is not personal
    data."""
    return Agency.objects.order_by("name")


# --- Meetings ------------------------------------------------------------------------


def meeting_get_for_user(*, user: Any, meeting_id: int) -> Meeting:
    try:
        return (
            Meeting.objects.select_related("agency", "created_by")
            .prefetch_related(
                "people",
                "attendees__agency",
                Prefetch(
                    "contributions",
                    queryset=MeetingContribution.objects.select_related(
                        "attendee__agency", "person"
                    ),
                ),
                Prefetch(
                    "actions",
                    queryset=MeetingAction.objects.select_related("person", "followup"),
                ),
            )
            .get(pk=meeting_id, agency_id__in=agency_ids_for_user(user=user))
        )
    except Meeting.DoesNotExist:
        raise NotFound("There is no such meeting in your agency's records") from None


def meetings_for_user(*, user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(agency_id__in=agency_ids_for_user(user=user))
        .prefetch_related("people")
        .order_by("-held_on", "-id")
    )


def meetings_for_person(*, user: Any, person: Person) -> QuerySet[Meeting]:
    # Without the other people discussed: the person page lists each meeting in one line,
    # in one query.
    return Meeting.objects.filter(
        people=person, agency_id__in=agency_ids_for_user(user=user)
    ).order_by("-held_on", "-id")


def meeting_action_get_for_user(
    *, user: Any, action_id: int, meeting_id: int | None = None
) -> MeetingAction:
    actions = MeetingAction.objects.select_related("meeting", "person").filter(
        meeting__agency_id__in=agency_ids_for_user(user=user)
    )
    if meeting_id is not None:
        actions = actions.filter(meeting_id=meeting_id)
    try:
        return actions.get(pk=action_id)
    except MeetingAction.DoesNotExist:
        raise NotFound("There is no such action in your agency's records") from None
