"""Sharing in a real browser: a teacher records a decision to share about a pupil, shares
two facts and an opinion with a named health visitor through Sharewise; the health visitor
accepts the limits on onward sharing and reads it; the teacher sees it acknowledged; a
police officer, in a third agency, sees nothing of it. axe-core checks every page against
WCAG 2.2 AA.

Runs Debian's Chromium through Playwright exactly as test_helen_journey does, skipping
where it is missing (failing instead under SHAREWISE_REQUIRE=chromium).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_helen_journey import Journey, _with_totp, browser, follow, plain_static

__all__ = ["browser", "plain_static"]


def _fill_item(page: Any, n: int, text: str, kind: str, source: str) -> None:
    day = timezone.localdate() - dt.timedelta(days=n)
    page.fill(f"#item-{n}-text", text)
    page.check(f"#item-{n}-kind-{kind}")
    page.fill(f"#item-{n}-source", source)
    page.fill(f"#item-{n}-dated-day", str(day.day))
    page.fill(f"#item-{n}-dated-month", str(day.month))
    page.fill(f"#item-{n}-dated-year", str(day.year))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_disclosure_journey(browser: Any, live_server: Any) -> None:
    from sharewise.agencies.models import AgencyKind, Role
    from sharewise.consents.services import consent_record
    from sharewise.people.services import competence_assess
    from tests.factories import AgencyFactory, PersonFactory, member

    school = AgencyFactory(name="Oakfield Primary School", kind=AgencyKind.SCHOOL)
    health = AgencyFactory(name="Northtown Health Visiting Team", kind=AgencyKind.HEALTH_VISITING)
    police = AgencyFactory(name="Northtown Police", kind=AgencyKind.POLICE)
    teacher = member(school, Role.PRACTITIONER, "teacher")
    hv = member(health, Role.PRACTITIONER, "hv")
    hv.first_name, hv.last_name = "Beth", "Morgan"
    hv.save()
    officer = member(police, Role.PRACTITIONER, "police")
    amy = PersonFactory(agency=school, given_name="Amy", family_name="Brown", created_by=teacher)
    competence_assess(user=teacher, person=amy, criteria_met=[False] * 8, competent=False)
    consent_record(user=teacher, person=amy, given_by="parent", party="mother", response="refused")
    secrets = {user.username: _with_totp(user) for user in (teacher, hv, officer)}

    journey = Journey(browser.new_context().new_page())
    page = journey.page
    journey.sign_in(live_server.url, "teacher", secrets["teacher"])

    # The decision to share, through the guided decision.
    page.goto(f"{live_server.url}/people/{amy.pk}/")
    page.get_by_role("button", name="Start an information sharing decision").click()
    page.fill("textarea[name=purpose]", "Ask the health visitor to check on Amy's baby brother")
    page.fill("input[name=recipient]", "Health visiting")
    page.check("input[value='hmg-2008']")
    page.get_by_role("button", name="Start").click()
    for answer in ("yes", "none", "yes", "yes", "reasonable_cause"):
        journey.choose(answer)
    page.locator("input[value='none']").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See the outcome").click()
    page.check("input[name=article6_basis][value=public_task]")
    page.check("input[name=special_category_condition][value=safeguarding]")
    page.check("input[name=paragraph18_reason][value=would_prejudice_protection]")
    page.check("input[name=person_told][value=yes]")
    follow(page, page.get_by_role("button", name="Sign the decision"))
    # The decision page (with this area's part of it) is checked by test_helen_journey.

    # Share two facts and one opinion with the named health visitor, keeping the
    # neighbour who raised the concern out of it (3.50).
    follow(page, page.get_by_role("button", name="Share information"))
    journey.audit()
    follow(page, page.get_by_role("link", name="Mark someone whose identity must be protected"))
    journey.audit()
    page.fill("#name", "Ann Jones")
    page.check("#role-neighbour")
    follow(page, page.get_by_role("button", name="Protect their identity"))
    assert "/disclosures/new/" in page.url
    page.select_option("#recipient", f"user:{health.pk}:{hv.pk}")
    page.check("#channel-sharewise")
    _fill_item(page, 1, "Amy missed 6 days of school in March", "fact", "Attendance register")
    _fill_item(
        page, 2, "Ann Jones saw Amy come to school hungry on 3 days", "fact", "Class teacher"
    )
    _fill_item(page, 3, "I think Amy is afraid to go home", "opinion", "Class teacher")
    follow(page, page.get_by_role("button", name="Share the information"))
    journey.audit()
    disclosure_url = page.url
    assert "/disclosures/" in disclosure_url
    assert "Not yet" in page.inner_text("#history")

    # The health visitor accepts the limits, then reads it.
    recipient = Journey(browser.new_context().new_page())
    recipient.sign_in(live_server.url, "hv", secrets["hv"])
    recipient.page.goto(f"{live_server.url}/disclosures/inbox/")
    recipient.audit()
    follow(recipient.page, recipient.page.get_by_role("link", name="Oakfield Primary School"))
    recipient.audit()
    assert "Do not pass it on" in recipient.page.inner_text("#limits")
    assert "Amy Brown" not in recipient.page.inner_text("main")
    follow(recipient.page, recipient.page.get_by_role("button", name="I accept these limits"))
    recipient.audit()
    shown = recipient.page.inner_text("#items")
    assert "I think Amy is afraid to go home" in shown and "Opinion" in shown
    assert shown.count("\tFact\t") == 2
    assert "[a neighbour] saw Amy" in shown and "Ann Jones" not in shown

    # The teacher sees it acknowledged.
    page.goto(f"{live_server.url}/disclosures/sent/")
    journey.audit()
    page.goto(disclosure_url)
    assert "by Beth Morgan" in page.inner_text("#history")

    # A police officer sees nothing of it.
    outsider = Journey(browser.new_context().new_page())
    outsider.sign_in(live_server.url, "police", secrets["police"])
    assert outsider.page.goto(disclosure_url).status == 404
    outsider.audit()
    outsider.page.goto(f"{live_server.url}/disclosures/inbox/")
    outsider.audit()
    assert outsider.page.locator("#inbox-empty").is_visible()

    journeys = (journey, recipient, outsider)
    assert [url for j in journeys for url in j.missing_assets] == []
    assert [refusal for j in journeys for refusal in j.csp_refusals] == []
    violations = [v for j in journeys for v in j.violations]
    assert not violations, "WCAG 2.2 AA violations:\n" + "\n".join(dict.fromkeys(violations))
