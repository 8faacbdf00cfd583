"""The lists of follow-ups and meetings go on past a page and say how many there are: they
used to stop at 200 without saying so (issue 16)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharewise.audit.models import AuditEntry
from sharewise.followups import services
from sharewise.web import pages
from tests.api.conftest import ApiClient, api_as  # noqa: F401

from .conftest import decision_started_on, fortnightly

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world: Any, person: Any) -> list[Any]:
    """Three follow-ups, overdue by 3, 2 and 1 days: the order they are listed in."""
    today = timezone.localdate()
    decision = decision_started_on(world, person, today - dt.timedelta(days=30))
    return [
        fortnightly(world, decision, interval_days=None, first_due=today - dt.timedelta(days=d))
        for d in (3, 2, 1)
    ]


def _walk(api: ApiClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of an API list, two at a time, up to and including the first short one."""
    pages, offset = [], 0
    while True:
        body = api.get(path, {**params, "limit": 2, "offset": offset}).json()
        pages.append(body)
        if len(body["items"]) < 2:
            return pages
        offset += 2


def test_the_api_pages_through_the_follow_ups(world, overdue, api_as) -> None:  # noqa: F811
    pages = _walk(api_as(world.manager_a), "/followups", {"overdue": "true"})
    assert [page["count"] for page in pages] == [3, 3]
    assert [[f["id"] for f in page["items"]] for page in pages] == [
        [overdue[0].pk, overdue[1].pk],
        [overdue[2].pk],
    ]
    entry = AuditEntry.objects.filter(verb="api.read").latest("id")
    assert entry.details == {"followups": 1, "count": 3}


def test_the_api_pages_through_the_meetings(world, person, api_as) -> None:  # noqa: F811
    today = timezone.localdate()
    meetings = [
        services.meeting_record(
            user=world.practitioner_a,
            kind="joint_action_group",
            held_on=today - dt.timedelta(days=days),
            chair="Local authority representative",
            people=[person],
        )
        for days in (3, 2, 1)
    ]
    api = api_as(world.practitioner_a)
    for params in ({}, {"person_id": person.pk}):
        pages = _walk(api, "/meetings", params)
        assert [page["count"] for page in pages] == [3, 3]
        # Newest first, each once.
        assert [[m["id"] for m in page["items"]] for page in pages] == [
            [meetings[2].pk, meetings[1].pk],
            [meetings[0].pk],
        ]
    assert AuditEntry.objects.filter(verb="api.read").latest("id").details == {
        "meetings": 1,
        "count": 3,
    }
    assert api.get("/meetings", {"offset": 3}).json() == {"items": [], "count": 3}


def _page(sign_in: Any, user: Any, **params: Any) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get("/followups/", params)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_shows_two_at_a_time_and_the_count(world, overdue, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    first = _page(sign_in, world.practitioner_a)
    assert "Showing 1 to 2 of 3 follow-ups." in first
    # The overdue are counted over the whole list, not only this page.
    assert "(3 overdue)" in first
    assert f'href="/followups/{overdue[0].pk}/"' in first
    assert f'href="/followups/{overdue[2].pk}/"' not in first
    assert 'class="govuk-pagination"' in first and 'href="?page=2" rel="next"' in first

    second = _page(sign_in, world.practitioner_a, page=2)
    assert "Showing 3 to 3 of 3 follow-ups." in second
    assert f'href="/followups/{overdue[2].pk}/"' in second
    assert f'href="/followups/{overdue[0].pk}/"' not in second
    assert 'rel="next"' not in second
    entry = AuditEntry.objects.filter(verb="followup.list").latest("id")
    assert entry.details == {"shown": 1, "count": 3, "page": 2}

    # Showing them all, the links keep to all.
    everything = _page(sign_in, world.practitioner_a, show="all")
    assert 'href="?show=all&amp;page=2" rel="next"' in everything
    # A page past the end is the last page; one that is not a number, the first.
    assert "Showing 3 to 3 of 3" in _page(sign_in, world.practitioner_a, page=9)
    assert "Showing 1 to 2 of 3" in _page(sign_in, world.practitioner_a, page="last")


def _reminders(page: str) -> list[int]:
    """The follow-ups the reminders section links to, in order."""
    section = page.split('id="reminders"', 1)[1].split("<h2", 1)[0]
    return [int(pk) for pk in re.findall(r'href="/followups/(\d+)/"', section)]


def test_the_reminders_page_on_their_own(world, overdue, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    assert services.followups_remind_due(today=timezone.localdate()) == 3
    first = _page(sign_in, world.practitioner_a)
    assert "Showing 1 to 2 of 3 reminders." in first
    # The longest overdue first; the last on the next page, none left out.
    assert _reminders(first) == [overdue[0].pk, overdue[1].pk]
    assert 'href="?reminders_page=2#reminders" rel="next"' in first
    second = _page(sign_in, world.practitioner_a, reminders_page=2)
    assert "Showing 3 to 3 of 3 reminders." in second
    assert _reminders(second) == [overdue[2].pk]
    # Turning the reminders keeps the follow-ups where they were, and the other way round.
    kept = _page(sign_in, world.practitioner_a, show="all", page=2, reminders_page=2)
    assert "Showing 3 to 3 of 3 reminders." in kept
    assert "Showing 3 to 3 of 3 follow-ups." in kept
    assert 'href="?show=all&amp;page=2&amp;reminders_page=1#reminders" rel="prev"' in kept
    assert 'href="?show=all&amp;page=1&amp;reminders_page=2" rel="prev"' in kept
    # A page past the end is the last page; one that is not a number, the first.
    assert _reminders(_page(sign_in, world.practitioner_a, reminders_page=7)) == [overdue[2].pk]
    late = _page(sign_in, world.practitioner_a, reminders_page="next")
    assert _reminders(late) == [overdue[0].pk, overdue[1].pk]
    # Another's reminders are not theirs to see.
    assert 'id="reminders"' not in _page(sign_in, world.lead_a)


@pytest.fixture
def meetings(world: Any, person: Any) -> list[Any]:
    """Three meetings, held 3, 2 and 1 days ago."""
    today = timezone.localdate()
    return [
        services.meeting_record(
            user=world.practitioner_a,
            kind="joint_action_group",
            held_on=today - dt.timedelta(days=days),
            chair="Local authority representative",
            people=[person],
        )
        for days in (3, 2, 1)
    ]


def _meetings_page(sign_in: Any, user: Any, **params: Any) -> tuple[str, list[int]]:
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("followups:meeting_list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page, [int(pk) for pk in re.findall(r'href="/meetings/(\d+)/"', page)]


def test_the_meetings_page_shows_two_at_a_time_and_the_count(
    world, meetings, sign_in, monkeypatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    first, listed = _meetings_page(sign_in, world.practitioner_a)
    assert "Showing 1 to 2 of 3 meetings." in first
    # Newest first; the oldest on the next page.
    assert listed == [meetings[2].pk, meetings[1].pk]
    assert 'href="?page=2" rel="next"' in first
    second, listed = _meetings_page(sign_in, world.practitioner_a, page=2)
    assert "Showing 3 to 3 of 3 meetings." in second
    assert listed == [meetings[0].pk]
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    entry = AuditEntry.objects.filter(verb="meeting.list").latest("id")
    assert entry.details == {"shown": 1, "count": 3, "page": 2}
    # A page past the end is the last page; one that is not a number, the first.
    assert _meetings_page(sign_in, world.practitioner_a, page=30)[1] == [meetings[0].pk]
    assert _meetings_page(sign_in, world.practitioner_a, page="2x")[1] == [
        meetings[2].pk,
        meetings[1].pk,
    ]
    # The police hold no meetings of the practice's.
    police, listed = _meetings_page(sign_in, world.practitioner_b)
    assert listed == [] and "No meetings are recorded." in police


def test_one_page_of_meetings_has_no_pagination(world, meetings, sign_in) -> None:
    page, listed = _meetings_page(sign_in, world.practitioner_a)
    assert "Showing 1 to 3 of 3 meetings." in page and len(listed) == 3
    assert "govuk-pagination" not in page
