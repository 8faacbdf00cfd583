"""The people list goes on past a page and says how many there are: it used to stop at 100
without saying so (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharewise.audit.models import AuditEntry
from sharewise.web import pages
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def marshes(world: Any) -> list[Any]:
    """Five people called Marsh in the practice's records, in the order they are listed;
    and one the police hold, whom the practice never sees."""
    PersonFactory(
        agency=world.agency_b,
        given_name="Zoe",
        family_name="Marsh",
        created_by=world.practitioner_b,
    )
    return [
        PersonFactory(
            agency=world.agency_a,
            given_name=f"Ann {n}",
            family_name="Marsh",
            created_by=world.practitioner_a,
        )
        for n in range(5)
    ]


def _page(sign_in: Any, user: Any, **params: Any) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("people:person_list"), params)
    assert response.status_code == 200
    return str(response.content.decode())


def _listed(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/people/(\d+)/"', page)]


def test_the_pages_show_two_at_a_time_and_together_all(
    world, marshes, sign_in, monkeypatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    shown = [_page(sign_in, world.practitioner_a, q="Marsh", page=number) for number in (1, 2, 3)]
    assert "Showing 1 to 2 of 5 people matching “Marsh”." in shown[0]
    assert "Showing 5 to 5 of 5 people matching “Marsh”." in shown[2]
    # Each page its own people; together every one, in order, and none of the police's.
    assert [_listed(page) for page in shown] == [
        [p.pk for p in marshes[0:2]],
        [p.pk for p in marshes[2:4]],
        [marshes[4].pk],
    ]
    # The links keep the search.
    assert 'href="?q=Marsh&amp;page=2" rel="next"' in shown[0]
    assert 'href="?q=Marsh&amp;page=1" rel="prev"' in shown[1]
    assert 'href="?q=Marsh&amp;page=3" rel="next"' in shown[1]
    assert 'rel="next"' not in shown[2]
    # The audit entry says how many were shown of how many, not what was searched for.
    entry = AuditEntry.objects.filter(verb="person.search").latest("id")
    assert entry.details == {"shown": 1, "count": 5, "page": 3}

    unsearched = _page(sign_in, world.practitioner_a)
    assert "Showing 1 to 2 of 5 people." in unsearched
    assert 'href="?page=2" rel="next"' in unsearched


@pytest.mark.parametrize(("asked", "shown"), [("99", "5 to 5"), ("0", "5 to 5"), ("two", "1 to 2")])
def test_a_page_out_of_range_or_not_a_number_shows_a_page(
    world, marshes, sign_in, monkeypatch, asked: str, shown: str
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    page = _page(sign_in, world.practitioner_a, q="Marsh", page=asked)
    assert f"Showing {shown} of 5 people matching “Marsh”." in page


def test_one_page_has_no_pagination(world, marshes, sign_in) -> None:
    page = _page(sign_in, world.practitioner_a, q="Ann 3")
    assert "Showing 1 to 1 of 1 person matching “Ann 3”." in page
    assert "govuk-pagination" not in page
