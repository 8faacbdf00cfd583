"""Requests for information shown on pages owned by other apps: on a decision's page, the
requests the decision answers."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.decisions.models import Decision

from ..selectors import requests_answered_by_decision

register = template.Library()


@register.inclusion_tag("requests/includes/decision_requests.html")
def requests_answered(decision: Decision, user: Any) -> dict[str, Any]:
    """The requests `decision` answers, read through the user's agencies: only the agency
    asked, whose decision it is, sees them here."""
    return {"answered": list(requests_answered_by_decision(user=user, decision=decision))}
