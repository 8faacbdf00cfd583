"""The minimum-count rule on the dashboards, their CSV and their charts, against the known
records of conftest.py: agency A signed three decisions in January 2026 (two to share,
one not to), agency B one. A partnership administrator sees "Fewer than 5"; manager A,
who may open A's records, sees 3. And every export escapes a cell that would start a
formula."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sharewise.reports import selectors
from sharewise.reports.dashboards import DASHBOARDS, dashboard_shown
from sharewise.reports.selectors import MonthCount, ReportScope
from tests.reports.test_pages import DASHBOARD, PERIOD_2026_Q1, client_as, shown

pytestmark = pytest.mark.django_db

FEWER = "Fewer than 5"
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
SHARE_COLOUR = "#1d70b8"


def csv_rows(client: Any, slug: str, query: dict[str, Any]) -> list[list[str]]:
    response = client.get(reverse("reports:dashboard_csv", args=[slug]), query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_an_administrator_sees_fewer_than_5_where_a_manager_sees_3(
    monitoring: Any, sign_in: Any
) -> None:
    p = monitoring.people
    only_a = {**PERIOD_2026_Q1, "agency": p.agency_a.pk}
    admin = client_as(p.admin, sign_in).get(DASHBOARD, only_a)
    manager = client_as(p.manager_a, sign_in).get(DASHBOARD, only_a)

    admin_january = shown(admin, "decisions-by-outcome").table.rows[0]
    manager_january = shown(manager, "decisions-by-outcome").table.rows[0]
    # Share 2, must share 0, do not share 1, total 3.
    assert manager_january == ("January 2026", "2", "0", "1", "3")
    assert admin_january == ("January 2026", FEWER, "0", FEWER, FEWER)
    assert shown(admin, "shares-without-consent").table.rows[0] == (
        "January 2026",
        FEWER,
        FEWER,
        FEWER,
        FEWER,
    )
    # An average of one answer is that one answer: hidden with its count.
    assert shown(admin, "advice-times").table.rows[1] == (
        "February 2026",
        FEWER,
        FEWER,
        "Not shown: fewer than 5 answered",
        "Not shown: fewer than 5 answered",
    )
    assert shown(manager, "advice-times").table.rows[1] == ("February 2026", "2", "1", "6.0", "6.0")
    # The administrator's page says why; the manager's has no such note.
    admin_page = admin.content.decode()
    assert "are shown as \u201cFewer than 5\u201d" in admin_page
    assert "shown only as fewer than 5" in admin_page
    assert "Fewer than" not in manager.content.decode()


def test_the_partnership_figures_keep_the_rule_too(monitoring: Any, sign_in: Any) -> None:
    # A and B together signed 4 in January: a partnership figure could otherwise be set
    # against an agency's to work out the other's.
    response = client_as(monitoring.people.admin, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    assert shown(response, "decisions-by-outcome").table.rows[0][-1] == FEWER


def test_the_csv_keeps_the_rule_as_the_page_does(monitoring: Any, sign_in: Any) -> None:
    p = monitoring.people
    only_a = {**PERIOD_2026_Q1, "agency": p.agency_a.pk}
    admin = client_as(p.admin, sign_in)
    manager = client_as(p.manager_a, sign_in)
    admin_page = admin.get(DASHBOARD, only_a)
    for slug in DASHBOARDS:
        table = shown(admin_page, slug).table
        assert csv_rows(admin, slug, only_a) == [list(table.headers), *map(list, table.rows)]
    assert csv_rows(admin, "decisions-by-outcome", only_a)[1] == [
        "January 2026",
        FEWER,
        "0",
        FEWER,
        FEWER,
    ]
    assert csv_rows(manager, "decisions-by-outcome", only_a)[1] == [
        "January 2026",
        "2",
        "0",
        "1",
        "3",
    ]


def test_a_suppressed_count_is_not_drawn(monitoring: Any, sign_in: Any) -> None:
    p = monitoring.people
    only_a = {**PERIOD_2026_Q1, "agency": p.agency_a.pk}
    admin = client_as(p.admin, sign_in).get(DASHBOARD, only_a)
    manager = client_as(p.manager_a, sign_in).get(DASHBOARD, only_a)
    # Every figure of A is below 5: the administrator gets no bars at all.
    assert all(item.chart_svg == "" for item in admin.context["shown"])
    assert "<svg" not in admin.content.decode()
    assert (
        "Nothing to chart: every figure is nought or too small to show." in admin.content.decode()
    )
    assert shown(manager, "decisions-by-outcome").chart_svg.startswith("<svg")
    # The chart's data itself holds no hidden count.
    scope = selectors.report_scope(
        access=selectors.report_access_for_user(user=p.admin),
        today=timezone.localdate(),
        agency_id=p.agency_a.pk,
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 3, 31),
    )
    for dashboard in DASHBOARDS.values():
        chart = dashboard.figures_for(scope).chart
        assert all(value == 0.0 for one in chart.series for value in one.values), dashboard.slug


def _bar_heights(svg: str, colour: str) -> list[float]:
    """The heights of the bars of one colour, left to right, from matplotlib's paths."""
    bars = []
    for path in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path"):
        if path.get("fill") != colour or "clip-path" not in path.attrib:
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        xs, ys = numbers[0::2], numbers[1::2]
        bars.append((min(xs), max(ys) - min(ys)))
    return [height for _, height in sorted(bars)]


def test_a_chart_draws_a_hidden_count_as_no_bar_and_the_rest_rounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # January 3 shares (hidden), February 12 (shown as 10).
    rows = [MonthCount(JAN, "share", 3), MonthCount(FEB, "share", 12)]
    monkeypatch.setattr(selectors, "decisions_by_outcome_month", lambda *, scope: rows)
    period = ReportScope(frozenset({1}), dt.date(2026, 3, 1), None, JAN, dt.date(2026, 2, 28))
    dashboard = DASHBOARDS["decisions-by-outcome"]

    held = dashboard_shown(dashboard, dataclasses.replace(period, minimum_count=5))
    assert held.table.rows == (
        ("January 2026", FEWER, "0", "0", FEWER),
        ("February 2026", "10", "0", "0", "10"),
    )
    january, february = _bar_heights(held.chart_svg, SHARE_COLOUR)
    assert january == 0.0 and february > 0

    exact = dashboard_shown(dashboard, period)
    exact_january, exact_february = _bar_heights(exact.chart_svg, SHARE_COLOUR)
    # As the numbers are: the January bar a quarter of February's.
    assert exact_january == pytest.approx(exact_february * 3 / 12, rel=0.01)


def test_an_administrator_who_manages_an_agency_sees_its_counts_as_they_are(
    monitoring: Any,
) -> None:
    p = monitoring.people
    access = dataclasses.replace(
        selectors.report_access_for_user(user=p.admin),
        monitored_ids=frozenset({p.agency_a.pk}),
        counts_only=False,
    )
    today = timezone.localdate()
    assert (
        selectors.report_scope(access=access, today=today, agency_id=p.agency_a.pk).minimum_count
        is None
    )
    assert selectors.report_scope(access=access, today=today).minimum_count == 5
    assert (
        selectors.report_scope(access=access, today=today, agency_id=p.agency_b.pk).minimum_count
        == 5
    )
    manager = selectors.report_access_for_user(user=p.manager_a)
    assert selectors.report_scope(access=manager, today=today).minimum_count is None
    assert (
        selectors.report_scope(
            access=manager, today=today, team_id=monitoring.team.pk
        ).minimum_count
        is None
    )


def test_the_minimum_is_a_setting(monitoring: Any, sign_in: Any, settings: Any) -> None:
    settings.SHAREWISE_REPORTS_MINIMUM_COUNT = 1
    response = client_as(monitoring.people.admin, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    assert shown(response, "decisions-by-outcome").table.rows[0][-1] == "4"
    settings.SHAREWISE_REPORTS_MINIMUM_COUNT = 3
    response = client_as(monitoring.people.admin, sign_in).get(
        DASHBOARD, {**PERIOD_2026_Q1, "agency": monitoring.people.agency_a.pk}
    )
    # 2 shares is fewer than 3; 3 decisions is shown, rounded to the nearest 3.
    assert shown(response, "decisions-by-outcome").table.rows[0] == (
        "January 2026",
        "Fewer than 3",
        "0",
        "Fewer than 3",
        "3",
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_dashboard_csv_writes_a_formula_as_text(
    monitoring: Any, sign_in: Any, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    # A lawful basis Sharewise does not know is headed by its stored value, which an
    # imported decision could set to anything.
    stored = f'{start}HYPERLINK("https://example.org")'
    rows = [MonthCount(JAN, stored, 7), MonthCount(JAN, "public_task", 2)]
    monkeypatch.setattr(selectors, "decisions_by_basis_month", lambda *, scope: rows)
    client = client_as(monitoring.people.manager_a, sign_in)
    header, january, *_ = csv_rows(client, "decisions-by-basis", PERIOD_2026_Q1)
    assert "'" + stored in header
    assert stored not in header
    # The counts are still numbers.
    assert january == ["January 2026", "2", "7", "9"]
