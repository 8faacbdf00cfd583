"""The lists of requests for information go on past a page, and say how many there are:
they used to stop at 200 without saying so; and so do the people who could be the one a
request is about, who stopped at 50 (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharewise.audit.models import AuditEntry
from sharewise.web import pages
from tests.api.conftest import ApiClient, api_as  # noqa: F401
from tests.factories import PersonFactory

from .conftest import fresh, send

pytestmark = pytest.mark.django_db


def _walk(api: ApiClient, path: str, limit: int) -> tuple[list[list[int]], set[int]]:
    """Every page of an API list, `limit` at a time, until one comes back short; and the
    counts the pages gave."""
    pages, counts, offset = [], set(), 0
    while True:
        body = api.get(path, {"limit": limit, "offset": offset}).json()
        pages.append([item["id"] for item in body["items"]])
        counts.add(body["count"])
        if len(body["items"]) < limit:
            return pages, counts
        offset += limit


def test_the_api_list_pages_through_every_request(world, api_as) -> None:  # noqa: F811
    sent = [send(world, subject_name=f"Child {n}") for n in range(5)]
    api = api_as(world.practitioner_b)
    pages, counts = _walk(api, "/requests", 2)
    assert counts == {5}
    assert [len(page) for page in pages] == [2, 2, 1]
    listed = [i for page in pages for i in page]
    # Newest first, each once: the pages do not overlap and none is left out.
    assert listed == [r.pk for r in reversed(sent)]
    beyond = api.get("/requests", {"limit": 2, "offset": 6}).json()
    assert beyond == {"items": [], "count": 5}
    entry = AuditEntry.objects.filter(verb="request.list").latest("id")
    assert entry.details == {"shown": 0, "count": 5}


def test_the_api_list_defaults_to_fifty(world, api_as) -> None:  # noqa: F811
    send(world)
    body = api_as(world.practitioner_a).get("/requests").json()
    assert body["count"] == 1 and len(body["items"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 2**31}, "offset"),
    ],
)
def test_the_api_refuses_a_limit_or_offset_out_of_bounds(
    world,
    api_as,  # noqa: F811
    params: dict[str, Any],
    field: str,
) -> None:
    response = api_as(world.practitioner_a).get("/requests", params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def _page(sign_in: Any, user: Any, **params: Any) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("requests:list"), params)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_turns_each_list_on_its_own(world, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    incoming = [send(world, subject_name=f"Child {n}") for n in range(3)]
    first = _page(sign_in, world.practitioner_a)
    assert "Showing 1 to 2 of 3 requests to your agency." in first
    # Newest first: the oldest is on the second page, with a link to it.
    assert f'href="{reverse("requests:detail", args=[incoming[0].pk])}"' not in first
    assert 'href="?incoming_page=2#incoming-requests"' in first
    assert 'class="govuk-pagination"' in first

    second = _page(sign_in, world.practitioner_a, incoming_page=2)
    assert "Showing 3 to 3 of 3 requests to your agency." in second
    assert f'href="{reverse("requests:detail", args=[incoming[0].pk])}"' in second
    for later in incoming[1:]:
        assert f'href="{reverse("requests:detail", args=[later.pk])}"' not in second
    assert 'rel="next"' not in second and 'rel="prev"' in second
    entry = AuditEntry.objects.filter(verb="request.list").latest("id")
    assert entry.details == {
        "incoming": 1,
        "incoming_count": 3,
        "outgoing": 0,
        "outgoing_count": 0,
    }

    # The links of one list keep the other where it was.
    kept = _page(sign_in, world.practitioner_a, incoming_page=2, outgoing_page=3)
    assert 'href="?incoming_page=1&amp;outgoing_page=3#incoming-requests" rel="prev"' in kept

    # The requester's side is the outgoing list, paged the same way.
    police = _page(sign_in, world.practitioner_b, outgoing_page=2)
    assert "Showing 3 to 3 of 3 requests your agency sent." in police


@pytest.mark.parametrize("asked", ["99", "0", "-1", "two", ""])
def test_a_page_number_out_of_range_shows_the_last_or_the_first(
    world, sign_in, monkeypatch, asked: str
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    for n in range(3):
        send(world, subject_name=f"Child {n}")
    page = _page(sign_in, world.practitioner_a, incoming_page=asked)
    # Django's Paginator.get_page: a number past either end is the last page, anything
    # that is not a number the first.
    shown = "3 to 3" if asked in ("99", "0", "-1") else "1 to 2"
    assert f"Showing {shown} of 3 requests to your agency." in page


@pytest.fixture
def marshes(world: Any) -> list[Any]:
    """Five people called Marsh in the practice's records, in the order they are listed:
    each could be the Helen Marsh the police ask about."""
    return [
        PersonFactory(
            agency=world.agency_a,
            given_name=f"Ann {n}",
            family_name="Marsh",
            created_by=world.practitioner_a,
        )
        for n in range(5)
    ]


def _candidates(client: Client, info_request: Any, **params: Any) -> tuple[str, list[int]]:
    response = client.get(reverse("requests:match", args=[info_request.pk]), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page, [
        int(pk) for pk in re.findall(r'name="person_id" type="radio" value="(\d+)"', page)
    ]


def test_the_people_who_could_match_go_on_past_a_page(world, marshes, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    asked = send(world)
    practice = Client()
    sign_in(practice, world.practitioner_a)
    shown = [_candidates(practice, asked, page=number) for number in (1, 2, 3)]
    assert "Showing 1 to 2 of 5 people who could be the one asked about." in shown[0][0]
    # They are told there are more than one page holds, and how to narrow them down.
    assert 'id="candidates-narrow"' in shown[0][0]
    # Each page its own people; together every one, in order.
    assert [listed for _, listed in shown] == [
        [p.pk for p in marshes[0:2]],
        [p.pk for p in marshes[2:4]],
        [marshes[4].pk],
    ]
    entry = AuditEntry.objects.filter(verb="request.view").latest("id")
    assert entry.details == {
        "page": "match",
        "candidates": 1,
        "candidates_count": 5,
        "candidates_page": 3,
    }

    # The links keep the search; a page past the end is the last, one not a number the first.
    searched, _ = _candidates(practice, asked, q="Marsh", page=2)
    assert 'href="?q=Marsh&amp;page=3" rel="next"' in searched
    assert _candidates(practice, asked, q="Marsh", page=8)[1] == [marshes[4].pk]
    assert _candidates(practice, asked, q="Marsh", page="z")[1] == [p.pk for p in marshes[0:2]]

    # One on the last page can be chosen there.
    chosen = practice.post(
        f"{reverse('requests:match', args=[asked.pk])}?page=3", {"person_id": str(marshes[4].pk)}
    )
    assert chosen.status_code == 302
    assert fresh(asked).person == marshes[4]


def test_a_narrow_search_has_one_page_and_no_hint(world, marshes, sign_in) -> None:
    asked = send(world)
    practice = Client()
    sign_in(practice, world.practitioner_a)
    page, listed = _candidates(practice, asked, q="Ann 2")
    assert listed == [marshes[2].pk]
    assert "Showing 1 to 1 of 1 person who could be the one asked about." in page
    assert 'id="candidates-narrow"' not in page and "govuk-pagination" not in page
