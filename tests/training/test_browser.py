"""The course in a real browser under the real Content-Security-Policy: a practitioner
starts it, walks a golden rule, answers a quiz and reads a case example worked out by the
engine; axe-core finds nothing against WCAG 2.2 AA on any page.

Runs Debian's Chromium through Playwright as tests/browser does, skipping where it is
missing (failing instead under SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from sharewise.guidance.course import case_get, case_run, quiz_get
from sharewise.guidance.explain import OUTCOME_WORDS
from tests.browser.test_helen_journey import Journey, _with_totp, browser, follow, plain_static

__all__ = ["browser", "plain_static"]

PACK = "hmg-2018"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_a_practitioner_walks_the_course(browser: Any, live_server: Any) -> None:
    from tests.factories import personas

    people = personas()
    secret = _with_totp(people.practitioner_a)
    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(live_server.url, "practitioner_a", secret)

    page.goto(f"{live_server.url}/training/")
    journey.audit()
    follow(page, page.get_by_role("button", name=f"Start the course under {PACK}"))
    journey.audit()
    started = re.search(r"/training/records/(\d+)/", page.url)
    assert started, page.url
    record = f"{live_server.url}/training/records/{started.group(1)}"

    # A golden rule, then on to the next.
    page.goto(f"{record}/rule-4/")
    journey.audit()
    assert "Share with consent where possible" in page.get_by_role("heading", level=1).inner_text()
    follow(page, page.get_by_role("button", name="Continue"))
    assert page.url.endswith("/rule-5/")
    journey.audit()

    # The quiz on the golden rules, answered as 000 answers it, marked by the server.
    quiz = quiz_get("quiz-golden-rules")
    page.goto(f"{record}/quiz-golden-rules/")
    journey.audit()
    for option in quiz.answers:
        page.get_by_label(option, exact=True).check()
    follow(page, page.get_by_role("button", name="Check my answer"))
    journey.audit()
    marked = page.inner_text("main")
    assert f"{len(quiz.options)} of {len(quiz.options)} right" in marked, marked[:2000]

    # A case example of 003, its outcome worked out by the engine as the page is shown.
    case = case_get("2018-helen")
    page.goto(f"{record}/case-{case.id}/")
    journey.audit()
    text = page.inner_text("main")
    assert OUTCOME_WORDS[case_run(case).outcome] in text

    assert journey.csp_refusals == []
    assert journey.missing_assets == []
    assert journey.violations == []
