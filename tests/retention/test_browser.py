"""Retention's pages in a real browser under the real Content-Security-Policy: a
safeguarding lead signs in, opens the review queue, places a legal hold on a child and
releases it, and axe-core finds nothing against WCAG 2.2 AA on any retention page, its
error states included; a partnership administrator's schedule pages likewise.

Runs Debian's Chromium through Playwright as tests/browser does, skipping where it is
missing (failing instead under SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sharewise.retention import services
from sharewise.retention.models import LegalHold, RecordKind, RetentionSchedule
from tests.browser.test_helen_journey import Journey, _with_totp, browser, follow, plain_static

from .conftest import make_child
from .test_retention import ALL_DUE

__all__ = ["browser", "plain_static"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_a_lead_holds_and_releases_and_the_pages_pass_axe(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.factories import personas

    child = make_child(personas())
    people = child.people
    # Every record of the child is past its date on "today", and the sweep has put them
    # in the queue: the pages work on today's date, which the live server reads too.
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *a: ALL_DUE if value is None else real(value, *a)
    )
    services.retention_review_due(today=ALL_DUE)
    name = child.person.full_name
    base = live_server.url

    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(base, "lead_a", _with_totp(people.lead_a))

    page.goto(f"{base}/retention/")
    journey.audit()
    queue = page.locator("table.govuk-table")
    assert queue.locator("tbody tr").count() == 4
    assert name in queue.inner_text()

    follow(page, page.get_by_role("link", name="See what disposal of every record due would erase"))
    journey.audit()
    page.go_back()

    follow(page, page.locator("table.govuk-table tbody a", has_text=name).first)
    journey.audit()
    assert page.locator("h1").inner_text() == f"Retention of {name}'s records"

    # A hold without a reason is refused, with the error summary and the field marked.
    follow(page, page.get_by_role("button", name="Place the hold"))
    journey.audit()
    assert "Enter why the records must be kept" in page.inner_text(".govuk-error-summary")
    # The field's hint and error are read out with it.
    assert page.get_attribute("#reason", "aria-describedby") == "reason-hint reason-error"

    page.select_option("#record", "person")
    page.fill("#reason", "Civil claim against the council")
    follow(page, page.get_by_role("button", name="Place the hold"))
    journey.audit()
    assert "The legal hold is in force" in page.inner_text("main")
    assert "This person and all their records are on legal hold" in page.inner_text("main")
    hold = LegalHold.objects.get()
    assert hold.in_force and hold.covers_person

    # Held records leave the queue.
    page.goto(f"{base}/retention/")
    journey.audit()
    assert "No record is due for review." in page.inner_text("main")

    page.goto(f"{base}/retention/people/{child.person.pk}/")
    follow(page, page.get_by_role("link", name="Release this hold"))
    journey.audit()
    follow(page, page.get_by_role("button", name="Release the hold"))
    journey.audit()
    assert "Enter why the hold is released" in page.inner_text(".govuk-error-summary")
    page.fill("#reason", "The claim is settled")
    follow(page, page.get_by_role("button", name="Release the hold"))
    journey.audit()
    assert "The legal hold has been released" in page.inner_text("main")
    assert not LegalHold.objects.get().in_force

    # The records are back in the queue: the keep and dispose pages, and their errors.
    page.goto(f"{base}/retention/")
    assert page.locator("table.govuk-table tbody tr").count() == 4
    consent = RecordKind.CONSENT.value
    page.goto(f"{base}/retention/people/{child.person.pk}/{consent}/keep/")
    journey.audit()
    follow(page, page.get_by_role("button").filter(has_text="Keep").first)
    journey.audit()
    assert page.locator(".govuk-error-summary").count() == 1
    page.goto(f"{base}/retention/people/{child.person.pk}/{consent}/dispose/")
    journey.audit()
    follow(page, page.get_by_role("button", name="Dispose of the records"))
    journey.audit()
    assert "Confirm that these records are to be disposed of" in page.inner_text(
        ".govuk-error-summary"
    )

    # The schedules are the partnership administrator's.
    admin = Journey(browser.new_context().new_page())
    admin.sign_in(base, "admin", _with_totp(people.admin))
    admin.page.goto(f"{base}/retention/schedules/")
    admin.audit()
    schedule = RetentionSchedule.objects.get(kind=RecordKind.CHILD_PROTECTION)
    admin.page.goto(f"{base}/retention/schedules/{schedule.pk}/")
    admin.audit()
    admin.page.fill("#years", "none")
    follow(admin.page, admin.page.get_by_role("button").filter(has_text="Save").first)
    admin.audit()
    assert admin.page.locator(".govuk-error-summary").count() == 1

    for each in (journey, admin):
        assert each.csp_refusals == []
        assert each.missing_assets == []
        assert each.violations == []
