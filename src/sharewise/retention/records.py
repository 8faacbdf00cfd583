"""Which records each schedule covers, when each falls due, and where each one stands.

A "record" here is one row of another area that holds personal data about one person:
a decision, a consent record, a disclosure, an advice request, a request for information,
or what one meeting holds about one of the people discussed. Each is read with
`values_list`, never decrypted: working out due dates reads dates and ids only, so the
sweep and the dry run read no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from sharewise.advice.models import AdviceRequest
from sharewise.consents.models import ConsentRecord
from sharewise.decisions.models import Decision
from sharewise.disclosures.models import Disclosure
from sharewise.followups.models import Meeting
from sharewise.requests.models import InformationRequest

from .models import (
    Action,
    Basis,
    LegalHold,
    RecordKind,
    RetentionReview,
    RetentionSchedule,
    ReviewStatus,
)

# A person is a child until their 18th birthday: a decision made before it is a child
# protection decision record.
ADULT_AGE = 18


# The defaults, as migration 0002 seeds them (its docstring gives the reasons); made again
# on first use if the table was emptied, so a kind of record is never without a schedule.
DEFAULT_SCHEDULES: tuple[tuple[str, str, int], ...] = (
    (RecordKind.CHILD_PROTECTION, Basis.DATE_OF_BIRTH, 25),
    (RecordKind.ADULT_SAFEGUARDING, Basis.LAST_ACTIVITY, 6),
    (RecordKind.CONSENT, Basis.LAST_ACTIVITY, 25),
    (RecordKind.DISCLOSURE, Basis.LAST_ACTIVITY, 25),
    (RecordKind.MEETING, Basis.LAST_ACTIVITY, 25),
    (RecordKind.INFORMATION_REQUEST, Basis.LAST_ACTIVITY, 25),
    (RecordKind.ADVICE_REQUEST, Basis.LAST_ACTIVITY, 6),
)


def schedules_by_kind() -> dict[str, RetentionSchedule]:
    """Every kind's schedule, making any default that is missing."""
    schedules = {s.kind: s for s in RetentionSchedule.objects.all()}
    for kind, basis, years in DEFAULT_SCHEDULES:
        if kind not in schedules:
            schedules[kind], _ = RetentionSchedule.objects.get_or_create(
                kind=kind, defaults={"basis": basis, "years": years, "action": Action.REVIEW}
            )
    return schedules


@dataclass(frozen=True)
class RecordRef:
    kind: str
    object_id: int
    person_id: int
    agency_id: int
    record_date: dt.date
    last_activity: dt.date
    # The date of birth, or for an unborn child the expected one; None when unknown.
    born: dt.date | None


@dataclass(frozen=True)
class RecordState:
    ref: RecordRef
    schedule: RetentionSchedule
    # When the record falls due now: the schedule's date, or the end of the period it was
    # last kept for.
    due_on: dt.date
    # True when the schedule counts from the date of birth and none is known, so the
    # record's date stands in for it.
    no_date_of_birth: bool
    review: RetentionReview | None
    held: bool

    @property
    def key(self) -> str:
        """The record as a form names it: kind and id."""
        return f"{self.ref.kind}:{self.ref.object_id}"

    @property
    def disposed(self) -> bool:
        return self.review is not None and self.review.status == ReviewStatus.DISPOSED

    def is_due(self, today: dt.date) -> bool:
        """Due for disposal review on `today`: past its date, not disposed, not held."""
        return not self.disposed and not self.held and self.due_on <= today


def years_after(day: dt.date, years: int) -> dt.date:
    """`day` plus whole years; 29 February goes to 1 March in a year that has none, so a
    record is never due a day early."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _day(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _latest(*values: dt.datetime | dt.date | None) -> dt.date:
    days = [d for d in (_day(v) for v in values) if d is not None]
    return max(days)


def _born(date_of_birth: dt.date | None, expected: dt.date | None) -> dt.date | None:
    return date_of_birth or expected


def decision_kind(born: dt.date | None, made_on: dt.date) -> str:
    """A decision about a child (under 18 when it was made, or unborn) is a child
    protection decision record; one about an adult, an adult safeguarding one. When the
    age is unknown it is treated as a child's, whose schedule keeps it longer."""
    if born is None or born > made_on:
        return RecordKind.CHILD_PROTECTION
    age = made_on.year - born.year - ((made_on.month, made_on.day) < (born.month, born.day))
    return RecordKind.CHILD_PROTECTION if age < ADULT_AGE else RecordKind.ADULT_SAFEGUARDING


def record_family(kind: str) -> str:
    """Reviews and holds are matched to a record by its family: a decision stays the same
    record when its kind changes (a date of birth corrected, or erased on disposal)."""
    if kind in (RecordKind.CHILD_PROTECTION, RecordKind.ADULT_SAFEGUARDING):
        return "decision"
    return kind


def _scope(agency_ids: Iterable[int] | None, person_id: int | None, prefix: str = "") -> Q:
    q = Q()
    if agency_ids is not None:
        q &= Q(**{f"{prefix}agency_id__in": list(agency_ids)})
    if person_id is not None:
        q &= Q(person_id=person_id)
    return q


PERSON_DATES = ("person__date_of_birth", "person__expected_date_of_birth")


def all_records(
    *, agency_ids: Iterable[int] | None = None, person_id: int | None = None
) -> Iterator[RecordRef]:
    """Every record the schedules cover, within the agencies (or of one person) given."""
    agencies = list(agency_ids) if agency_ids is not None else None
    for pk, person, agency, created, signed, updated, dob, expected in Decision.objects.filter(
        _scope(agencies, person_id)
    ).values_list(
        "pk", "person_id", "agency_id", "created_at", "signed_at", "updated_at", *PERSON_DATES
    ):
        born = _born(dob, expected)
        made_on = _latest(created)
        yield RecordRef(
            decision_kind(born, made_on),
            pk,
            person,
            agency,
            made_on,
            _latest(created, signed, updated),
            born,
        )
    for pk, person, agency, given, recorded, dob, expected in ConsentRecord.objects.filter(
        _scope(agencies, person_id)
    ).values_list("pk", "person_id", "agency_id", "given_at", "recorded_at", *PERSON_DATES):
        yield RecordRef(
            RecordKind.CONSENT,
            pk,
            person,
            agency,
            _latest(given),
            _latest(given, recorded),
            _born(dob, expected),
        )
    for row in Disclosure.objects.filter(_scope(agencies, person_id)).values_list(
        "pk",
        "person_id",
        "agency_id",
        "sent_at",
        "opened_at",
        "read_at",
        "acknowledged_at",
        "withdrawn_at",
        "subject_told_at",
        *PERSON_DATES,
    ):
        pk, person, agency, sent, *later, dob, expected = row
        yield RecordRef(
            RecordKind.DISCLOSURE,
            pk,
            person,
            agency,
            _latest(sent),
            _latest(sent, *later),
            _born(dob, expected),
        )
    # An advice request names its person, or the decision it is about does.
    advice_scope = Q()
    if agencies is not None:
        advice_scope &= Q(agency_id__in=agencies)
    if person_id is not None:
        advice_scope &= Q(person_id=person_id) | Q(
            person__isnull=True, decision__person_id=person_id
        )
    for row in AdviceRequest.objects.filter(advice_scope).values_list(
        "pk",
        "person_id",
        "decision__person_id",
        "agency_id",
        "created_at",
        "updated_at",
        "person__date_of_birth",
        "person__expected_date_of_birth",
        "decision__person__date_of_birth",
        "decision__person__expected_date_of_birth",
    ):
        pk, own, via_decision, agency, created, updated, dob, expected, dob2, expected2 = row
        person = own or via_decision
        if person is None:
            continue
        born = _born(dob, expected) if own else _born(dob2, expected2)
        yield RecordRef(
            RecordKind.ADVICE_REQUEST,
            pk,
            person,
            agency,
            _latest(created),
            _latest(created, updated),
            born,
        )
    through = Meeting.people.through
    meeting_scope = Q()
    if agencies is not None:
        meeting_scope &= Q(meeting__agency_id__in=agencies)
    if person_id is not None:
        meeting_scope &= Q(person_id=person_id)
    for meeting, person, agency, held_on, dob, expected in through.objects.filter(
        meeting_scope
    ).values_list(
        "meeting_id", "person_id", "meeting__agency_id", "meeting__held_on", *PERSON_DATES
    ):
        yield RecordRef(
            RecordKind.MEETING, meeting, person, agency, held_on, held_on, _born(dob, expected)
        )
    # Only a request matched to a person is that person's record; an unmatched one names
    # nobody in the agency's records.
    request_scope = Q(person__isnull=False)
    if agencies is not None:
        request_scope &= Q(to_agency_id__in=agencies)
    if person_id is not None:
        request_scope &= Q(person_id=person_id)
    for pk, person, agency, received, changed, dob, expected in InformationRequest.objects.filter(
        request_scope
    ).values_list(
        "pk", "person_id", "to_agency_id", "received_at", "status_changed_at", *PERSON_DATES
    ):
        yield RecordRef(
            RecordKind.INFORMATION_REQUEST,
            pk,
            person,
            agency,
            _latest(received),
            _latest(received, changed),
            _born(dob, expected),
        )


def schedule_due_on(schedule: RetentionSchedule, ref: RecordRef) -> tuple[dt.date, bool]:
    """When `ref` falls due under `schedule`, and whether a missing date of birth made the
    record's date stand in for it. Any record about a born person is dated after the
    birth, so counting from the record's date never makes it due sooner than the date of
    birth would."""
    if schedule.basis == Basis.DATE_OF_BIRTH:
        if ref.born is not None:
            return years_after(ref.born, schedule.years), False
        return years_after(ref.record_date, schedule.years), True
    if schedule.basis == Basis.RECORD_DATE:
        return years_after(ref.record_date, schedule.years), False
    return years_after(ref.last_activity, schedule.years), False


def record_states(
    *, agency_ids: Iterable[int] | None = None, person_id: int | None = None
) -> list[RecordState]:
    """Every record in scope with its due date, its latest review and whether a legal
    hold covers it."""
    agencies = list(agency_ids) if agency_ids is not None else None
    schedules = schedules_by_kind()
    reviews: dict[tuple[str, int, int], RetentionReview] = {}
    for found in RetentionReview.objects.filter(_scope(agencies, person_id)).order_by(
        "due_on", "id"
    ):
        reviews[(record_family(found.kind), found.object_id, found.person_id)] = found
    held_people: set[int] = set()
    held_records: set[tuple[str, int]] = set()
    for person, kind, object_id in LegalHold.objects.filter(
        _scope(agencies, person_id), released_at__isnull=True
    ).values_list("person_id", "kind", "object_id"):
        if kind and object_id is not None:
            held_records.add((record_family(kind), object_id))
        else:
            held_people.add(person)
    states = []
    for ref in all_records(agency_ids=agencies, person_id=person_id):
        schedule = schedules.get(ref.kind)
        if schedule is None:
            continue
        due_on, no_date_of_birth = schedule_due_on(schedule, ref)
        review = reviews.get((record_family(ref.kind), ref.object_id, ref.person_id))
        if review is not None and review.status == ReviewStatus.KEPT and review.kept_until:
            # Kept for another period: due again at its end, or later if the schedule
            # has since been lengthened.
            due_on = max(due_on, review.kept_until)
        held = (
            ref.person_id in held_people or (record_family(ref.kind), ref.object_id) in held_records
        )
        states.append(RecordState(ref, schedule, due_on, no_date_of_birth, review, held))
    return states
