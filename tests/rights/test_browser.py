"""The subject access PDF in a real browser under the real Content-Security-Policy: a lead
asks for it, sees the page saying it is being prepared (no script: the page says to
refresh it), refreshes once the job has run, and downloads the PDF; axe-core finds nothing
against WCAG 2.2 AA on any page.

Runs Debian's Chromium through Playwright as tests/browser does, skipping where it is
missing (failing instead under SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sharewise.rights import tasks
from sharewise.rights.models import SubjectAccessRequest
from tests.browser.test_helen_journey import Journey, _with_totp, browser, follow, plain_static
from tests.rights.conftest import Case

__all__ = ["browser", "plain_static"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_a_lead_asks_for_the_pdf_waits_and_downloads_it(
    browser: Any, live_server: Any, case: Case, tmp_path: Path
) -> None:
    secret = _with_totp(case.world.lead_a)
    journey = Journey(browser.new_context(accept_downloads=True).new_page())
    page = journey.page
    journey.sign_in(live_server.url, "lead_a", secret)

    page.goto(f"{live_server.url}/rights/people/{case.helen.pk}/")
    journey.audit()
    follow(page, page.get_by_role("button", name="Ask for the PDF"))
    journey.audit()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "The subject access PDF is being prepared"
    )
    # Nothing on the page reloads it: the lead is told to.
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    refresh = page.get_by_role("link", name="Refresh this page")
    assert refresh.get_attribute("href") == page.url.removeprefix(live_server.url)

    # The worker's turn: the task as db_worker runs it.
    asked = SubjectAccessRequest.objects.get()
    tasks.subject_access_prepare.call(subject_access_request_id=asked.pk)

    follow(page, refresh)
    journey.audit()
    assert page.get_by_role("heading", level=1).inner_text() == ("The subject access PDF is ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "subject-access.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert download_info.value.suggested_filename.endswith(".pdf")

    # The exports page now lists the PDF asked for.
    page.goto(f"{live_server.url}/rights/people/{case.helen.pk}/")
    journey.audit()
    assert "Ready to download" in page.inner_text("main")

    assert journey.csp_refusals == []
    assert journey.missing_assets == []
    assert journey.violations == []
