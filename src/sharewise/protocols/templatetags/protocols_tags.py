"""The register shown on other areas' pages: the protocols behind a decision's share, and
the administrators' banner of protocols past review.

`{% load protocols_tags %}{% protocols_supporting decision request.user %}` on a decision's
pages; `{% protocols_review_banner request.user %}` on the home page.
"""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.decisions.models import Decision

from ..selectors import protocols_past_review_count, protocols_supporting_share

register = template.Library()

# The outcomes of the guidance that share (decisions.services.SHARING).
SHARING_OUTCOMES = frozenset({"share", "must_share"})


@register.inclusion_tag("protocols/includes/supporting.html")
def protocols_supporting(decision: Decision, user: Any) -> dict[str, Any]:
    """The protocols in force between the decision's agency and its recipient that cover
    its purpose, as supporting information.

    When there is none, nothing discouraging is shown: at most, for a decision to share,
    the guidance's own words that a protocol is not needed (001 question 13; 000 module
    4). The page is the decision's, which the user has already been allowed to open."""
    if not getattr(user, "is_authenticated", False):
        return {"supporting": [], "sharing": False}
    supporting = (
        protocols_supporting_share(
            agency=decision.agency, recipient=decision.recipient, purpose=decision.purpose
        )
        if decision.recipient.strip()
        else []
    )
    return {"supporting": supporting, "sharing": decision.outcome in SHARING_OUTCOMES}


@register.inclusion_tag("protocols/includes/review_banner.html")
def protocols_review_banner(user: Any) -> dict[str, Any]:
    """For partnership administrators: how many protocols in force are past review."""
    return {"count": protocols_past_review_count(user=user)}
