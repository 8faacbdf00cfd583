"""The monitoring pages: the dashboards with their filters, each dashboard's table as CSV,
and the audit reports of a person's records and of a user's work (DESIGN.md capability 9;
000 module 4, "mechanisms for monitoring and auditing information sharing practice").

Views only read the filters and call the selectors; every page that shows the audit log
and every export is itself recorded in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sharewise.agencies.models import Agency
from sharewise.audit.models import Outcome
from sharewise.audit.selectors import audit_entries_for_person
from sharewise.audit.services import audit_append
from sharewise.audit.views import VERB_LABELS
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import LEAD_OR_AUDITOR, REPORTS_MONITOR, USER_AUDIT, access
from sharewise.web.csv_export import csv_response
from sharewise.web.forms import FormErrors, date_from_values

from . import selectors
from .dashboards import DASHBOARDS, Dashboard, dashboard_shown
from .selectors import ReportAccess, ReportScope

# The period shown when none is chosen: this month and the eleven before it.
DEFAULT_MONTHS = 12
MAX_ID_DIGITS = 18

# What this app's own audit entries mean, with the audit app's words for the rest.
REPORT_VERB_LABELS = {
    **VERB_LABELS,
    "report.view": "Looked at the monitoring dashboards",
    "report.export": "Exported a monitoring table as CSV",
    "report.person_audit": "Read the audit report of a person's records",
    "report.user_audit": "Read the audit report of a user",
}


def _date(query: QueryDict, name: str, errors: FormErrors, label: str) -> dt.date | None:
    """A GOV.UK date input (name-day, name-month, name-year) from the query; blank is None."""
    return date_from_values(query, name, errors, label, example="1 4 2026")


def _number(query: QueryDict, name: str, errors: FormErrors, message: str) -> int | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    # An id is at most a 64-bit integer to the database; a longer number is no agency's,
    # and would fail in the query with a server error.
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_ID_DIGITS:
        errors.add(name, message)
        return None
    return int(value)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    month = today.replace(day=1)
    for _ in range(DEFAULT_MONTHS - 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month, today


@dataclass
class Filters:
    access: ReportAccess
    scope: ReportScope | None
    errors: FormErrors
    agency_id: int | None
    team_id: int | None
    date_from: dt.date | None
    date_to: dt.date | None


def _filters(request: HttpRequest) -> Filters:
    """Who may see what, and the filters chosen; an unsigned user, or one who monitors no
    agency, is refused here (403)."""
    try:
        report_access = selectors.report_access_for_user(user=request.user)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    query = request.GET
    errors = FormErrors()
    today = timezone.localdate()
    chosen = "date_from-year" in query or "date_to-year" in query
    date_from, date_to = (None, None) if chosen else default_period(today)
    if chosen:
        date_from = _date(query, "date_from", errors, "The start of the period")
        date_to = _date(query, "date_to", errors, "The end of the period")
    agency_id = _number(query, "agency", errors, "Choose one of the agencies listed")
    team_id = _number(query, "team", errors, "Choose one of the teams listed")
    scope = None
    if not errors:
        try:
            scope = selectors.report_scope(
                access=report_access,
                today=today,
                agency_id=agency_id,
                team_id=team_id,
                date_from=date_from,
                date_to=date_to,
            )
        except ServiceError as exc:
            errors.add_service_error(exc)
    return Filters(report_access, scope, errors, agency_id, team_id, date_from, date_to)


def _scope_details(scope: ReportScope) -> dict[str, Any]:
    # What was looked at, for the audit entry: ids and dates only.
    return {
        "agencies": sorted(scope.agency_ids),
        "team": scope.team_id,
        "from": scope.date_from.isoformat() if scope.date_from else None,
        "to": scope.date_to.isoformat() if scope.date_to else None,
    }


def _single_agency(scope: ReportScope, agencies: tuple[Agency, ...]) -> Agency | None:
    if len(scope.agency_ids) != 1:
        return None
    return next((a for a in agencies if a.pk in scope.agency_ids), None)


@access(REPORTS_MONITOR)
@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    scope = filters.scope
    shown = [] if scope is None else [dashboard_shown(d, scope) for d in DASHBOARDS.values()]
    users = (
        []
        if filters.access.counts_only
        else selectors.report_users(agency_ids=filters.access.monitored_ids)
    )
    if scope is not None:
        audit_append(
            actor=request.user,
            verb="report.view",
            agency=_single_agency(scope, filters.access.agencies),
            details=_scope_details(scope),
            request=request,
        )
    context = {
        "filters": filters,
        "errors": filters.errors,
        "agencies": filters.access.agencies,
        "teams": selectors.report_teams(access=filters.access),
        "shown": shown,
        "users": users,
        "values": _date_values(request.GET)
        if "date_from-year" in request.GET or "date_to-year" in request.GET
        else _default_values(filters),
        "query": request.GET.urlencode(),
        "counts_only": filters.access.counts_only,
        "minimum_count": settings.SHAREWISE_REPORTS_MINIMUM_COUNT,
    }
    status = 400 if filters.errors else 200
    return render(request, "reports/dashboard.html", context, status=status)


def _csv_name(dashboard: Dashboard, scope: ReportScope) -> str:
    period = "-".join(
        day.isoformat() for day in (scope.date_from, scope.date_to) if day is not None
    )
    return f"sharewise-{dashboard.slug}{'-' + period if period else ''}.csv"


@access(REPORTS_MONITOR)
@require_safe
@login_required
def dashboard_csv(request: HttpRequest, dashboard_slug: str) -> HttpResponse:
    shown = DASHBOARDS.get(dashboard_slug)
    if shown is None:
        raise Http404("There is no such dashboard")
    filters = _filters(request)
    scope = filters.scope
    if scope is None:
        problems = "; ".join(message for _, message in filters.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    table = shown.figures_for(scope).table
    audit_append(
        actor=request.user,
        verb="report.export",
        agency=_single_agency(scope, filters.access.agencies),
        details={"dashboard": shown.slug, **_scope_details(scope)},
        request=request,
    )
    # The same cells as the page's table, the minimum-count rule applied alike.
    return csv_response(filename=_csv_name(shown, scope), header=table.headers, rows=table.rows)


def _audit_rows(entries: Any) -> list[dict[str, Any]]:
    return [
        {
            "at": entry.at,
            "who": entry.actor_username or "Sharewise (no signed-in user)",
            "what": REPORT_VERB_LABELS.get(entry.verb, entry.verb),
            "record": f"{entry.object_type} {entry.object_id}".strip(),
            "denied": entry.outcome == Outcome.DENIED,
        }
        for entry in entries
    ]


def _summary_rows(summary: list[selectors.AuditSummaryRow]) -> list[dict[str, Any]]:
    return [
        {
            "who": row.who or "Sharewise (no signed-in user)",
            "what": REPORT_VERB_LABELS.get(row.verb, row.verb),
            "record_kind": row.object_type,
            "count": row.times,
            "first_at": row.first_at,
            "last_at": row.last_at,
        }
        for row in summary
    ]


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def person_audit(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        summary = selectors.person_audit_summary(user=request.user, person=person)
        # The listing is the who-viewed page's own selector, newest first.
        entries = list(audit_entries_for_person(user=request.user, person=person))
    except PermissionDenied as exc:
        # A refused look at the audit trail is itself worth recording.
        audit_append(
            actor=request.user,
            verb="report.person_audit",
            obj=person,
            outcome=Outcome.DENIED,
            request=request,
        )
        raise HttpForbidden(exc.message) from exc
    audit_append(actor=request.user, verb="report.person_audit", obj=person, request=request)
    context = {
        "person": person,
        "summary": _summary_rows(summary),
        "rows": _audit_rows(entries),
    }
    return render(request, "reports/person_audit.html", context)


@access(USER_AUDIT)
@require_safe
@login_required
def user_audit(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        subject = selectors.audit_subject_get(viewer=request.user, user_id=user_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        audit_append(
            actor=request.user,
            verb="report.user_audit",
            outcome=Outcome.DENIED,
            details={"user": user_id},
            request=request,
        )
        raise HttpForbidden(exc.message) from exc
    errors = FormErrors()
    date_from = _date(request.GET, "date_from", errors, "The start of the period")
    date_to = _date(request.GET, "date_to", errors, "The end of the period")
    if date_from and date_to and date_from > date_to:
        errors.add("date_from", "The start of the period must be before its end")
    summary: list[selectors.AuditSummaryRow] = []
    entries = []
    if not errors:
        summary = selectors.user_audit_summary(
            subject=subject, date_from=date_from, date_to=date_to
        )
        entries = selectors.user_audit_entries(
            subject=subject, date_from=date_from, date_to=date_to
        )
        audit_append(
            actor=request.user,
            verb="report.user_audit",
            obj=subject.user,
            agency=Agency.objects.get(pk=min(subject.agency_ids)),
            details={
                "user": user_id,
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None,
            },
            request=request,
        )
    context = {
        "subject": subject.user,
        "errors": errors,
        "values": _date_values(request.GET),
        "summary": _summary_rows(summary),
        "rows": _audit_rows(entries),
        "shown_limit": selectors.USER_ENTRIES_SHOWN,
    }
    return render(request, "reports/user_audit.html", context, status=400 if errors else 200)


def _default_values(filters: Filters) -> dict[str, dict[str, str]]:
    days = {"date_from": filters.date_from, "date_to": filters.date_to}
    return {
        name: {"day": str(d.day), "month": str(d.month), "year": str(d.year)} if d else {}
        for name, d in days.items()
    }


def _date_values(query: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """What was typed in the date inputs, to show it again."""
    return {
        name: {part: query.get(f"{name}-{part}", "") for part in ("day", "month", "year")}
        for name in ("date_from", "date_to")
    }
