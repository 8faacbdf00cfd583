"""Retention over the API: the schedules, the review queue, one person's records with when
each falls due, keeping records for another period or disposing of them, and placing and
releasing legal holds.

"The information should not be kept any longer than is necessary ... there should be a
review process scheduled at regular intervals" (004 "Record"). Each handler calls the
selector or service the web pages call (`sharewise.retention`), which checks the token
user's agency and role: only a manager or safeguarding lead of the person's agency decides
about retention, another agency's person is "not found" (003 3.15), and nothing is
disposed of without a person authorising it (ADR 15). A read that names people is audited
as on the pages; every write is audited by its service.
"""

# No `from __future__ import annotations`: ninja reads the parameters' types at run time,
# from this module.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, P, QueryEx, Router, Schema, Status

from sharewise.audit.services import audit_append
from sharewise.common import ServiceError
from sharewise.people.models import Person
from sharewise.retention import selectors, services
from sharewise.retention.models import LegalHold, RecordKind, RetentionSchedule, ReviewStatus
from sharewise.retention.records import RecordState
from sharewise.web.access import (
    API_PARTNERSHIP_ADMIN,
    API_RETENTION_DECIDE,
    API_RETENTION_REVIEW,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import StrictInput
from . import shared

router = Router(tags=["Retention"])

# Retention's reads are for leads and auditors: a role that may not is refused (403).
READ_ERRORS: dict[int, Any] = {403: ErrorOut, **shared.READ_ERRORS}
WRITE_ERRORS: dict[int, Any] = {**shared.WRITE_ERRORS, **READ_ERRORS}
MAX_QUEUE_LIMIT = 200
KINDS = ", ".join(RecordKind.values)


class ScheduleOut(Schema):
    id: int
    kind: str = Field(description=f"The kind of record: {KINDS}")
    kind_label: str
    basis: str = Field(
        description="What the period counts from: date_of_birth, record_date or last_activity"
    )
    years: int
    action: str = Field(
        description="What happens when the period ends: review, or dispose (which a person "
        "still authorises in the review queue)"
    )
    rule: str = Field(description="The schedule in words, as the tombstone gives it")
    updated_at: dt.datetime

    @staticmethod
    def resolve_kind_label(schedule: RetentionSchedule) -> str:
        return str(schedule.get_kind_display())


class QueueItemOut(Schema):
    """One person's records of one kind waiting for a decision."""

    person_id: int
    person_name: str
    agency_id: int
    kind: str
    kind_label: str
    records: int = Field(description="How many of the person's records of this kind are due")
    object_ids: list[int] = Field(description="The records' ids in their own tables")
    due_on: dt.date = Field(description="The earliest date one of them fell due")
    schedule: ScheduleOut


class QueueOut(Schema):
    count: int = Field(description="How many groups are waiting in all")
    items: list[QueueItemOut]


class RecordOut(Schema):
    kind: str
    kind_label: str
    object_id: int
    rule: str
    due_on: dt.date
    no_date_of_birth: bool = Field(
        description="True when the schedule counts from a date of birth that is not known, "
        "so the record's date stands in for it"
    )
    status: str = Field(description="not_due, due, kept, on_legal_hold or disposed")
    kept_until: dt.date | None


class HoldOut(Schema):
    id: int
    person_id: int
    kind: str | None = Field(description="The record's kind; null for a hold on the person")
    object_id: int | None
    reason: str
    placed_by: str
    placed_at: dt.datetime
    in_force: bool
    released_by: str | None
    released_at: dt.datetime | None
    release_reason: str

    @staticmethod
    def resolve_kind(hold: LegalHold) -> str | None:
        return hold.kind or None

    @staticmethod
    def resolve_placed_by(hold: LegalHold) -> str:
        return str(hold.placed_by.get_username())

    @staticmethod
    def resolve_released_by(hold: LegalHold) -> str | None:
        return str(hold.released_by.get_username()) if hold.released_by else None


class PersonRetentionOut(Schema):
    person_id: int
    person_name: str
    held: bool = Field(description="The person and all their records are on legal hold")
    records: list[RecordOut]
    holds: list[HoldOut]


class HoldIn(StrictInput):
    reason: str = Field(
        "",
        description="Why the records must be kept: the litigation, "
        "inquiry or review that needs them",
    )
    kind: str | None = Field(
        None,
        description=f"To hold one record: its kind ({KINDS}); leave out to hold the "
        "person and all their records",
    )
    object_id: int | None = Field(None, description="To hold one record: its id")


class ReleaseIn(StrictInput):
    reason: str = Field("", description="Why the hold is released")


class KeepIn(StrictInput):
    years: int | None = Field(
        None, description=f"How many years to keep the records, 1 to {services.MAX_KEEP_YEARS}"
    )
    reason: str = Field("", description="Why the records are kept for longer")


class KeptOut(Schema):
    person_id: int
    kind: str
    records: int
    kept_until: dt.date = Field(description="When the records fall due for review again")
    review_ids: list[int]


class DisposeIn(StrictInput):
    confirm: bool = Field(
        False,
        description="true: the records are to be disposed of (their personal data "
        "is erased and cannot be recovered)",
    )


class DisposedOut(Schema):
    person_id: int
    kind: str
    records: int
    review_ids: list[int]
    rows_erased: dict[str, int] = Field(description="How many rows of each table were erased")
    person_erased: bool = Field(
        description="True when none of the person's records was left, so their own "
        "identifying details were erased too"
    )


def _record_status(state: RecordState, today: dt.date) -> str:
    # In the order the person page gives them.
    if state.disposed:
        return "disposed"
    if state.held:
        return "on_legal_hold"
    if state.review is not None and state.review.status == ReviewStatus.KEPT:
        return "kept"
    if state.is_due(today) and state.review is not None:
        return "due"
    return "not_due"


def _record_out(state: RecordState, today: dt.date) -> dict[str, Any]:
    review = state.review
    return {
        "kind": state.ref.kind,
        "kind_label": RecordKind(state.ref.kind).label,
        "object_id": state.ref.object_id,
        "rule": state.schedule.rule,
        "due_on": state.due_on,
        "no_date_of_birth": state.no_date_of_birth,
        "status": _record_status(state, today),
        "kept_until": review.kept_until if review and review.status == ReviewStatus.KEPT else None,
    }


def _person(request: HttpRequest, person_id: int) -> Person:
    return selectors.person_for_reviewer(user=token_user(request), person_id=person_id)


@router.get(
    "/retention/schedules",
    response={200: list[ScheduleOut], **READ_ERRORS},
    summary="The retention schedules (partnership administrators)",
    description="How long each kind of record is kept, and what happens then. The "
    "default for child protection records is the date of birth plus 25 years, then review.",
)
@access(API_PARTNERSHIP_ADMIN)
def retention_schedule_list(request: HttpRequest) -> Any:
    return selectors.schedules_list_for_user(user=token_user(request))


@router.get(
    "/retention/queue",
    response={200: QueueOut, **READ_ERRORS},
    summary="Records due for retention review (managers and safeguarding leads)",
    description="The records whose retention date has passed, in the agencies where you are "
    "a manager or safeguarding lead, by person and kind, the longest overdue first. Records "
    "on legal hold are not listed. Paginated with `limit` and `offset`. It names people, so "
    "each call is audited (`retention.queue`).",
)
@access(API_RETENTION_REVIEW)
def retention_queue(
    request: HttpRequest,
    limit: QueryEx[
        int, P(ge=1, le=MAX_QUEUE_LIMIT, description=f"How many to return (1 to {MAX_QUEUE_LIMIT})")
    ] = 50,
    offset: QueryEx[int, P(ge=0, le=shared.MAX_OFFSET, description="How many to skip")] = 0,
) -> Any:
    user = token_user(request)
    groups = selectors.retention_queue_for_user(user=user, today=timezone.localdate())
    page = groups[offset : offset + limit]
    # A read of personal data, audited without the names, as the queue page is.
    audit_append(
        actor=user,
        verb="retention.queue",
        request=request,
        details={"shown": len(page), "due": len(groups)},
    )
    return {
        "count": len(groups),
        "items": [
            {
                "person_id": group.person.pk,
                "person_name": group.person.full_name,
                "agency_id": group.person.agency_id,
                "kind": group.kind,
                "kind_label": group.kind_label,
                "records": group.count,
                "object_ids": [s.ref.object_id for s in group.states],
                "due_on": group.due_on,
                "schedule": group.schedule,
            }
            for group in page
        ],
    }


@router.get(
    "/retention/people/{person_id}",
    response={200: PersonRetentionOut, **READ_ERRORS},
    summary="A person's records, when each falls due, and the legal holds on them",
    description="For a manager or safeguarding lead of the person's agency. Audited "
    "(`retention.person_view`).",
)
@access(API_RETENTION_DECIDE)
def retention_person(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    today = timezone.localdate()
    retention = selectors.retention_person_for_user(user=user, person_id=person_id, today=today)
    audit_append(
        actor=user,
        verb="retention.person_view",
        obj=retention.person,
        request=request,
        details={"page": "api"},
    )
    return {
        "person_id": retention.person.pk,
        "person_name": retention.person.full_name,
        "held": retention.held,
        "records": [_record_out(state, today) for state in retention.states],
        "holds": retention.holds,
    }


@router.post(
    "/retention/people/{person_id}/holds",
    response={201: HoldOut, **WRITE_ERRORS},
    summary="Place a legal hold on a person, or on one of their records",
    description="While the hold is in force its records never appear as due and cannot be "
    "disposed of. Give `kind` and `object_id` (from `/retention/people/{person_id}`) to "
    "hold one record; leave both out to hold the person and all their records.",
)
@access(API_RETENTION_DECIDE)
def retention_hold_place(request: HttpRequest, person_id: int, payload: HoldIn) -> Any:
    person = _person(request, person_id)
    kind = payload.kind or ""
    try:
        hold = services.legal_hold_place(
            user=token_user(request),
            person=person,
            reason=payload.reason,
            kind=kind,
            object_id=payload.object_id,
        )
    except ServiceError as exc:
        # The page chooses a record from one list ("record"); the API names it by two
        # fields, and the one at fault is named.
        if exc.field == "record":
            exc.field = "kind" if not kind else "object_id"
        raise
    return Status(201, hold)


@router.post(
    "/retention/holds/{hold_id}/release",
    response={200: HoldOut, **WRITE_ERRORS},
    summary="Release a legal hold",
    description="Records past their retention date go back into the review queue at the "
    "next daily sweep.",
)
@access(API_RETENTION_DECIDE)
def retention_hold_release(request: HttpRequest, hold_id: int, payload: ReleaseIn) -> Any:
    user = token_user(request)
    hold = selectors.legal_hold_get_for_user(user=user, hold_id=hold_id)
    return services.legal_hold_release(user=user, hold=hold, reason=payload.reason)


@router.post(
    "/retention/people/{person_id}/{kind}/keep",
    response={200: KeptOut, **WRITE_ERRORS},
    summary="Keep a person's records of one kind for another period",
    description=f"The records of `kind` ({KINDS}) that are due for review are kept for "
    "`years` more, with the reason; they fall due again at `kept_until`. Audited "
    "(`retention.keep`).",
)
@access(API_RETENTION_DECIDE)
def retention_keep(request: HttpRequest, person_id: int, kind: str, payload: KeepIn) -> Any:
    person = _person(request, person_id)
    reviews = services.retention_keep(
        user=token_user(request),
        person=person,
        kind=kind,
        years=payload.years,
        reason=payload.reason,
    )
    return {
        "person_id": person.pk,
        "kind": kind,
        "records": len(reviews),
        "kept_until": reviews[0].kept_until,
        "review_ids": [r.pk for r in reviews],
    }


@router.post(
    "/retention/people/{person_id}/{kind}/dispose",
    response={200: DisposedOut, **WRITE_ERRORS},
    summary="Dispose of a person's records of one kind that are due",
    description=f"The records of `kind` ({KINDS}) that are due and not on legal hold have "
    "their personal data erased in place, and the person's own details too once none of "
    "their records is left. The audit log keeps a tombstone (`retention.dispose`): what "
    "kind of records, how many, under which schedule and who authorised it, never what they "
    'said. Send `{"confirm": true}`.',
)
@access(API_RETENTION_DECIDE)
def retention_dispose(request: HttpRequest, person_id: int, kind: str, payload: DisposeIn) -> Any:
    # Who may dispose is checked first, so that nobody learns more from the refusal.
    person = _person(request, person_id)
    if not payload.confirm:
        raise ServiceError("Confirm that these records are to be disposed of", field="confirm")
    disposal = services.retention_dispose(user=token_user(request), person=person, kind=kind)
    return {
        "person_id": person.pk,
        "kind": kind,
        "records": len(disposal.reviews),
        "review_ids": [r.pk for r in disposal.reviews],
        "rows_erased": dict(sorted(disposal.rows_erased.items())),
        "person_erased": disposal.person_erased,
    }
