"""The monitoring pages as their users see them: the dashboards and their filters, the CSV
exports, the audit reports, the CSP and the cost of the page in queries."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharewise.audit.models import AuditEntry, Outcome
from sharewise.reports.dashboards import DASHBOARDS
from tests.factories import decisions_about

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PERIOD_2026_Q1 = {
    "date_from-day": "1",
    "date_from-month": "1",
    "date_from-year": "2026",
    "date_to-day": "31",
    "date_to-month": "3",
    "date_to-year": "2026",
}


def client_as(user: Any, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def shown(response: Any, slug: str) -> Any:
    return next(s for s in response.context["shown"] if s.dashboard.slug == slug)


class InlineStyleFinder(HTMLParser):
    """Everything in a page that a CSP without 'unsafe-inline' refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style":
            self.refused.append("a <style> element")
        if "style" in names:
            self.refused.append(f"a style attribute on <{tag}>")
        if tag == "script" and "src" not in names:
            self.refused.append("an inline <script>")
        if any(name.startswith("on") for name in names):
            self.refused.append(f"an event handler on <{tag}>")


def test_the_dashboard_shows_each_figure_with_its_chart_and_table(
    monitoring: Any, sign_in: Any
) -> None:
    response = client_as(monitoring.people.manager_a, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    assert response.status_code == 200
    outcomes = shown(response, "decisions-by-outcome").table
    assert outcomes.headers == (
        "Month signed",
        "Share",
        "Must share (required by law)",
        "Do not share",
        "Total",
    )
    assert outcomes.rows == (
        ("January 2026", "2", "0", "1", "3"),
        ("February 2026", "1", "1", "0", "2"),
        ("March 2026", "0", "0", "1", "1"),
    )
    without_consent = shown(response, "shares-without-consent").table
    assert without_consent.rows[0] == ("January 2026", "3", "2", "2", "1")
    requests = shown(response, "request-decision-times").table
    assert requests.rows[0] == ("January 2026", "1", "1", "10.0", "10.0")
    assert requests.rows[1] == ("February 2026", "1", "0", "None answered", "None answered")
    advice = shown(response, "advice-times").table
    assert advice.rows[1] == ("February 2026", "2", "1", "6.0", "6.0")
    disclosures = shown(response, "unacknowledged-disclosures").table
    assert disclosures.rows[0] == ("January 2026", "1", "1")
    page = response.content.decode()
    for slug in DASHBOARDS:
        assert f'id="{slug}"' in page
        assert f'aria-labelledby="chart-{slug}-title chart-{slug}-desc"' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">10.0</td>' in page


def test_the_charts_in_the_page_are_well_formed_svg_with_titles(
    monitoring: Any, sign_in: Any
) -> None:
    page = (
        client_as(monitoring.people.manager_a, sign_in)
        .get(DASHBOARD, PERIOD_2026_Q1)
        .content.decode()
    )
    charts = []
    start = page.find("<svg")
    while start != -1:
        end = page.index("</svg>", start) + len("</svg>")
        charts.append(ET.fromstring(page[start:end]))
        start = page.find("<svg", end)
    assert len(charts) == len(DASHBOARDS)
    titles = [chart.find("{http://www.w3.org/2000/svg}title") for chart in charts]
    assert [t.text for t in titles if t is not None] == [d.title for d in DASHBOARDS.values()]


def test_the_page_passes_the_content_security_policy(monitoring: Any, sign_in: Any) -> None:
    response = client_as(monitoring.people.manager_a, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    finder = InlineStyleFinder()
    finder.feed(response.content.decode())
    assert finder.refused == []


def test_each_csv_export_matches_its_table_and_is_audited(monitoring: Any, sign_in: Any) -> None:
    client = client_as(monitoring.people.manager_a, sign_in)
    page = client.get(DASHBOARD, PERIOD_2026_Q1)
    for slug in DASHBOARDS:
        table = shown(page, slug).table
        response = client.get(reverse("reports:dashboard_csv", args=[slug]), PERIOD_2026_Q1)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="sharewise-{slug}-2026-01-01-2026-03-31.csv"'
        )
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows == [list(table.headers), *map(list, table.rows)]
    exports = AuditEntry.objects.filter(verb="report.export", actor=monitoring.people.manager_a)
    assert sorted(e.details["dashboard"] for e in exports) == sorted(DASHBOARDS)
    assert all(e.agency_id == monitoring.people.agency_a.pk for e in exports)
    assert exports.first() is not None and exports.first().details["from"] == "2026-01-01"


def test_an_unknown_dashboard_is_not_found(monitoring: Any, sign_in: Any) -> None:
    client = client_as(monitoring.people.manager_a, sign_in)
    assert client.get(reverse("reports:dashboard_csv", args=["no-such"])).status_code == 404


def test_the_filters_narrow_the_figures(monitoring: Any, sign_in: Any) -> None:
    client = client_as(monitoring.people.manager_a, sign_in)
    team = client.get(DASHBOARD, {**PERIOD_2026_Q1, "team": monitoring.team.pk})
    assert shown(team, "shares-without-consent").table.rows[1] == (
        "February 2026",
        "1",
        "1",
        "1",
        "0",
    )
    february = {**PERIOD_2026_Q1, "date_from-month": "2", "date_to-month": "2", "date_to-day": "28"}
    response = client.get(DASHBOARD, february)
    assert [r[0] for r in shown(response, "decisions-by-outcome").table.rows] == ["February 2026"]
    assert b'value="2" selected' not in response.content
    wrong = client.get(DASHBOARD, {"agency": monitoring.people.agency_b.pk})
    assert wrong.status_code == 400
    assert b"Choose one of the agencies listed" in wrong.content
    assert wrong.context["shown"] == []
    bad_date = client.get(DASHBOARD, {**PERIOD_2026_Q1, "date_to-month": "13"})
    assert bad_date.status_code == 400
    assert b"The end of the period must be a real date" in bad_date.content


def test_a_manager_of_a_sees_nothing_of_b(monitoring: Any, sign_in: Any) -> None:
    p = monitoring.people
    response = client_as(p.manager_a, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    page = response.content.decode()
    assert p.agency_b.name not in page
    assert [a.pk for a in response.context["agencies"]] == [p.agency_a.pk]
    # Agency B's decision of 11 January is not among A's three.
    assert shown(response, "decisions-by-outcome").table.rows[0][-1] == "3"


def test_an_administrator_sees_counts_across_agencies_and_nobody_named(
    monitoring: Any, sign_in: Any, settings: Any
) -> None:
    p = monitoring.people
    response = client_as(p.admin, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    assert response.status_code == 200
    assert response.context["counts_only"]
    # A's three and B's one in January: too few to show (test_small_numbers_pages.py)...
    assert shown(response, "decisions-by-outcome").table.rows[0][-1] == "Fewer than 5"
    # ...but counted across the agencies, as the figure without the rule shows.
    settings.SHAREWISE_REPORTS_MINIMUM_COUNT = 1
    response = client_as(p.admin, sign_in).get(DASHBOARD, PERIOD_2026_Q1)
    assert shown(response, "decisions-by-outcome").table.rows[0][-1] == "4"
    page = response.content.decode()
    assert p.agency_b.name in page
    for name in (monitoring.child.family_name, monitoring.child_b.family_name, "practitioner_a"):
        assert name not in page
    assert response.context["users"] == []
    # A person's audit report is no administrator's to read.
    person_audit = reverse("reports:person_audit", args=[monitoring.child.pk])
    assert client_as(p.admin, sign_in).get(person_audit).status_code == 404


@pytest.mark.parametrize("persona", ["practitioner_a", "lead_a", "practitioner_b", "outsider"])
def test_anyone_else_is_refused_the_dashboard(monitoring: Any, sign_in: Any, persona: str) -> None:
    client = client_as(getattr(monitoring.people, persona), sign_in)
    assert client.get(DASHBOARD).status_code == 403
    csv_url = reverse("reports:dashboard_csv", args=["decisions-by-outcome"])
    assert client.get(csv_url).status_code == 403


def test_the_dashboard_costs_the_same_queries_however_many_records(
    monitoring: Any, sign_in: Any
) -> None:
    client = client_as(monitoring.people.manager_a, sign_in)
    client.get(DASHBOARD)  # the session and the user, loaded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    decisions_about(monitoring.child, monitoring.people.practitioner_a, 40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(DASHBOARD).status_code == 200
    assert len(many) == len(few)
    # Eight figures, one query each; the filters' choices, the users' list, the audit entry
    # and what every signed-in page costs (session, user, MFA).
    assert len(few) <= 25, [q["sql"] for q in few.captured_queries]


def test_the_person_audit_report(monitoring: Any, sign_in: Any) -> None:
    p = monitoring.people
    url = reverse("reports:person_audit", args=[monitoring.child.pk])
    about_child = AuditEntry.objects.filter(
        target_type="person", target_id=str(monitoring.child.pk)
    )
    before = about_child.count()
    response = client_as(p.lead_a, sign_in).get(url)
    assert response.status_code == 200
    summary = {(row["who"], row["what"]): row["count"] for row in response.context["summary"]}
    # D1, D2, D3, D5, D6 and the draft D8 started (D7 is a correction); D4 by lead A.
    assert summary[("practitioner_a", "Started a decision")] == 6
    assert summary[("practitioner_a", "Signed a decision")] == 6
    assert summary[("lead_a", "Signed a decision")] == 1
    assert ("practitioner_b", "disclosure.acknowledge") in summary
    # The listing is every entry about the child, from the who-viewed page's selector.
    assert len(response.context["rows"]) == before
    assert AuditEntry.objects.filter(
        verb="report.person_audit", actor=p.lead_a, target_id=str(monitoring.child.pk)
    ).exists()
    # A manager may monitor but not read who looked at a person's record; refused, and
    # recorded as refused.
    assert client_as(p.manager_a, sign_in).get(url).status_code == 403
    assert AuditEntry.objects.filter(
        verb="report.person_audit", actor=p.manager_a, outcome=Outcome.DENIED
    ).exists()
    assert client_as(p.practitioner_b, sign_in).get(url).status_code == 404


def test_the_user_audit_report(monitoring: Any, sign_in: Any) -> None:
    p = monitoring.people
    url = reverse("reports:user_audit", args=[p.practitioner_a.pk])
    client = client_as(p.manager_a, sign_in)
    response = client.get(url)
    assert response.status_code == 200
    summary = {
        (row["what"], row["record_kind"]): row["count"] for row in response.context["summary"]
    }
    assert summary[("Signed a decision", "decision")] == 6
    assert summary[("Recorded a decision's lawful basis and details", "decision")] == 4
    assert all(row["who"] == "practitioner_a" for row in response.context["rows"])
    january = client.get(
        url,
        {
            "date_from-day": "1",
            "date_from-month": "1",
            "date_from-year": "2026",
            "date_to-day": "31",
            "date_to-month": "1",
            "date_to-year": "2026",
        },
    )
    january_summary = {
        (row["what"], row["record_kind"]): row["count"] for row in january.context["summary"]
    }
    assert january_summary[("Signed a decision", "decision")] == 3
    assert (
        AuditEntry.objects.filter(
            verb="report.user_audit", actor=p.manager_a, object_id=str(p.practitioner_a.pk)
        ).count()
        == 2
    )
    # Practitioner B works in another agency: for manager A there is no such user.
    other = reverse("reports:user_audit", args=[p.practitioner_b.pk])
    assert client.get(other).status_code == 404
    assert client_as(p.lead_a, sign_in).get(url).status_code == 403


def test_the_home_page_links_to_monitoring_for_those_who_may_open_it(
    monitoring: Any, sign_in: Any
) -> None:
    p = monitoring.people
    home = reverse("web:home")
    link = f'href="{DASHBOARD}"'.encode()
    for persona in (p.manager_a, p.auditor_a, p.admin):
        assert link in client_as(persona, sign_in).get(home).content
    for persona in (p.practitioner_a, p.lead_a):
        assert link not in client_as(persona, sign_in).get(home).content
    assert link not in Client().get(home).content
