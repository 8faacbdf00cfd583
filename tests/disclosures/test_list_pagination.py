"""The inbox and the sent list, on the pages and over the API, go on past a page and say how
many there are: they used to stop at 200 without saying so (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharewise.audit.models import AuditEntry
from sharewise.web import pages
from tests.api.conftest import api_as  # noqa: F401

from .conftest import send, signed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(partnership: Any) -> list[Any]:
    """Three disclosures from the school to the health visitor, oldest first."""
    decision = signed_decision(partnership)
    return [send(partnership, decision) for _ in range(3)]


@pytest.mark.parametrize("box", ["sent", "received"])
def test_the_api_list_pages_through_each_box(
    partnership,
    three,
    api_as,  # noqa: F811
    box: str,
) -> None:
    api = api_as(partnership.teacher if box == "sent" else partnership.hv)
    pages = [
        api.get("/disclosures", {"box": box, "limit": 2, "offset": offset}).json()
        for offset in (0, 2, 4)
    ]
    assert [page["count"] for page in pages] == [3, 3, 3]
    ids = [[d["id"] for d in page["items"]] for page in pages]
    # Newest first, each once; the last page is short and the one after it empty.
    assert ids == [[three[2].pk, three[1].pk], [three[0].pk], []]
    verb = "disclosure.sent_list" if box == "sent" else "disclosure.inbox"
    assert AuditEntry.objects.filter(verb=verb).latest("id").details == {"shown": 0, "count": 3}
    # The police were sent none of it.
    assert api_as(partnership.police_officer).get("/disclosures", {"box": box}).json() == {
        "items": [],
        "count": 0,
    }


def _page(sign_in: Any, user: Any, path: str, **params: Any) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(path, params)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.parametrize(
    ("path", "who", "said"),
    [
        ("/disclosures/sent/", "teacher", "disclosures shared"),
        ("/disclosures/inbox/", "hv", "disclosures received"),
    ],
)
def test_the_pages_show_two_at_a_time_and_the_count(
    partnership, three, sign_in, monkeypatch, path: str, who: str, said: str
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    user = getattr(partnership, who)
    first = _page(sign_in, user, path)
    assert f"Showing 1 to 2 of 3 {said}." in first
    assert f'href="/disclosures/{three[2].pk}/"' in first
    assert f'href="/disclosures/{three[0].pk}/"' not in first
    assert 'class="govuk-pagination"' in first and 'href="?page=2" rel="next"' in first

    second = _page(sign_in, user, path, page=2)
    assert f"Showing 3 to 3 of 3 {said}." in second
    assert f'href="/disclosures/{three[0].pk}/"' in second
    assert f'href="/disclosures/{three[2].pk}/"' not in second
    assert 'rel="next"' not in second and 'href="?page=1" rel="prev"' in second
    details = AuditEntry.objects.latest("id").details
    assert details == {"shown": 1, "count": 3, "page": 2}

    # A page past the end is the last page; one that is not a number, the first.
    assert f"Showing 3 to 3 of 3 {said}." in _page(sign_in, user, path, page=40)
    assert f"Showing 1 to 2 of 3 {said}." in _page(sign_in, user, path, page="x")


def test_one_page_has_no_pagination(partnership, three, sign_in) -> None:
    page = _page(sign_in, partnership.teacher, "/disclosures/sent/")
    assert "Showing 1 to 3 of 3 disclosures shared." in page
    assert "govuk-pagination" not in page
