"""Pages of a web list: every list a person reads is shown a page at a time, with links to
the others, so that no list ever stops short without saying so.

A view takes its page with `page_of` and renders the links with the `pagination` tag of
`list_tags`; the page says how many there are in all (`page.paginator.count`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

if TYPE_CHECKING:
    # What Paginator takes, in django-stubs: a queryset or a list.
    from django.core.paginator import _SupportsPagination

T = TypeVar("T")

# How many rows a page of a list shows; the rest are on the pages after it.
PAGE_SIZE = 50


def page_of(request: HttpRequest, items: _SupportsPagination[T], param: str = "page") -> Page[T]:
    """The page of `items` that `request.GET[param]` asks for. A list with two on one page
    names each its own `param`, so that turning the pages of one keeps the other where it
    was."""
    # Read at each call, not bound at import, so that a test may set a smaller page size.
    # get_page: a number past either end is the last page, anything that is not a number
    # the first, rather than an error.
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def page_numbers(page: Page[Any]) -> list[int | str]:
    """The page links to offer: the first and last, and those either side of this one, with
    an ellipsis for each gap (the GOV.UK pagination component)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
