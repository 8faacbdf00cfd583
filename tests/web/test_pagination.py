"""The one pagination of the web lists (issue 16): which page numbers it offers, and links
that keep the rest of the address. No database: a list of numbers is paged as a queryset
is."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Page
from django.template import Context, Template
from django.test import RequestFactory

from sharewise.web import pages
from sharewise.web.pages import page_numbers, page_of

ELLIPSIS = "…"


def _page(path: str, items: int = 20, param: str = "page") -> Page[int]:
    return page_of(RequestFactory().get(path), list(range(items)), param)


def _render(path: str, page: Page[int], *args: str) -> str:
    quoted = " ".join(f'"{arg}"' for arg in args)
    template = Template(f"{{% load list_tags %}}{{% pagination page {quoted} %}}")
    return template.render(Context({"request": RequestFactory().get(path), "page": page}))


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)


@pytest.mark.parametrize(
    ("number", "offered"),
    [
        (1, [1, 2, ELLIPSIS, 10]),
        (5, [1, ELLIPSIS, 4, 5, 6, ELLIPSIS, 10]),
        (10, [1, ELLIPSIS, 9, 10]),
    ],
)
def test_the_numbers_are_the_ends_and_either_side_with_a_gap_between(
    number: int, offered: list[int | str]
) -> None:
    assert page_numbers(_page(f"/?page={number}")) == offered


@pytest.mark.parametrize(("asked", "number"), [("3", 3), ("11", 10), ("-1", 10), ("x", 1), ("", 1)])
def test_any_page_asked_for_is_a_page(asked: str, number: int) -> None:
    assert _page(f"/?page={asked}").number == number


def test_each_list_reads_its_own_parameter() -> None:
    assert _page("/?page=4&reminders_page=2", param="reminders_page").number == 2


def test_the_links_keep_the_rest_of_the_address() -> None:
    page = _page("/?q=Helen+Marsh&other_page=3&page=2")
    html = _render("/?q=Helen+Marsh&other_page=3&page=2", page, "people", "page", "#people")
    assert 'aria-label="Pages of people"' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs[0] == "?q=Helen+Marsh&amp;other_page=3&amp;page=1#people"
    assert hrefs[-1] == "?q=Helen+Marsh&amp;other_page=3&amp;page=3#people"
    assert 'aria-current="page">2<' in html
    assert "govuk-pagination__item--ellipsis" in html


def test_a_parameter_not_yet_in_the_address_is_added() -> None:
    page = _page("/?show=all", param="reminders_page")
    html = _render("/?show=all", page, "your reminders", "reminders_page")
    assert 'href="?show=all&amp;reminders_page=2" rel="next"' in html
    assert 'rel="prev"' not in html


def test_one_page_shows_no_links() -> None:
    assert _render("/", _page("/", items=2), "people").strip() == ""
