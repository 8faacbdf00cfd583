"""The monitoring pages in a real browser under the real Content-Security-Policy: the charts
keep their colours (nothing refused), and axe-core finds nothing against WCAG 2.2 AA.

Runs Debian's Chromium through Playwright as tests/browser does, skipping where it is
missing (failing instead under SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_helen_journey import Journey, _with_totp, browser, follow, plain_static
from tests.reports.conftest import (
    NOT_SHARE,
    PUBLIC_TASK,
    SHARE_WITHOUT_CONSENT,
    decide,
    moment,
)

__all__ = ["browser", "plain_static"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_the_monitoring_pages_pass_the_csp_and_axe(browser: Any, live_server: Any) -> None:
    from tests.factories import PersonFactory, personas

    people = personas()
    child = PersonFactory(agency=people.agency_a, created_by=people.practitioner_a)
    decide(people.practitioner_a, child, moment(1, 10), SHARE_WITHOUT_CONSENT, PUBLIC_TASK)
    decide(people.practitioner_a, child, moment(2, 10), NOT_SHARE, None)
    secret = _with_totp(people.auditor_a)

    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(live_server.url, "auditor_a", secret)
    period = (
        "?date_from-day=1&date_from-month=1&date_from-year=2026"
        "&date_to-day=31&date_to-month=3&date_to-year=2026"
    )
    page.goto(f"{live_server.url}/reports/{period}")
    journey.audit()
    # Outcomes, lawful bases and shares without consent have figures; the rest are nought
    # and show their table alone.
    assert page.locator("svg[role=img]").count() == 3
    # The bars are drawn in their colour, not black: the presentation attributes held.
    fill = page.locator("#chart-decisions-by-outcome-patch_3 path").evaluate(
        "path => getComputedStyle(path).fill"
    )
    assert fill == "rgb(29, 112, 184)"
    assert "January 2026" in page.inner_text("#table-decisions-by-outcome")

    follow(page, page.get_by_role("link", name="practitioner_a"))
    journey.audit()
    assert "Signed a decision" in page.inner_text("#audit-summary")

    page.goto(f"{live_server.url}/reports/people/{child.pk}/audit/")
    journey.audit()
    assert "Signed a decision" in page.inner_text("#audit-summary")

    assert journey.csp_refusals == []
    assert journey.missing_assets == []
    assert journey.violations == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_an_administrator_sees_small_counts_hidden_and_no_bar_for_them(
    browser: Any, live_server: Any
) -> None:
    from tests.factories import PersonFactory, personas

    people = personas()
    child = PersonFactory(agency=people.agency_a, created_by=people.practitioner_a)
    decide(people.practitioner_a, child, moment(1, 10), SHARE_WITHOUT_CONSENT, PUBLIC_TASK)
    decide(people.practitioner_a, child, moment(1, 12), NOT_SHARE, None)
    secret = _with_totp(people.admin)

    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(live_server.url, "admin", secret)
    page.goto(
        f"{live_server.url}/reports/?agency={people.agency_a.pk}"
        "&date_from-day=1&date_from-month=1&date_from-year=2026"
        "&date_to-day=31&date_to-month=1&date_to-year=2026"
    )
    journey.audit()
    table = page.inner_text("#table-decisions-by-outcome")
    assert "Fewer than 5" in table
    # Two decisions in January: neither a 2 nor a bar of that height is on the page.
    assert page.locator("svg[role=img]").count() == 0
    assert "nought or too small to show" in page.inner_text("#main-content")
    assert journey.csp_refusals == []
    assert journey.violations == []
