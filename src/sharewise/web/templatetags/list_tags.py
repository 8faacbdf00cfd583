"""The one pagination of the web lists: `{% pagination page "label" "param" "#anchor" %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

from sharewise.web.pages import page_numbers

register = template.Library()


@register.inclusion_tag("sharewise/includes/pagination.html", takes_context=True)
def pagination(
    context: template.Context, page: Page[Any], label: str, param: str = "page", anchor: str = ""
) -> dict[str, Any]:
    """Links to the other pages of `page` (GOV.UK pagination), labelled "Pages of `label`",
    each the current address with `param` set to its number and the rest of the query kept
    (a search, or the page of another list on the same page). Nothing when there is one."""
    if not page.has_other_pages():
        return {"links": False}
    query = context["request"].GET.copy()

    def href(number: int) -> str:
        query[param] = str(number)
        return f"?{query.urlencode()}{anchor}"

    return {
        "links": True,
        "label": label,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
        # The numbers are ints, each gap the paginator's ellipsis.
        "items": [
            {"number": number, "href": href(number), "current": number == page.number}
            if isinstance(number, int)
            else {"ellipsis": True}
            for number in page_numbers(page)
        ],
    }
