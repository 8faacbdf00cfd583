"""Reads of retention: the schedules, each agency's review queue, one person's records and
holds, and the dry run. Everything about people is filtered by the user's agencies: a
person of another agency does not exist for the user (003 3.15)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sharewise.agencies.models import Agency, Membership, Role
from sharewise.agencies.selectors import user_has_role
from sharewise.common import NotFound, PermissionDenied
from sharewise.followups.models import Meeting
from sharewise.people.models import Person

from . import erasure
from .models import LegalHold, RecordKind, RetentionSchedule, ReviewStatus
from .records import RecordState, record_states, schedules_by_kind
from .services import REVIEW_ROLES, require_reviewer


def schedules_list() -> list[RetentionSchedule]:
    return sorted(schedules_by_kind().values(), key=lambda s: s.get_kind_display())


def schedules_list_for_user(*, user: Any) -> list[RetentionSchedule]:
    """The schedules, for a partnership administrator, who sets them for the whole
    partnership; anyone else is refused, on the pages as over the API."""
    if not user_has_role(user=user, roles={Role.PARTNERSHIP_ADMIN}):
        raise PermissionDenied("Only a partnership administrator can manage retention schedules")
    return schedules_list()


def schedule_get(*, schedule_id: int) -> RetentionSchedule:
    try:
        return RetentionSchedule.objects.get(pk=schedule_id)
    except RetentionSchedule.DoesNotExist:
        raise NotFound("There is no such retention schedule") from None


def agencies_user_reviews(*, user: Any) -> list[Agency]:
    """The agencies in which `user` decides about retention (manager or safeguarding lead)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = Membership.objects.filter(user=user, role__in=REVIEW_ROLES).values_list(
        "agency_id", flat=True
    )
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def _require_some_agency(user: Any) -> list[int]:
    agencies = agencies_user_reviews(user=user)
    if not agencies:
        raise PermissionDenied(
            "Only a manager or safeguarding lead can see the records due for review"
        )
    return [a.pk for a in agencies]


@dataclass
class QueueGroup:
    """One person's records of one kind waiting for a decision."""

    person: Person
    kind: str
    states: list[RecordState]

    @property
    def kind_label(self) -> str:
        return RecordKind(self.kind).label

    @property
    def count(self) -> int:
        return len(self.states)

    @property
    def due_on(self) -> dt.date:
        return min(s.due_on for s in self.states)

    @property
    def schedule(self) -> RetentionSchedule:
        return self.states[0].schedule


def retention_queue_for_user(*, user: Any, today: dt.date) -> list[QueueGroup]:
    """The records due for review in the agencies where the user decides, by person and
    kind, the longest overdue first. Held records never appear."""
    agency_ids = _require_some_agency(user)
    groups: dict[tuple[int, str], list[RecordState]] = {}
    for state in record_states(agency_ids=agency_ids):
        if (
            state.is_due(today)
            and state.review is not None
            and state.review.status == ReviewStatus.DUE
        ):
            groups.setdefault((state.ref.person_id, state.ref.kind), []).append(state)
    people = Person.objects.in_bulk({person_id for person_id, _ in groups})
    found = [
        QueueGroup(people[person_id], kind, states) for (person_id, kind), states in groups.items()
    ]
    return sorted(found, key=lambda g: (g.due_on, g.person.family_name, g.kind))


@dataclass
class PersonRetention:
    person: Person
    states: list[RecordState]
    holds: list[LegalHold]
    today: dt.date

    @property
    def held(self) -> bool:
        return any(h.in_force and h.covers_person for h in self.holds)

    @property
    def due_kinds(self) -> list[tuple[str, str, int]]:
        """(kind, label, how many) of the records waiting in the queue now."""
        counts: Counter[str] = Counter(
            s.ref.kind
            for s in self.states
            if s.is_due(self.today) and s.review is not None and s.review.status == ReviewStatus.DUE
        )
        return [(kind, RecordKind(kind).label, n) for kind, n in sorted(counts.items())]


def person_for_reviewer(*, user: Any, person_id: int) -> Person:
    try:
        person = Person.objects.select_related("agency").get(pk=person_id)
    except Person.DoesNotExist:
        raise NotFound("There is no such person in your agency's records") from None
    require_reviewer(user=user, agency_id=person.agency_id)
    return person


def retention_person_for_user(*, user: Any, person_id: int, today: dt.date) -> PersonRetention:
    """Every record of the person with when it falls due and where it stands, and the
    holds on them."""
    person = person_for_reviewer(user=user, person_id=person_id)
    states = sorted(
        record_states(person_id=person.pk), key=lambda s: (s.due_on, s.ref.kind, s.ref.object_id)
    )
    holds = list(LegalHold.objects.filter(person=person).select_related("placed_by", "released_by"))
    return PersonRetention(person, states, holds, today)


def legal_hold_get_for_user(*, user: Any, hold_id: int) -> LegalHold:
    try:
        hold = LegalHold.objects.select_related("person", "agency").get(pk=hold_id)
    except LegalHold.DoesNotExist:
        raise NotFound("There is no such legal hold in your agency's records") from None
    require_reviewer(user=user, agency_id=hold.agency_id)
    return hold


@dataclass
class DryRunItem:
    state: RecordState
    rows: Counter[str]

    @property
    def kind_label(self) -> str:
        return RecordKind(self.state.ref.kind).label


@dataclass
class DryRun:
    today: dt.date
    items: list[DryRunItem] = field(default_factory=list)
    # People whose own identifying details would go too, as none of their records is left.
    people_erased: dict[int, Counter[str]] = field(default_factory=dict)
    # Meetings whose record of everyone discussed would go, as no one discussed is left.
    meetings_erased: dict[int, Counter[str]] = field(default_factory=dict)
    held: int = 0

    @property
    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for item in self.items:
            total += item.rows
        for rows in [*self.people_erased.values(), *self.meetings_erased.values()]:
            total += rows
        return total


def retention_dry_run(*, today: dt.date, agency_ids: Iterable[int] | None = None) -> DryRun:
    """What disposal would erase if the sweep ran on `today` and every record then due
    were disposed of: each record, and how many rows of each table, with the very
    querysets disposal runs. It reads ids, dates and counts only, and changes nothing."""
    states = record_states(agency_ids=agency_ids)
    result = DryRun(today=today)
    going: dict[int, set[tuple[str, int]]] = {}
    left: dict[int, set[tuple[str, int]]] = {}
    meeting_gone: dict[int, set[int]] = {}
    for state in states:
        ref = state.ref
        if state.disposed:
            if ref.kind == RecordKind.MEETING:
                meeting_gone.setdefault(ref.object_id, set()).add(ref.person_id)
            continue
        key = (ref.kind, ref.object_id)
        left.setdefault(ref.person_id, set()).add(key)
        if state.held and state.due_on <= today:
            result.held += 1
        if not state.is_due(today):
            continue
        going.setdefault(ref.person_id, set()).add(key)
        if ref.kind == RecordKind.MEETING:
            meeting_gone.setdefault(ref.object_id, set()).add(ref.person_id)
        steps = erasure.record_steps(ref.kind, ref.object_id, ref.person_id)
        result.items.append(DryRunItem(state, erasure.steps_plan(steps)))
    for person_id, keys in going.items():
        if keys >= left.get(person_id, set()):
            result.people_erased[person_id] = erasure.steps_plan(erasure.person_steps(person_id))
    through = Meeting.people.through
    for item in result.items:
        meeting_id = item.state.ref.object_id
        if item.state.ref.kind != RecordKind.MEETING or meeting_id in result.meetings_erased:
            continue
        discussed = set(
            through.objects.filter(meeting_id=meeting_id).values_list("person_id", flat=True)
        )
        if discussed <= meeting_gone.get(meeting_id, set()):
            result.meetings_erased[meeting_id] = erasure.steps_plan(
                erasure.meeting_steps(meeting_id)
            )
    result.items.sort(key=lambda i: (i.state.ref.agency_id, i.state.due_on, i.state.ref.kind))
    return result


def retention_dry_run_for_user(*, user: Any, today: dt.date) -> DryRun:
    return retention_dry_run(today=today, agency_ids=_require_some_agency(user))
