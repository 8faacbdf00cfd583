"""The advice asked about a decision, shown on the decision's page (decisions/detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.agencies.selectors import RECORDING_ROLES, roles_for_user
from sharewise.decisions.models import Decision

from ..selectors import advice_requests_for_decision

register = template.Library()


@register.inclusion_tag("advice/includes/decision_advice.html")
def decision_advice(decision: Decision, user: Any) -> dict[str, Any]:
    """The advice and its outcome are part of the decision's record (003 3.51); anyone who
    may read the decision sees them, and a role that adds to records may ask."""
    return {
        "decision": decision,
        "advice_requests": list(advice_requests_for_decision(user=user, decision=decision)),
        "may_ask": bool(roles_for_user(user=user, agency=decision.agency) & RECORDING_ROLES),
    }
