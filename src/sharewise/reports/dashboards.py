"""The dashboards: each one figure of `selectors`, laid out as a table (the page's and the
CSV export's, cell for cell) and the chart drawn from it.

A table is built from the selector's few rows with no further query. Months with nothing
in them are shown as nought over the period chosen, so that a quiet month is seen, not
skipped; the figures of what stands today (overdue follow-ups, protocols due for review)
list only the months that have any.

Every count goes through the minimum-count rule of `small_numbers` on its way into a table
or a chart: for a partnership administrator looking at agencies they do not monitor, a
count from 1 to 4 is "Fewer than 5" in the table and the CSV and no bar in the chart, and
the others are rounded; for a manager or an auditor of the agencies counted, nothing
changes. The rule is applied here, once for the page and the CSV alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sharewise.decisions.models import Article6Basis

from . import selectors
from .charts import Series, bar_chart_svg
from .selectors import ReportScope
from .small_numbers import ShownCount, count_shown, fewer_than, figure_shown

# The engine's outcomes (the packs' flow.toml), in the order a reader expects.
OUTCOME_LABELS = {
    "share": "Share",
    "must_share": "Must share (required by law)",
    "do_not_share": "Do not share",
    "seek_consent": "Seek consent",
    "seek_advice": "Seek advice",
}
BASIS_LABELS = {
    Article6Basis.CONSENT.value: "Consent",
    Article6Basis.LEGAL_OBLIGATION.value: "Legal obligation",
    Article6Basis.VITAL_INTERESTS.value: "Vital interests",
    Article6Basis.PUBLIC_TASK.value: "Public task",
    Article6Basis.RECOGNISED_LEGITIMATE_INTEREST.value: "Recognised legitimate interest",
    Article6Basis.LEGITIMATE_INTERESTS.value: "Legitimate interests",
    "": "Not recorded",
}
NO_FIGURE = "None answered"


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # What the minimum-count rule did to the figures, said under the table ("" if nothing).
    note: str = ""
    # Whether any figure is hidden as too small to show.
    hidden: bool = False

    @property
    def numeric(self) -> tuple[bool, ...]:
        # Every column but the first (the month) holds figures.
        return tuple(index > 0 for index in range(len(self.headers)))


@dataclass(frozen=True)
class ChartData:
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str
    stacked: bool = True
    whole_numbers: bool = True


@dataclass(frozen=True)
class Figures:
    table: Table
    chart: ChartData


@dataclass(frozen=True)
class Dashboard:
    """One dashboard: its address (`slug`, also the CSV's name), what it shows, and how its
    figures are made from a scope."""

    slug: str
    title: str
    summary: str
    figures_for: Callable[[ReportScope], Figures]
    # Whether the figure is the state today, which the period does not narrow.
    as_of_today: bool = False


@dataclass(frozen=True)
class ShownDashboard:
    dashboard: Dashboard
    table: Table
    chart_svg: str


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_of_period(scope: ReportScope, seen: Iterable[dt.date]) -> list[dt.date]:
    """Every month of the scope's period, from its first month (or the first with any
    record) to its last (or today's)."""
    seen = sorted(seen)
    first = _month_start(scope.date_from) if scope.date_from else (seen[0] if seen else None)
    last = _month_start(scope.date_to or scope.today)
    if seen and seen[-1] > last:
        last = seen[-1]
    if first is None:
        first = last
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


def _short(month: dt.date) -> str:
    return f"{month:%b %Y}"


class Counts:
    """The counts of one table as the scope's reader may see them, remembering whether any
    was hidden, for the note under the table."""

    def __init__(self, scope: ReportScope) -> None:
        self.minimum = scope.minimum_count
        self.hidden = False

    def shown(self, count: int) -> ShownCount:
        one = count_shown(count, minimum=self.minimum)
        self.hidden = self.hidden or one.hidden
        return one

    def text(self, count: int) -> str:
        return self.shown(count).text

    def height(self, count: int) -> float:
        return self.shown(count).height

    def figure(self, value: float | None, *, based_on: int) -> tuple[str, float | None]:
        text, height = figure_shown(
            value, based_on=based_on, minimum=self.minimum, none_text=NO_FIGURE
        )
        if value is not None and height is None:
            self.hidden = True
        return text, height

    def table(
        self, caption: str, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]
    ) -> Table:
        minimum = self.minimum
        note = ""
        if minimum is not None and minimum > 1:
            note = (
                f"Counts from 1 to {minimum - 1} are shown as \u201c{fewer_than(minimum)}\u201d "
                f"and not drawn; the other counts are rounded to the nearest {minimum}, each "
                "on its own, so a total may not be the sum of the figures beside it."
            )
        return Table(caption, headers, tuple(rows), note=note, hidden=self.hidden)


def _by_key(
    rows: Sequence[selectors.MonthCount],
    scope: ReportScope,
    labels: dict[str, str],
    caption: str,
    first_header: str,
    value_label: str,
    always: Sequence[str],
) -> Figures:
    counts: dict[tuple[dt.date, str], int] = {(r.month, r.key): r.total for r in rows}
    keys = [k for k in labels if k in always or any(r.key == k for r in rows)]
    keys += sorted({r.key for r in rows} - set(keys))
    months = months_of_period(scope, (r.month for r in rows))
    shown = Counts(scope)
    table_rows = []
    for month in months:
        values = [counts.get((month, key), 0) for key in keys]
        table_rows.append((month_label(month), *map(shown.text, values), shown.text(sum(values))))
    headers = (first_header, *(labels.get(k, k) for k in keys), "Total")
    series = tuple(
        Series(labels.get(k, k), tuple(shown.height(counts.get((m, k), 0)) for m in months))
        for k in keys
    )
    return Figures(
        shown.table(caption, headers, table_rows),
        ChartData(tuple(map(_short, months)), series, value_label),
    )


def _outcomes(scope: ReportScope) -> Figures:
    return _by_key(
        selectors.decisions_by_outcome_month(scope=scope),
        scope,
        OUTCOME_LABELS,
        "Signed decisions by month and outcome",
        "Month signed",
        "Decisions",
        always=("share", "must_share", "do_not_share"),
    )


def _bases(scope: ReportScope) -> Figures:
    return _by_key(
        selectors.decisions_by_basis_month(scope=scope),
        scope,
        BASIS_LABELS,
        "Signed decisions to share by month and lawful basis (UK GDPR Article 6)",
        "Month signed",
        "Decisions to share",
        always=(),
    )


def _without_consent(scope: ReportScope) -> Figures:
    rows = {r.month: r for r in selectors.decision_totals_by_month(scope=scope)}
    months = months_of_period(scope, rows)
    empty = selectors.DecisionTotals(dt.date.min, 0, 0, 0, 0)
    shown = Counts(scope)
    table_rows = []
    with_consent, without, not_shared, other = [], [], [], []
    for month in months:
        row = rows.get(month, empty)
        table_rows.append(
            (
                month_label(month),
                shown.text(row.decided),
                shown.text(row.shared),
                shown.text(row.shared_without_consent),
                shown.text(row.not_shared),
            )
        )
        # The bars are counts too, the worked-out ones included: a bar one decision high
        # would tell what the table hides.
        with_consent.append(shown.height(row.shared - row.shared_without_consent))
        without.append(shown.height(row.shared_without_consent))
        not_shared.append(shown.height(row.not_shared))
        other.append(shown.height(row.decided - row.shared - row.not_shared))
    return Figures(
        shown.table(
            "Shares without consent and decisions not to share, by month signed",
            (
                "Month signed",
                "Decisions signed",
                "Decisions to share",
                "Shares without consent",
                "Decisions not to share",
            ),
            table_rows,
        ),
        ChartData(
            tuple(map(_short, months)),
            (
                Series("Share with consent", tuple(with_consent)),
                Series("Share without consent", tuple(without)),
                Series("Do not share", tuple(not_shared)),
                Series("Seek consent or advice", tuple(other)),
            ),
            "Decisions",
        ),
    )


def _waits(
    rows: Sequence[selectors.WaitTimes],
    scope: ReportScope,
    caption: str,
    headers: tuple[str, ...],
    in_hours: bool,
) -> Figures:
    by_month = {r.month: r for r in rows}
    months = months_of_period(scope, by_month)
    scale = 24.0 if in_hours else 1.0
    shown = Counts(scope)
    table_rows = []
    averages = []
    for month in months:
        row = by_month.get(month)
        if row is None:
            table_rows.append((month_label(month), "0", "0", NO_FIGURE, NO_FIGURE))
            averages.append(0.0)
            continue
        # An average or a longest wait of a few requests describes those requests, so it
        # is hidden when the number answered is.
        average, average_height = shown.figure(
            None if row.average_days is None else row.average_days * scale,
            based_on=row.answered,
        )
        longest, _ = shown.figure(
            None if row.longest_days is None else row.longest_days * scale,
            based_on=row.answered,
        )
        table_rows.append(
            (
                month_label(month),
                shown.text(row.arrived),
                shown.text(row.answered),
                average,
                longest,
            )
        )
        averages.append(average_height or 0.0)
    unit = "hours" if in_hours else "days"
    return Figures(
        shown.table(caption, headers, table_rows),
        ChartData(
            tuple(map(_short, months)),
            (Series(f"Average time to answer ({unit})", tuple(averages)),),
            f"Average {unit} to answer",
            whole_numbers=False,
        ),
    )


def _requests(scope: ReportScope) -> Figures:
    return _waits(
        selectors.request_decision_times_by_month(scope=scope),
        scope,
        "Requests for information by month received, and the time to a signed decision",
        (
            "Month received",
            "Requests received",
            "Answered by a signed decision",
            "Average days to decide",
            "Longest (days)",
        ),
        in_hours=False,
    )


def _advice(scope: ReportScope) -> Figures:
    return _waits(
        selectors.advice_times_by_month(scope=scope),
        scope,
        "Advice requests by month sent, and how fast the safeguarding leads answered",
        (
            "Month sent",
            "Advice requests sent",
            "Answered",
            "Average hours to answer",
            "Longest (hours)",
        ),
        in_hours=True,
    )


def _month_totals(
    rows: Sequence[selectors.MonthTotal],
    scope: ReportScope,
    caption: str,
    headers: tuple[str, str],
    label: str,
) -> Figures:
    months = [r.month for r in rows]
    shown = Counts(scope)
    table_rows = [(month_label(r.month), shown.text(r.total)) for r in rows]
    heights = tuple(shown.height(r.total) for r in rows)
    return Figures(
        shown.table(caption, headers, table_rows),
        ChartData(tuple(map(_short, months)), (Series(label, heights),), label),
    )


def _followups(scope: ReportScope) -> Figures:
    return _month_totals(
        selectors.followups_overdue_by_month_due(scope=scope),
        scope,
        "Overdue follow-ups today, by the month they fell due",
        ("Month due", "Overdue follow-ups"),
        "Overdue follow-ups",
    )


def _protocols(scope: ReportScope) -> Figures:
    return _month_totals(
        selectors.protocols_due_for_review_by_month(scope=scope),
        scope,
        f"Protocols in force due for review (past their review date or within "
        f"{selectors.REVIEW_WINDOW_DAYS} days), by review month",
        ("Review month", "Protocols due for review"),
        "Protocols",
    )


def _disclosures(scope: ReportScope) -> Figures:
    rows = {r.month: r for r in selectors.disclosures_unacknowledged_by_month(scope=scope)}
    months = months_of_period(scope, rows)
    empty = selectors.DisclosuresWaiting(dt.date.min, 0, 0)
    shown = Counts(scope)
    table_rows = [
        (
            month_label(m),
            shown.text(rows.get(m, empty).unacknowledged),
            shown.text(rows.get(m, empty).unread),
        )
        for m in months
    ]
    opened = tuple(
        shown.height(rows.get(m, empty).unacknowledged - rows.get(m, empty).unread) for m in months
    )
    unread = tuple(shown.height(rows.get(m, empty).unread) for m in months)
    return Figures(
        shown.table(
            "Disclosures sent through Sharewise not yet acknowledged by the recipient, by month sent",
            ("Month sent", "Not yet acknowledged", "Of which not yet opened"),
            table_rows,
        ),
        ChartData(
            tuple(map(_short, months)),
            (Series("Opened, not acknowledged", opened), Series("Not opened", unread)),
            "Disclosures",
        ),
    )


DASHBOARDS: dict[str, Dashboard] = {
    dashboard.slug: dashboard
    for dashboard in (
        Dashboard(
            "decisions-by-outcome",
            "Decisions by outcome",
            "Every signed decision, a decision not to share included (004 \u201cRecord\u201d).",
            _outcomes,
        ),
        Dashboard(
            "decisions-by-basis",
            "Decisions to share by lawful basis",
            "The UK GDPR Article 6 basis recorded for each signed decision to share.",
            _bases,
        ),
        Dashboard(
            "shares-without-consent",
            "Shares without consent, and decisions not to share",
            "Decisions to share on a ground other than consent (the public interest, a legal "
            "duty, vital interests: 003 3.37 to 3.44), and decisions not to share.",
            _without_consent,
        ),
        Dashboard(
            "request-decision-times",
            "Time from a request to a decision",
            "Requests for information from other agencies, and the time from receiving each "
            "to signing the decision that answers it (004 \u201cTimely\u201d).",
            _requests,
        ),
        Dashboard(
            "advice-times",
            "Advice requests",
            "Requests for advice to the safeguarding leads, and how fast they were answered "
            "(003 3.45).",
            _advice,
        ),
        Dashboard(
            "overdue-followups",
            "Overdue follow-ups",
            "Follow-up arrangements past their due date today (003 case example 3).",
            _followups,
            as_of_today=True,
        ),
        Dashboard(
            "protocols-due-for-review",
            "Protocols due for review",
            "Information sharing protocols in force to which the agency is a party, past or "
            "near their review date.",
            _protocols,
            as_of_today=True,
        ),
        Dashboard(
            "unacknowledged-disclosures",
            "Disclosures not yet acknowledged",
            "Information sent through Sharewise whose recipient has not yet acknowledged the "
            "limits on sharing it further.",
            _disclosures,
        ),
    )
}


def dashboard_shown(dashboard: Dashboard, scope: ReportScope) -> ShownDashboard:
    """The dashboard's table and its chart, for the page."""
    figures = dashboard.figures_for(scope)
    chart = figures.chart
    if not any(value for one in chart.series for value in one.values):
        # Nothing to draw: the table says so month by month, or there is no month at all.
        return ShownDashboard(dashboard, figures.table, "")
    total_rows = len(figures.table.rows)
    description = (
        f"Bar chart of {figures.table.caption[0].lower()}{figures.table.caption[1:]}: "
        f"{total_rows} {'month' if total_rows == 1 else 'months'}. "
        "The table that follows gives every figure."
    )
    if figures.table.note:
        description += " " + figures.table.note
    svg = bar_chart_svg(
        chart_id=f"chart-{dashboard.slug}",
        title=dashboard.title,
        description=description,
        categories=chart.categories,
        series=chart.series,
        value_label=chart.value_label,
        stacked=chart.stacked,
        whole_numbers=chart.whole_numbers,
    )
    return ShownDashboard(dashboard, figures.table, svg)
