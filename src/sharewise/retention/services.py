"""Writes of retention: edit a schedule, the daily sweep that finds what has fallen due,
keep a record for another period, dispose of it, and place or release a legal hold.

"The information should not be kept any longer than is necessary ... there should be a
review process scheduled at regular intervals to ensure data is not retained where it is
unnecessary to do so" (004 "Record"). The sweep only marks what is due; nothing is ever
disposed of without a manager or safeguarding lead authorising it (ADR 15). Each write
checks the user's agency and role and appends its audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.models import Role
from sharewise.agencies.selectors import agency_ids_for_user, user_has_role
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.followups.models import Meeting
from sharewise.people.models import Person

from . import erasure
from .models import (
    Action,
    Basis,
    LegalHold,
    RecordKind,
    RetentionReview,
    RetentionSchedule,
    ReviewStatus,
)
from .records import RecordState, record_states, years_after

# Who decides about retention in an agency: its managers and safeguarding leads (the
# Caldicott Guardian, the IG lead), DESIGN.md "Who uses it".
REVIEW_ROLES = frozenset({Role.MANAGER, Role.SAFEGUARDING_LEAD})
# The longest a review may keep a record before it is reviewed again (004 "Record": a
# review process "at regular intervals").
MAX_KEEP_YEARS = 25
MAX_SCHEDULE_YEARS = 100


def _today() -> dt.date:
    return timezone.localdate()


def require_reviewer(*, user: Any, agency_id: int) -> None:
    """Another agency's records do not exist for the user (3.15); in their own agency only
    a manager or safeguarding lead decides about retention."""
    if agency_id not in agency_ids_for_user(user=user):
        raise NotFound("There is no such person in your agency's records")
    if not user_has_role(user=user, roles=REVIEW_ROLES, agency=_agency(agency_id)):
        raise PermissionDenied(
            "Only a manager or safeguarding lead can decide how long records are kept"
        )


def _agency(agency_id: int) -> Any:
    from sharewise.agencies.models import Agency

    return Agency.objects.get(pk=agency_id)


@transaction.atomic
def retention_schedule_update(
    *, user: Any, schedule: RetentionSchedule, basis: str, years: int | None, action: str
) -> RetentionSchedule:
    """A partnership administrator sets how long one kind of record is kept."""
    if not user_has_role(user=user, roles={Role.PARTNERSHIP_ADMIN}):
        raise PermissionDenied("Only a partnership administrator can change retention schedules")
    if basis not in Basis.values:
        raise ServiceError("Choose what the period counts from", field="basis")
    if years is None or not 1 <= years <= MAX_SCHEDULE_YEARS:
        raise ServiceError(
            f"Enter the number of years, a whole number from 1 to {MAX_SCHEDULE_YEARS}",
            field="years",
        )
    if action not in Action.values:
        raise ServiceError("Choose what happens when the period ends", field="action")
    schedule = RetentionSchedule.objects.select_for_update().get(pk=schedule.pk)
    before = {"basis": schedule.basis, "years": schedule.years, "action": schedule.action}
    schedule.basis, schedule.years, schedule.action = basis, years, action
    schedule.updated_by = user
    schedule.save()
    audit_append(
        actor=user,
        verb="retention.schedule",
        obj=schedule,
        details={
            "kind": schedule.kind,
            "before": before,
            "after": {"basis": basis, "years": years, "action": action},
        },
    )
    return schedule


def retention_review_due(*, today: dt.date) -> int:
    """The daily sweep: put every record whose retention date has passed on `today` in its
    agency's review queue. Idempotent: a record already waiting for review, held, or
    disposed of is left alone, and a unique constraint stands behind one review per record
    per due date. Returns how many reviews it made."""
    made: Counter[str] = Counter()
    with transaction.atomic():
        for state in record_states():
            if not state.is_due(today):
                continue
            if state.review is not None and state.review.status == ReviewStatus.DUE:
                continue
            ref = state.ref
            _, created = RetentionReview.objects.get_or_create(
                kind=ref.kind,
                object_id=ref.object_id,
                person_id=ref.person_id,
                due_on=state.due_on,
                defaults={"agency_id": ref.agency_id, "rule": state.schedule.rule},
            )
            if created:
                made[str(ref.agency_id)] += 1
        if made:
            audit_append(
                actor=None,
                verb="retention.sweep",
                details={"today": today.isoformat(), "marked_by_agency": dict(made)},
            )
    return sum(made.values())


def _person_locked(user: Any, person: Person) -> Person:
    # The lock puts disposal and a legal hold on the same person in one order: a hold
    # placed while a disposal runs waits, then finds nothing left to hold, or the other
    # way round, the disposal finds the hold.
    try:
        locked = Person.objects.select_for_update().get(pk=person.pk)
    except Person.DoesNotExist:
        raise NotFound("There is no such person in your agency's records") from None
    require_reviewer(user=user, agency_id=locked.agency_id)
    return locked


def _due_group(person: Person, kind: str, today: dt.date) -> list[RecordState]:
    """The person's records of `kind` in the review queue now: marked due by the sweep,
    still due under the schedule as it is today, not disposed and not held."""
    return [
        state
        for state in record_states(person_id=person.pk)
        if state.ref.kind == kind
        and state.is_due(today)
        and state.review is not None
        and state.review.status == ReviewStatus.DUE
    ]


def _require_kind(kind: str) -> None:
    if kind not in RecordKind.values:
        raise NotFound("There is no such kind of record")


@transaction.atomic
def retention_keep(
    *,
    user: Any,
    person: Person,
    kind: str,
    years: int | None,
    reason: str,
    today: dt.date | None = None,
) -> list[RetentionReview]:
    """Keep the person's records of `kind` that are due for another period, with the
    reason; they fall due again when it ends."""
    _require_kind(kind)
    person = _person_locked(user, person)
    today = today or _today()
    if years is None or not 1 <= years <= MAX_KEEP_YEARS:
        raise ServiceError(
            f"Enter how many years to keep the records, from 1 to {MAX_KEEP_YEARS}",
            field="years",
        )
    reason = reason.strip()
    if not reason:
        raise ServiceError("Enter why the records are kept for longer", field="reason")
    group = _due_group(person, kind, today)
    if not group:
        raise ServiceError("None of these records is due for review", field="kind")
    kept_until = years_after(today, years)
    now = timezone.now()
    reviews = []
    for state in group:
        review = state.review
        assert review is not None
        review.status = ReviewStatus.KEPT
        review.kept_until = kept_until
        review.kept_reason = reason
        review.decided_by = user
        review.decided_at = now
        review.save(
            update_fields=["status", "kept_until", "kept_reason", "decided_by", "decided_at"]
        )
        reviews.append(review)
    # The reason is the reviewer's words and may name the person: the entry says only
    # that a reason was given, so that the log never holds what disposal must erase.
    audit_append(
        actor=user,
        verb="retention.keep",
        target=person,
        agency=person.agency,
        details={
            "kind": kind,
            "records": len(reviews),
            "reviews": [r.pk for r in reviews],
            "kept_until": kept_until.isoformat(),
            "years": years,
        },
    )
    return reviews


@dataclass
class Disposal:
    person: Person
    kind: str
    reviews: list[RetentionReview]
    rows_erased: Counter[str] = field(default_factory=Counter)
    person_erased: bool = False


@transaction.atomic
def retention_dispose(
    *, user: Any, person: Person, kind: str, today: dt.date | None = None
) -> Disposal:
    """Dispose of the person's records of `kind` that are due and not held: erase their
    personal data, and the person's own once none of their records is left, in this one
    transaction, and leave a tombstone in the audit log saying what kind of records, how
    many, under which schedule and who authorised it, never what they said (ADR 15)."""
    _require_kind(kind)
    person = _person_locked(user, person)
    today = today or _today()
    if LegalHold.objects.filter(person=person, kind="", released_at__isnull=True).exists():
        raise ServiceError(
            "This person's records are on legal hold: release the hold before disposing",
            field="hold",
        )
    group = _due_group(person, kind, today)
    if not group:
        raise ServiceError("None of these records is due for disposal", field="kind")
    result = Disposal(person=person, kind=kind, reviews=[])
    now = timezone.now()
    for state in group:
        steps = erasure.record_steps(kind, state.ref.object_id, person.pk)
        result.rows_erased += erasure.steps_apply(steps)
        erasure.steps_reseal(steps, actor=user)
        review = state.review
        assert review is not None
        review.status = ReviewStatus.DISPOSED
        review.decided_by = user
        review.decided_at = now
        review.save(update_fields=["status", "decided_by", "decided_at"])
        result.reviews.append(review)
    if kind == RecordKind.MEETING:
        for state in group:
            result.rows_erased += _meeting_erase_if_no_one_left(state.ref.object_id)
    remaining = [s for s in record_states(person_id=person.pk) if not s.disposed]
    if not remaining:
        result.rows_erased += erasure.steps_apply(erasure.person_steps(person.pk))
        result.person_erased = True
    schedule = group[0].schedule
    audit_append(
        actor=user,
        verb="retention.dispose",
        target=person,
        agency=person.agency,
        details={
            "kind": kind,
            "records": len(result.reviews),
            "reviews": [r.pk for r in result.reviews],
            "schedule": {"id": schedule.pk, "rule": schedule.rule},
            "authorised_by": user.get_username(),
            "rows_erased": dict(sorted(result.rows_erased.items())),
            "person_erased": result.person_erased,
        },
    )
    return result


def _meeting_erase_if_no_one_left(meeting_id: int) -> Counter[str]:
    people = set(
        Meeting.people.through.objects.filter(meeting_id=meeting_id).values_list(
            "person_id", flat=True
        )
    )
    disposed = set(
        RetentionReview.objects.filter(
            kind=RecordKind.MEETING,
            object_id=meeting_id,
            status=ReviewStatus.DISPOSED,
        ).values_list("person_id", flat=True)
    )
    if people - disposed:
        return Counter()
    return erasure.steps_apply(erasure.meeting_steps(meeting_id))


@transaction.atomic
def legal_hold_place(
    *,
    user: Any,
    person: Person,
    reason: str,
    kind: str = "",
    object_id: int | None = None,
) -> LegalHold:
    """Put a person and all their records, or one of their records, on legal hold."""
    person = _person_locked(user, person)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Enter why the records must be kept", field="reason")
    if kind or object_id is not None:
        matching = [
            s
            for s in record_states(person_id=person.pk)
            if s.ref.kind == kind and s.ref.object_id == object_id
        ]
        if not matching:
            raise ServiceError("Choose one of this person's records", field="record")
        if matching[0].disposed:
            raise ServiceError("That record has already been disposed of", field="record")
    hold = LegalHold.objects.create(
        agency=person.agency,
        person=person,
        kind=kind,
        object_id=object_id if kind else None,
        reason=reason,
        placed_by=user,
    )
    audit_append(
        actor=user,
        verb="retention.hold",
        obj=hold,
        target=person,
        details={"kind": kind or "person", "object_id": hold.object_id},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, user: Any, hold: LegalHold, reason: str) -> LegalHold:
    """Release a hold: its records can fall due again at the next sweep."""
    _person_locked(user, hold.person)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ServiceError("This hold has already been released", field="hold")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Enter why the hold is released", field="reason")
    hold.released_by = user
    hold.released_at = timezone.now()
    hold.release_reason = reason
    hold.save(update_fields=["released_by", "released_at", "release_reason"])
    audit_append(
        actor=user,
        verb="retention.hold_release",
        obj=hold,
        target=hold.person,
        details={"kind": hold.kind or "person", "object_id": hold.object_id},
    )
    return hold
