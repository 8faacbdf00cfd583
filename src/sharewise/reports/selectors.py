"""Reads for monitoring information sharing practice: the figures of the managers'
dashboards and the audit reports of who saw what.

The guidance asks employers for "mechanisms for monitoring and auditing information
sharing practice" (000 module 4; 001 question 14), and for every decision to be recorded,
a decision not to share included (004 "Record"). DESIGN.md capability 9 names the figures.

Every dashboard figure is an aggregate: one query (`values().annotate(Count(...))`,
grouped by month with `TruncMonth`) that returns a few small rows, never a record about a
person, so that a partnership administrator may see the counts across agencies. The
functions run unchanged on SQLite and PostgreSQL and are listed in docs/reports.md so the
benchmarks can time them on a partnership's volume.

Who may see which agencies' figures is decided once, in `report_access_for_user`; every
figure is then filtered by the `ReportScope` built from it, so no figure can forget the
rule that an agency's information is its own (003 3.15).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sharewise.advice.models import AdviceRequest
from sharewise.agencies.models import Agency, Membership, Role, Team
from sharewise.audit.models import AuditEntry
from sharewise.audit.selectors import user_sees_record_views
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Decision, Status
from sharewise.disclosures.models import Channel as DisclosureChannel
from sharewise.disclosures.models import Disclosure
from sharewise.followups.models import FollowUp, FollowUpStatus
from sharewise.people.models import Person
from sharewise.protocols.models import Protocol
from sharewise.protocols.models import Status as ProtocolStatus
from sharewise.requests.models import InformationRequest

# Managers and auditors monitor their own agencies (DESIGN.md, "Who uses it"); partnership
# administrators see the counts of every agency and nothing about anyone.
MONITOR_ROLES = frozenset({Role.MANAGER, Role.AUDITOR})
# The engine's outcomes that share (the packs' flow.toml), and the one that does not.
SHARING_OUTCOMES = ("share", "must_share")
NOT_SHARING_OUTCOME = "do_not_share"
# Protocols are flagged as due for review this many days before their review date.
REVIEW_WINDOW_DAYS = 90
# The newest audit entries listed on a user's audit report; the summary counts them all.
USER_ENTRIES_SHOWN = 500


# --- Who sees what -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportAccess:
    """What a user may monitor: the agencies whose figures they may see, and whether they
    see counts only (a partnership administrator, who is no member of the agencies)."""

    agencies: tuple[Agency, ...]
    # The agencies where the user is a manager or an auditor: those whose users' audit
    # reports they may read.
    monitored_ids: frozenset[int]
    counts_only: bool

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset(agency.pk for agency in self.agencies)


@dataclass(frozen=True)
class ReportScope:
    """The records a dashboard counts: of these agencies, made by members of this team,
    in this period (dates inclusive; None is open-ended)."""

    agency_ids: frozenset[int]
    today: dt.date
    team_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # The minimum-count rule the tables and charts keep (reports/small_numbers.py): None
    # for a reader who monitors every agency in the scope, who sees the counts as they are.
    minimum_count: int | None = None


def report_access_for_user(*, user: Any) -> ReportAccess:
    """The agencies `user` may monitor. Refuses (PermissionDenied) anyone who is neither a
    manager or auditor of an agency nor a partnership administrator."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to see the monitoring dashboards")
    roles = list(Membership.objects.filter(user=user).values_list("role", "agency_id"))
    monitored = frozenset(agency_id for role, agency_id in roles if role in MONITOR_ROLES)
    admin = any(role == Role.PARTNERSHIP_ADMIN for role, _ in roles)
    if not monitored and not admin:
        raise PermissionDenied(
            "Only managers, auditors and partnership administrators can see the monitoring "
            "dashboards"
        )
    agencies = Agency.objects.order_by("name")
    if not admin:
        agencies = agencies.filter(pk__in=monitored)
    return ReportAccess(tuple(agencies), monitored, counts_only=admin and not monitored)


def report_teams(*, access: ReportAccess) -> list[Team]:
    """The teams a dashboard may be narrowed to: those of the agencies the user monitors."""
    return list(
        Team.objects.filter(agency_id__in=access.agency_ids)
        .select_related("agency")
        .order_by("agency__name", "name")
    )


def report_scope(
    *,
    access: ReportAccess,
    today: dt.date,
    agency_id: int | None = None,
    team_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> ReportScope:
    """The scope of the figures `access` allows, narrowed by the filters chosen. A filter
    outside what the user may see is a mistake in the form, reported beside its field."""
    agency_ids = access.agency_ids
    if agency_id is not None:
        if agency_id not in agency_ids:
            raise ServiceError("Choose one of the agencies listed", field="agency")
        agency_ids = frozenset({agency_id})
    if (
        team_id is not None
        and not Team.objects.filter(pk=team_id, agency_id__in=agency_ids).exists()
    ):
        raise ServiceError("Choose one of the teams of the agency chosen", field="team")
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ServiceError("The start of the period must be before its end", field="date_from")
    # Counts of an agency the reader does not monitor (a partnership administrator's) keep
    # the minimum-count rule; a manager or auditor may open their own agencies' records.
    minimum_count = (
        None if agency_ids <= access.monitored_ids else settings.SHAREWISE_REPORTS_MINIMUM_COUNT
    )
    return ReportScope(agency_ids, today, team_id, date_from, date_to, minimum_count)


def report_users(*, agency_ids: frozenset[int]) -> list[Any]:
    """The users who work in `agency_ids` (any role but partnership administrator), for the
    links to their audit reports."""
    user_model = get_user_model()
    return list(
        # One filter() call: the agency and the role are of the same membership.
        user_model.objects.filter(
            memberships__agency_id__in=agency_ids,
            memberships__role__in=[r for r in Role.values if r != Role.PARTNERSHIP_ADMIN],
        )
        .distinct()
        .order_by(user_model.USERNAME_FIELD)
    )


def _team_members(team_id: int) -> QuerySet[Membership, Any]:
    # The team's members, as a subquery: the figure stays one query, and a user with two
    # roles in the team is not counted twice.
    return Membership.objects.filter(team_id=team_id).values("user_id")


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in_period(field: str, scope: ReportScope) -> Q:
    """The timestamp `field` within the scope's period, its last day included. The bounds
    are local midnights, so the column's index is used (no cast to a date)."""
    condition = Q()
    if scope.date_from is not None:
        condition &= Q(**{f"{field}__gte": _start(scope.date_from)})
    if scope.date_to is not None:
        condition &= Q(**{f"{field}__lt": _start(scope.date_to + dt.timedelta(days=1))})
    return condition


def _month(field: str) -> TruncMonth:
    # The first day of the month, in the service's time zone, as a date.
    return TruncMonth(field, output_field=DateField())


# --- Decisions -----------------------------------------------------------------------


class MonthCount(NamedTuple):
    """How many records of one kind (an outcome, a lawful basis) in a month."""

    month: dt.date
    key: str
    total: int


class DecisionTotals(NamedTuple):
    month: dt.date
    decided: int
    shared: int
    shared_without_consent: int
    not_shared: int


def _signed_decisions(scope: ReportScope) -> QuerySet[Decision]:
    """The signed decisions of the scope, by the date they were signed. A decision that a
    signed correction replaced is left out: the correction is the record that counts."""
    decisions = (
        Decision.objects.filter(status=Status.SIGNED, agency_id__in=scope.agency_ids)
        .filter(_in_period("signed_at", scope))
        .exclude(corrected_by__status=Status.SIGNED)
    )
    if scope.team_id is not None:
        decisions = decisions.filter(created_by_id__in=_team_members(scope.team_id))
    return decisions


def decisions_by_outcome_month(*, scope: ReportScope) -> list[MonthCount]:
    """Signed decisions by month and outcome (share, must share, do not share, seek
    consent, seek advice): every decision, a decision not to share included (004
    "Record"; 003 3.51)."""
    rows = (
        _signed_decisions(scope)
        .annotate(month=_month("signed_at"))
        .values("month", "outcome")
        .annotate(count=Count("id"))
        .order_by("month", "outcome")
    )
    return [MonthCount(row["month"], row["outcome"], row["count"]) for row in rows]


def decisions_by_basis_month(*, scope: ReportScope) -> list[MonthCount]:
    """Signed decisions to share by month and the lawful basis recorded (UK GDPR Article
    6(1)), which signing requires of every share."""
    rows = (
        _signed_decisions(scope)
        .filter(outcome__in=SHARING_OUTCOMES)
        .annotate(month=_month("signed_at"))
        .values("month", "article6_basis")
        .annotate(count=Count("id"))
        .order_by("month", "article6_basis")
    )
    return [MonthCount(row["month"], row["article6_basis"], row["count"]) for row in rows]


def decision_totals_by_month(*, scope: ReportScope) -> list[DecisionTotals]:
    """Per month: decisions signed, decisions to share, shares without consent (the
    outcome shares on a ground other than consent: the public interest, a legal duty, vital
    interests; 003 3.37 to 3.44) and decisions not to share."""
    sharing = Q(outcome__in=SHARING_OUTCOMES)
    rows = (
        _signed_decisions(scope)
        .annotate(month=_month("signed_at"))
        .values("month")
        .annotate(
            decided=Count("id"),
            shared=Count("id", filter=sharing),
            shared_without_consent=Count("id", filter=sharing & ~Q(basis="consent")),
            not_shared=Count("id", filter=Q(outcome=NOT_SHARING_OUTCOME)),
        )
        .order_by("month")
    )
    return [
        DecisionTotals(
            row["month"],
            row["decided"],
            row["shared"],
            row["shared_without_consent"],
            row["not_shared"],
        )
        for row in rows
    ]


# --- Requests and advice: how long people waited -------------------------------------


class WaitTimes(NamedTuple):
    """Per month: how many arrived, how many were answered, and the average and longest
    time to answer, in days (None while none is answered)."""

    month: dt.date
    arrived: int
    answered: int
    average_days: float | None
    longest_days: float | None


def _days(value: dt.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def _waited(end: str, start: str) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def request_decision_times_by_month(*, scope: ReportScope) -> list[WaitTimes]:
    """Requests for information received by the scope's agencies, by month received: how
    many, how many are answered by a signed decision, and the time from receipt to that
    decision's signing (004 "Timely": information shared in time reduces the risk of
    missed opportunities to protect a child). The team is that of the decision's maker."""
    requests = InformationRequest.objects.filter(to_agency_id__in=scope.agency_ids).filter(
        _in_period("received_at", scope)
    )
    if scope.team_id is not None:
        requests = requests.filter(decision__created_by_id__in=_team_members(scope.team_id))
    decided = Q(decision__signed_at__isnull=False)
    rows = (
        requests.annotate(month=_month("received_at"))
        .values("month")
        .annotate(
            arrived=Count("id"),
            answered=Count("id", filter=decided),
            average=Avg(_waited("decision__signed_at", "received_at"), filter=decided),
            longest=Max(_waited("decision__signed_at", "received_at"), filter=decided),
        )
        .order_by("month")
    )
    return [
        WaitTimes(
            row["month"],
            row["arrived"],
            row["answered"],
            _days(row["average"]),
            _days(row["longest"]),
        )
        for row in rows
    ]


def advice_times_by_month(*, scope: ReportScope) -> list[WaitTimes]:
    """Advice requests sent to the agencies' safeguarding leads, by month sent: how many,
    how many answered, and how fast (golden rule 3: seek advice if in any doubt; 003
    3.45). Drafts never sent are not requests. The team is that of the practitioner who
    asked."""
    advice = AdviceRequest.objects.filter(
        agency_id__in=scope.agency_ids, sent_at__isnull=False
    ).filter(_in_period("sent_at", scope))
    if scope.team_id is not None:
        advice = advice.filter(asked_by_id__in=_team_members(scope.team_id))
    answered = Q(answered_at__isnull=False)
    rows = (
        advice.annotate(month=_month("sent_at"))
        .values("month")
        .annotate(
            arrived=Count("id"),
            answered=Count("id", filter=answered),
            average=Avg(_waited("answered_at", "sent_at"), filter=answered),
            longest=Max(_waited("answered_at", "sent_at"), filter=answered),
        )
        .order_by("month")
    )
    return [
        WaitTimes(
            row["month"],
            row["arrived"],
            row["answered"],
            _days(row["average"]),
            _days(row["longest"]),
        )
        for row in rows
    ]


# --- What is waiting now --------------------------------------------------------------


class MonthTotal(NamedTuple):
    month: dt.date
    total: int


class DisclosuresWaiting(NamedTuple):
    """Per month sent: disclosures through Sharewise whose recipient has not acknowledged
    the limits on onward sharing, and how many of those are not even opened."""

    month: dt.date
    unacknowledged: int
    unread: int


def followups_overdue_by_month_due(*, scope: ReportScope) -> list[MonthTotal]:
    """Active follow-ups past their due date on `scope.today`, by the month they fell due
    (003 case example 3: "fully documented so that everyone is clear who is responsible").
    The state today: the period does not apply. The team is the owner's."""
    followups = FollowUp.objects.filter(
        agency_id__in=scope.agency_ids,
        status=FollowUpStatus.ACTIVE,
        next_due__lt=scope.today,
    )
    if scope.team_id is not None:
        followups = followups.filter(owner_id__in=_team_members(scope.team_id))
    rows = (
        followups.annotate(month=_month("next_due"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return [MonthTotal(row["month"], row["count"]) for row in rows]


def protocols_due_for_review_by_month(*, scope: ReportScope) -> list[MonthTotal]:
    """Protocols in force to which a scope agency is a party, whose review date has passed
    or falls within REVIEW_WINDOW_DAYS of `scope.today`, by the month of that date (001
    module 4, information sharing protocols). The state today: the period and the team do
    not apply, a protocol is the agency's."""
    rows = (
        Protocol.objects.filter(
            status=ProtocolStatus.IN_FORCE,
            parties__in=scope.agency_ids,
            review_date__lt=scope.today + dt.timedelta(days=REVIEW_WINDOW_DAYS),
        )
        .annotate(month=_month("review_date"))
        .values("month")
        # Distinct: a protocol between two of the scope's agencies joins twice.
        .annotate(count=Count("id", distinct=True))
        .order_by("month")
    )
    return [MonthTotal(row["month"], row["count"]) for row in rows]


def disclosures_unacknowledged_by_month(*, scope: ReportScope) -> list[DisclosuresWaiting]:
    """Disclosures the scope's agencies sent through Sharewise, not withdrawn, whose
    recipient has not yet acknowledged the limits on onward sharing, by month sent
    (DESIGN.md capability 5). Only those sent through Sharewise can be acknowledged in it.
    The team is the sender's."""
    disclosures = Disclosure.objects.filter(
        agency_id__in=scope.agency_ids,
        channel=DisclosureChannel.SHAREWISE,
        withdrawn_at__isnull=True,
        acknowledged_at__isnull=True,
    ).filter(_in_period("sent_at", scope))
    if scope.team_id is not None:
        disclosures = disclosures.filter(sent_by_id__in=_team_members(scope.team_id))
    rows = (
        disclosures.annotate(month=_month("sent_at"))
        .values("month")
        .annotate(
            unacknowledged=Count("id"),
            unread=Count("id", filter=Q(opened_at__isnull=True)),
        )
        .order_by("month")
    )
    return [DisclosuresWaiting(row["month"], row["unacknowledged"], row["unread"]) for row in rows]


# --- Audit reports ---------------------------------------------------------------------


class AuditSummaryRow(NamedTuple):
    """How often one user did one thing, and when first and last."""

    who: str
    verb: str
    object_type: str
    times: int
    first_at: dt.datetime
    last_at: dt.datetime


def _summary(entries: QuerySet[AuditEntry]) -> list[AuditSummaryRow]:
    rows = (
        entries.values("actor_username", "verb", "object_type")
        .annotate(count=Count("id"), first_at=Min("at"), last_at=Max("at"))
        .order_by("-last_at", "actor_username", "verb", "object_type")
    )
    return [
        AuditSummaryRow(
            row["actor_username"],
            row["verb"],
            row["object_type"],
            row["count"],
            row["first_at"],
            row["last_at"],
        )
        for row in rows
    ]


def person_audit_summary(*, user: Any, person: Person) -> list[AuditSummaryRow]:
    """Who has done what with the records about `person` (the person, and every decision,
    consent, disclosure... about them: `audit_append` sets them as the target), how often,
    first and last. `person` must come from `person_get_for_user`; the role is that of the
    who-viewed page (audit.selectors): the agency's safeguarding leads and auditors."""
    if not user_sees_record_views(user=user, person=person):
        raise PermissionDenied(
            "Only the agency's safeguarding leads and auditors can see who has viewed a record"
        )
    return _summary(AuditEntry.objects.filter(target_type="person", target_id=str(person.pk)))


@dataclass(frozen=True)
class AuditSubject:
    """A user whose audit report is read, and the agencies the reader may see them in."""

    user: Any
    agency_ids: frozenset[int]


def audit_subject_get(*, viewer: Any, user_id: int) -> AuditSubject:
    """The user `user_id`, for `viewer` to read their audit report. A user who works in
    none of the viewer's agencies does not exist for them (NotFound); in a shared agency,
    only its managers and auditors may read it (PermissionDenied)."""
    memberships = list(
        Membership.objects.filter(user=viewer)
        .exclude(role=Role.PARTNERSHIP_ADMIN)
        .values_list("role", "agency_id")
    )
    viewer_agencies = {agency_id for _, agency_id in memberships}
    subject_agencies = set(
        Membership.objects.filter(user_id=user_id, agency_id__in=viewer_agencies)
        .exclude(role=Role.PARTNERSHIP_ADMIN)
        .values_list("agency_id", flat=True)
    )
    if not subject_agencies:
        raise NotFound("There is no such user in your agency")
    monitored = {agency_id for role, agency_id in memberships if role in MONITOR_ROLES}
    shared = frozenset(subject_agencies & monitored)
    if not shared:
        raise PermissionDenied("Only the agency's managers and auditors can read a user's audit")
    return AuditSubject(get_user_model().objects.get(pk=user_id), shared)


def _subject_entries(
    subject: AuditSubject, date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[AuditEntry]:
    # What the user did in the agencies the reader monitors, nothing of their work in
    # another agency (3.15).
    scope = ReportScope(subject.agency_ids, timezone.localdate(), None, date_from, date_to)
    return AuditEntry.objects.filter(actor=subject.user, agency_id__in=subject.agency_ids).filter(
        _in_period("at", scope)
    )


def user_audit_summary(
    *, subject: AuditSubject, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[AuditSummaryRow]:
    """What the user did, what kind of record with, how often, first and last."""
    return _summary(_subject_entries(subject, date_from, date_to))


def user_audit_entries(
    *, subject: AuditSubject, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[AuditEntry]:
    """The user's newest entries in the period, newest first."""
    return list(_subject_entries(subject, date_from, date_to).order_by("-id")[:USER_ENTRIES_SHOWN])
