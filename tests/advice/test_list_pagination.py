"""GET /advice: both lists page by the same `limit` and `offset` and each says how many
there are; they used to stop at 200 without saying so (issue 16). A client that sends
neither gets the lists as it did, with the counts beside them.

The advice page: each list turns its own pages and says how many there are; they used to
stop at 100 without saying so (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharewise.advice.models import AdviceRequest, Status
from sharewise.api.routes.advice import MAX_LIST_LIMIT
from sharewise.web import pages
from tests.api.conftest import api_as  # noqa: F401
from tests.factories import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


def _sent(world: Any, asked_by: Any) -> AdviceRequest:
    # Written directly: what is listed is the record, not how its text was redacted.
    return AdviceRequest.objects.create(
        agency=world.agency_a,
        asked_by=asked_by,
        status=Status.SENT,
        sent_at=timezone.now(),
        redacted_text="[NAME 1] has bruises again. Refer?",
    )


def test_both_lists_page_by_the_same_limit_and_offset(world, api_as) -> None:  # noqa: F811
    to_answer = [_sent(world, world.practitioner_a) for _ in range(3)]
    asked = _sent(world, world.lead_a)
    lead = api_as(world.lead_a)
    pages = [lead.get("/advice", {"limit": 2, "offset": offset}).json() for offset in (0, 2, 4)]
    assert [(p["asked_count"], p["to_answer_count"]) for p in pages] == [(1, 3)] * 3
    assert [[a["id"] for a in p["asked"]] for p in pages] == [[asked.pk], [], []]
    # Waiting ones, newest sent first; each once over the pages, and the list ends.
    assert [[a["id"] for a in p["to_answer"]] for p in pages] == [
        [to_answer[2].pk, to_answer[1].pk],
        [to_answer[0].pk],
        [],
    ]


def test_without_limit_or_offset_the_lists_are_as_they_were(world, api_as) -> None:  # noqa: F811
    mine = [_sent(world, world.practitioner_a) for _ in range(3)]
    body = api_as(world.practitioner_a).get("/advice").json()
    assert set(body) == {"asked", "asked_count", "to_answer", "to_answer_count"}
    assert [a["id"] for a in body["asked"]] == [m.pk for m in reversed(mine)]
    assert (body["asked_count"], body["to_answer"], body["to_answer_count"]) == (3, [], 0)
    assert MAX_LIST_LIMIT == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset")],
)
def test_a_limit_or_offset_out_of_bounds_is_refused(
    world,
    api_as,  # noqa: F811
    params: dict[str, Any],
    field: str,
) -> None:
    response = api_as(world.lead_a).get("/advice", params)
    assert (response.status_code, response.json()["field"]) == (422, field)


def _page(sign_in: Any, user: Any, **params: Any) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("advice:list"), params)
    assert response.status_code == 200
    return str(response.content.decode())


def _listed(page: str, table: str) -> list[int]:
    """The requests a table of the page links to, in order."""
    section = page.split(f'<table class="govuk-table" id="{table}">', 1)[1].split("</table>")[0]
    return [int(pk) for pk in re.findall(r'href="/advice/(\d+)/"', section)]


@pytest.fixture
def both(world: Any) -> tuple[list[AdviceRequest], list[AdviceRequest]]:
    """For the lead: three requests to answer from the practitioner, and three of their own,
    each in the order they are listed (the newest first)."""
    to_answer = [_sent(world, world.practitioner_a) for _ in range(3)]
    asked = [_sent(world, world.lead_a) for _ in range(3)]
    return list(reversed(to_answer)), list(reversed(asked))


def test_the_pages_turn_each_list_on_its_own(world, both, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    to_answer, asked = both
    first = _page(sign_in, world.lead_a)
    assert "Showing 1 to 2 of 3 requests to your agency's safeguarding leads." in first
    assert "Showing 1 to 2 of 3 requests you made." in first
    assert _listed(first, "to-answer") == [r.pk for r in to_answer[:2]]
    assert _listed(first, "asked") == [r.pk for r in asked[:2]]
    assert 'href="?to_answer_page=2#to-answer-requests" rel="next"' in first
    assert 'href="?asked_page=2#asked-requests" rel="next"' in first

    # The second page of one keeps the other where it was, and nothing is left out.
    second = _page(sign_in, world.lead_a, to_answer_page=2, asked_page=1)
    assert "Showing 3 to 3 of 3 requests to your agency's safeguarding leads." in second
    assert _listed(second, "to-answer") == [to_answer[2].pk]
    assert _listed(second, "asked") == [r.pk for r in asked[:2]]
    assert 'href="?to_answer_page=1&amp;asked_page=1#to-answer-requests" rel="prev"' in second
    assert 'href="?to_answer_page=2&amp;asked_page=2#asked-requests" rel="next"' in second

    # The practitioner's own list is theirs alone: they have no leads' list.
    practitioner = _page(sign_in, world.practitioner_a, asked_page=2)
    assert "Showing 3 to 3 of 3 requests you made." in practitioner
    assert 'id="to-answer"' not in practitioner


@pytest.mark.parametrize(("asked", "shown"), [("9", "3 to 3"), ("-2", "3 to 3"), ("a", "1 to 2")])
def test_a_page_out_of_range_or_not_a_number_shows_a_page(
    world, both, sign_in, monkeypatch, asked: str, shown: str
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    page = _page(sign_in, world.lead_a, asked_page=asked, to_answer_page=asked)
    assert f"Showing {shown} of 3 requests you made." in page
    assert f"Showing {shown} of 3 requests to your agency's safeguarding leads." in page


def test_one_page_has_no_pagination(world, both, sign_in) -> None:
    page = _page(sign_in, world.lead_a)
    assert "Showing 1 to 3 of 3 requests you made." in page
    assert "govuk-pagination" not in page
