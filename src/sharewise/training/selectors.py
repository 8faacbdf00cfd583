"""Reads of the training module: a learner's own records, and the report of an agency's
staff for its managers.

A learner sees only their own records: anyone else's does not exist for them. A manager
sees the records of the staff of the agencies they manage and of no other: training
records are confidential to the agency like everything else it holds (003 3.15).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from sharewise.agencies.models import Agency, Membership, Role
from sharewise.common import NotFound, PermissionDenied

from .models import QuizAnswer, TrainingRecord


def training_record_get_for_user(*, user: Any, record_id: int) -> TrainingRecord:
    if not getattr(user, "is_authenticated", False):
        raise NotFound("There is no such training record")
    record = TrainingRecord.objects.filter(pk=record_id, user=user).first()
    if record is None:
        raise NotFound("There is no such training record")
    return record


def training_records_for_user(*, user: Any) -> QuerySet[TrainingRecord]:
    if not getattr(user, "is_authenticated", False):
        return TrainingRecord.objects.none()
    return TrainingRecord.objects.filter(user=user)


def training_answers(*, record: TrainingRecord) -> dict[str, QuizAnswer]:
    """The record's quiz answers, by quiz id."""
    return {answer.quiz: answer for answer in record.answers.all()}


def training_report_agencies(*, user: Any) -> list[Agency]:
    """The agencies whose staff's training `user` may see: those they manage."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Agency.objects.filter(memberships__user=user, memberships__role=Role.MANAGER)
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class ReportRow:
    """One member of staff and one attempt at the course (or none yet)."""

    agency: str
    username: str
    name: str
    roles: str
    record: TrainingRecord | None

    @property
    def status(self) -> str:
        if self.record is None:
            return "Not started"
        return "Completed" if self.record.is_completed else "In progress"

    @property
    def started(self) -> dt.datetime | None:
        return self.record.started_at if self.record else None

    @property
    def completed(self) -> dt.datetime | None:
        return self.record.completed_at if self.record else None


def training_report_for_manager(*, user: Any) -> list[ReportRow]:
    """Every member of staff of the agencies `user` manages, with each of their attempts
    at the course (staff who have not started are listed too, so that a manager sees who
    still needs training). Partnership administrators are not an agency's staff."""
    agencies = training_report_agencies(user=user)
    if not agencies:
        raise PermissionDenied("Only a manager of an agency can see its staff's training")
    memberships = (
        Membership.objects.filter(agency__in=agencies)
        .exclude(role=Role.PARTNERSHIP_ADMIN)
        .select_related("agency")
        .order_by("agency__name", "user_id", "role")
    )
    staff: dict[tuple[str, int], list[str]] = {}
    for membership in memberships:
        key = (membership.agency.name, membership.user_id)
        staff.setdefault(key, []).append(membership.get_role_display())
    users = get_user_model().objects.in_bulk({user_id for _, user_id in staff})
    records: dict[int, list[TrainingRecord]] = {}
    for record in TrainingRecord.objects.filter(user_id__in=users).order_by("started_at", "id"):
        records.setdefault(record.user_id, []).append(record)
    rows: list[ReportRow] = []
    for (agency_name, user_id), roles in sorted(
        staff.items(), key=lambda item: (item[0][0], users[item[0][1]].get_username())
    ):
        member = users[user_id]
        base = {
            "agency": agency_name,
            "username": member.get_username(),
            "name": member.get_full_name() or member.get_username(),
            "roles": ", ".join(roles),
        }
        attempts: list[TrainingRecord | None] = list(records.get(user_id, [])) or [None]
        rows += [ReportRow(**base, record=record) for record in attempts]
    return rows
