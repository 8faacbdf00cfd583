"""The monitoring figures against the known records of conftest.py: each selector is one
aggregate query, and its numbers are those the records add up to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sharewise.common import PermissionDenied, ServiceError
from sharewise.reports import selectors
from sharewise.reports.selectors import MonthCount, ReportScope

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def scope_for(user: Any, **filters: Any) -> ReportScope:
    access = selectors.report_access_for_user(user=user)
    return selectors.report_scope(access=access, today=timezone.localdate(), **filters)


def test_decisions_by_outcome_and_month_count_each_signed_decision_once(
    monitoring: Any, django_assert_num_queries: Any
) -> None:
    scope = scope_for(monitoring.people.manager_a)
    with django_assert_num_queries(1):
        rows = selectors.decisions_by_outcome_month(scope=scope)
    # D6 was corrected by D7 (do not share): only D7 counts. D8 is a draft.
    assert rows == [
        MonthCount(JAN, "do_not_share", 1),
        MonthCount(JAN, "share", 2),
        MonthCount(FEB, "must_share", 1),
        MonthCount(FEB, "share", 1),
        MonthCount(MAR, "do_not_share", 1),
    ]


def test_decisions_to_share_by_lawful_basis(monitoring: Any) -> None:
    rows = selectors.decisions_by_basis_month(scope=scope_for(monitoring.people.auditor_a))
    assert rows == [
        MonthCount(JAN, "public_task", 2),
        MonthCount(FEB, "consent", 1),
        MonthCount(FEB, "legal_obligation", 1),
    ]


def test_shares_without_consent_and_decisions_not_to_share(
    monitoring: Any, django_assert_num_queries: Any
) -> None:
    scope = scope_for(monitoring.people.manager_a)
    with django_assert_num_queries(1):
        rows = selectors.decision_totals_by_month(scope=scope)
    assert rows == [
        selectors.DecisionTotals(JAN, decided=3, shared=2, shared_without_consent=2, not_shared=1),
        # A duty to share is a share without consent; the share with consent is not.
        selectors.DecisionTotals(FEB, decided=2, shared=2, shared_without_consent=1, not_shared=0),
        selectors.DecisionTotals(MAR, decided=1, shared=0, shared_without_consent=0, not_shared=1),
    ]


def test_time_from_request_to_signed_decision(
    monitoring: Any, django_assert_num_queries: Any
) -> None:
    scope = scope_for(monitoring.people.manager_a)
    with django_assert_num_queries(1):
        rows = selectors.request_decision_times_by_month(scope=scope)
    assert rows == [
        selectors.WaitTimes(JAN, arrived=1, answered=1, average_days=10.0, longest_days=10.0),
        selectors.WaitTimes(FEB, arrived=1, answered=0, average_days=None, longest_days=None),
    ]


def test_advice_requests_and_how_fast_they_were_answered(
    monitoring: Any, django_assert_num_queries: Any
) -> None:
    scope = scope_for(monitoring.people.manager_a)
    with django_assert_num_queries(1):
        (row,) = selectors.advice_times_by_month(scope=scope)
    assert (row.month, row.arrived, row.answered) == (FEB, 2, 1)
    assert row.average_days is not None and row.longest_days is not None
    assert round(row.average_days * 24, 6) == 6.0
    assert round(row.longest_days * 24, 6) == 6.0


def test_overdue_followups_protocols_due_and_unacknowledged_disclosures(
    monitoring: Any, django_assert_num_queries: Any
) -> None:
    scope = scope_for(monitoring.people.manager_a)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        followups = selectors.followups_overdue_by_month_due(scope=scope)
        protocols = selectors.protocols_due_for_review_by_month(scope=scope)
        disclosures = selectors.disclosures_unacknowledged_by_month(scope=scope)
    # The follow-up due a month from now is not overdue.
    assert followups == [selectors.MonthTotal(FEB, 1)]
    # The protocol due for review in a year is not due.
    review = (today + dt.timedelta(days=30)).replace(day=1)
    assert protocols == [selectors.MonthTotal(review, 1)]
    # The disclosure acknowledged on 16 January is not waiting; the other is not even read.
    assert disclosures == [selectors.DisclosuresWaiting(JAN, unacknowledged=1, unread=1)]


def test_the_team_filter_counts_what_its_members_made(monitoring: Any) -> None:
    scope = scope_for(monitoring.people.manager_a, team_id=monitoring.team.pk)
    totals = selectors.decision_totals_by_month(scope=scope)
    # D4 was made by lead A, who is in no team.
    assert [(r.month, r.decided) for r in totals] == [(JAN, 3), (FEB, 1), (MAR, 1)]
    (advice,) = selectors.advice_times_by_month(scope=scope)
    assert advice.arrived == 2
    requests = selectors.request_decision_times_by_month(scope=scope)
    # Only the decided request has a decision maker, who is in the team.
    assert [(r.month, r.arrived) for r in requests] == [(JAN, 1)]


def test_the_period_filter_keeps_its_last_day(monitoring: Any) -> None:
    scope = scope_for(
        monitoring.people.manager_a, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 6)
    )
    rows = selectors.decisions_by_outcome_month(scope=scope)
    assert rows == [MonthCount(FEB, "must_share", 1), MonthCount(FEB, "share", 1)]
    scope = scope_for(
        monitoring.people.manager_a, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 5)
    )
    assert selectors.decisions_by_outcome_month(scope=scope) == [MonthCount(FEB, "share", 1)]


def test_a_manager_of_a_sees_nothing_of_b_and_an_admin_sees_every_agency(
    monitoring: Any,
) -> None:
    p = monitoring.people
    a_january = selectors.decision_totals_by_month(scope=scope_for(p.manager_a))[0]
    assert a_january.decided == 3
    admin_access = selectors.report_access_for_user(user=p.admin)
    assert admin_access.counts_only
    assert {p.agency_a.pk, p.agency_b.pk} <= admin_access.agency_ids
    everyone = selectors.decision_totals_by_month(scope=scope_for(p.admin))
    # DB1, agency B's decision of 11 January, is counted for the partnership only.
    assert everyone[0].decided == 4
    only_b = selectors.decision_totals_by_month(scope=scope_for(p.admin, agency_id=p.agency_b.pk))
    assert [(r.month, r.decided) for r in only_b] == [(JAN, 1)]


def test_filters_outside_what_the_user_may_see_are_refused(monitoring: Any) -> None:
    p = monitoring.people
    with pytest.raises(ServiceError) as refused:
        scope_for(p.manager_a, agency_id=p.agency_b.pk)
    assert refused.value.field == "agency"
    b_team = type(monitoring.team).objects.create(agency=p.agency_b, name="Public protection")
    with pytest.raises(ServiceError) as refused:
        scope_for(p.manager_a, team_id=b_team.pk)
    assert refused.value.field == "team"
    with pytest.raises(ServiceError):
        scope_for(p.manager_a, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 2, 1))


@pytest.mark.parametrize("persona", ["practitioner_a", "lead_a", "practitioner_b", "outsider"])
def test_only_managers_auditors_and_administrators_monitor(monitoring: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        selectors.report_access_for_user(user=getattr(monitoring.people, persona))
