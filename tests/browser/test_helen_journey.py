"""The main journey in a real browser: a GP practitioner signs in with two-factor
authentication, finds Helen (003 Appendix 3, case 6), works through the decision to share
without consent and refer now, signs it and downloads the PDF; a police officer in another
agency cannot open it. axe-core checks every page of the journey against WCAG 2.2 AA.

Runs Debian's Chromium (`apt-get install chromium`) through Playwright; never a browser
Playwright downloads. Skips where Chromium is missing, and fails instead under .ci/run
(SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).with_name("axe.min.js")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "a-long-test-password"

# The live server runs in a thread beside Playwright's event loop; Django's guard against
# database calls from async code does not apply to this synchronous test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(
        "chromium",
        CHROMIUM.exists(),
        f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def follow(page: Any, target: Any) -> None:
    """Clicks a link or a submit button and waits for the page it leads to. Clicking and
    then calling wait_for_load_state returns at once, while the old page is still loaded,
    so the next step raced the navigation: a goto made straight after the two-factor code
    was sent cancelled the sign-in, and the test found itself back at the code page."""
    with page.expect_navigation():
        target.click()


def _with_totp(user: Any) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


class Journey:
    """A signed-in browser page that checks accessibility on every page it sees."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[str] = []
        # A page without its stylesheet would pass some checks it should not: every
        # stylesheet and script must load.
        self.missing_assets: list[str] = []
        page.on(
            "response",
            lambda r: (
                self.missing_assets.append(r.url)
                if "/static/" in r.url and r.status >= 400
                else None
            ),
        )
        # Anything the Content-Security-Policy refused: a page that needs an exception to
        # the policy shows up here rather than silently losing a script or a style.
        self.csp_refusals: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.csp_refusals.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def audit(self) -> None:
        # Evaluated rather than added as a <script>: the Content-Security-Policy refuses
        # inline scripts, as it should, and Playwright's evaluate is not a page script.
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        path = self.page.url.split("/", 3)[-1]
        for violation in result["violations"]:
            for node in violation["nodes"][:3]:
                summary = " ".join(node.get("failureSummary", "").split())
                self.violations.append(
                    f"/{path}: {violation['id']} ({violation['impact']}) at {', '.join(node['target'])}: {summary}"
                )

    def sign_in(self, base: str, username: str, secret: str) -> None:
        self.page.goto(f"{base}/accounts/login/")
        self.audit()
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", PASSWORD)
        follow(self.page, self.page.locator("form button[type=submit]").first)
        self.audit()
        self.page.fill("input[name=code]", _code(secret))
        follow(self.page, self.page.locator("form button[type=submit]").first)
        assert "/2fa/" not in self.page.url, f"{username} was not signed in: {self.page.url}"

    def choose(self, value: str) -> None:
        self.page.locator(f"input[value='{value}']").first.check()
        follow(self.page, self.page.get_by_role("button", name="Continue"))


@pytest.fixture
def plain_static(settings: Any) -> None:
    # The live test server answers /static/ itself, from the apps' folders, so the pages
    # must name the files as they are there rather than by the hashed names of a deploy.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_helen_journey(browser: Any, live_server: Any) -> None:
    from sharewise.consents.services import consent_record
    from sharewise.people.services import competence_assess
    from tests.factories import PersonFactory, personas

    world = personas()
    helen = PersonFactory(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Carter",
        created_by=world.practitioner_a,
    )
    competence_assess(
        user=world.practitioner_a, person=helen, criteria_met=[False] * 8, competent=False
    )
    consent_record(
        user=world.practitioner_a,
        person=helen,
        given_by="parent",
        party="mother",
        response="refused",
    )
    secret_a = _with_totp(world.practitioner_a)
    secret_b = _with_totp(world.practitioner_b)

    context = browser.new_context(accept_downloads=True)
    journey = Journey(context.new_page())
    page = journey.page
    journey.sign_in(live_server.url, "practitioner_a", secret_a)

    page.goto(f"{live_server.url}/people/")
    journey.audit()
    page.fill("input[name=q]", "Helen")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Helen Carter").click()
    journey.audit()
    page.get_by_role("button", name="Start an information sharing decision").click()
    journey.audit()
    page.fill("textarea[name=purpose]", "Refer concerns about bruising to children's social care")
    page.fill("input[name=recipient]", "children's social care")
    page.check("input[value='hmg-2008']")
    page.get_by_role("button", name="Start").click()

    for answer in ("yes", "none", "yes", "yes", "reasonable_cause"):
        journey.audit()
        journey.choose(answer)
    # Harm is known: the refer-now banner is on the page from here on.
    assert page.get_by_role("alert").filter(has_text="Refer now").count() >= 1
    journey.audit()
    page.locator("input[value='none']").check()
    page.get_by_role("button", name="Continue").click()

    journey.audit()
    assert page.get_by_role("heading", name="Check your answers").is_visible()
    page.get_by_role("button", name="See the outcome").click()
    journey.audit()
    assert "Share without consent" in page.inner_text("h1")
    page.check("input[name=article6_basis][value=public_task]")
    page.check("input[name=special_category_condition][value=safeguarding]")
    page.check("input[name=paragraph18_reason][value=would_prejudice_protection]")
    page.check("input[name=person_told][value=yes]")
    follow(page, page.get_by_role("button", name="Sign the decision"))
    journey.audit()
    assert "Signed by practitioner_a" in page.content()
    decision_url = page.url

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PDF for the case file").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # A police officer in another agency cannot open Helen's decision.
    other = Journey(browser.new_context().new_page())
    other.sign_in(live_server.url, "practitioner_b", secret_b)
    response = other.page.goto(decision_url)
    assert response.status == 404
    other.audit()

    assert journey.missing_assets + other.missing_assets == []
    assert journey.csp_refusals + other.csp_refusals == []
    violations = journey.violations + other.violations
    assert not violations, "WCAG 2.2 AA violations:\n" + "\n".join(dict.fromkeys(violations))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_helen_under_the_duty_to_share_ends_on_a_record_that_says_refer_now(
    browser: Any, live_server: Any
) -> None:
    # Issue 16: a GP with Helen Carter, seven, with bruising, under the pack that applies
    # to an agency in England today (the 2024 advice with the duty to share). The duty
    # decides must_share before the flow's own harm questions, so the journey must be
    # asked whether Helen is at risk, and the signed record must say refer now.
    from sharewise.people.services import competence_assess
    from tests.factories import PersonFactory, personas

    world = personas()
    helen = PersonFactory(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Carter",
        created_by=world.practitioner_a,
    )
    competence_assess(
        user=world.practitioner_a, person=helen, criteria_met=[False] * 8, competent=False
    )
    secret = _with_totp(world.practitioner_a)
    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(live_server.url, "practitioner_a", secret)
    page.goto(f"{live_server.url}/people/{helen.pk}/")
    page.get_by_role("button", name="Start an information sharing decision").click()
    journey.audit()
    page.fill("textarea[name=purpose]", "Tell the school about the bruising so it can support her")
    page.fill("input[name=recipient]", "Oakfield Primary School")
    # The default is the pack that applies: the duty overlay.
    assert page.locator("input[value='hmg-2024-duty']").is_checked()
    page.get_by_role("button", name="Start").click()

    asked = []
    answers = {
        "purpose": "yes",
        "identifiable": "yes",
        "legal_requirement": "none",
        "duty_sender_bound": "yes",
        "duty_recipient_bound": "yes",
        "duty_relevant": "yes",
        "duty_detriment": "not_more_detrimental",
        "child_harm": "reasonable_cause",
    }
    while "/questions/" in page.url:
        journey.audit()
        fact = page.url.rstrip("/").split("/")[-1]
        asked.append(fact)
        if fact == "reasons_not_to_seek_consent":
            page.locator("input[value='none']").check()
            follow(page, page.get_by_role("button", name="Continue"))
            continue
        if fact == "duty_detriment":
            page.fill(
                "textarea[name=reasons]",
                "Telling the school lets it support her; nothing suggests it would harm her.",
            )
        journey.choose(answers[fact])
    assert asked == [*answers, "reasons_not_to_seek_consent"]
    assert page.get_by_role("alert").filter(has_text="Refer now").count() >= 1
    journey.audit()
    page.get_by_role("button", name="See the outcome").click()
    journey.audit()
    assert "You must share" in page.inner_text("h1")
    # The form is prefilled from the engine's basis: a legal obligation.
    assert page.locator("input[name=article6_basis][value=legal_obligation]").is_checked()
    page.check("input[name=special_category_condition][value=safeguarding]")
    page.check("input[name=paragraph18_reason][value=would_prejudice_protection]")
    page.check("input[name=person_told][value=yes]")
    follow(page, page.get_by_role("button", name="Sign the decision"))
    journey.audit()
    record = page.inner_text("main")
    assert "Signed by practitioner_a" in record
    assert "Yes: follow your safeguarding procedures without delay" in record
    assert "Refer now\tNo" not in record
    for code in ("must_share", "mustshare", "legal_obligation", "legalobligation", "child_harm"):
        assert code not in record.lower(), code
    assert journey.missing_assets == []
    assert journey.csp_refusals == []
    violations = journey.violations
    assert not violations, "WCAG 2.2 AA violations:\n" + "\n".join(dict.fromkeys(violations))
