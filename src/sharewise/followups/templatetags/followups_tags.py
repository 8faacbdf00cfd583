"""Follow-ups and meetings shown on pages other apps own: the decision page and the person
page. Each tag reads through this app's selectors, so what it shows is filtered by the
user's agencies like everything else (003 3.15)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .. import selectors

register = template.Library()


@register.inclusion_tag("followups/includes/decision_followups.html")
def followups_for_decision(decision: Decision, user: Any) -> dict[str, Any]:
    return {
        "decision": decision,
        "followups": list(selectors.followups_for_decision(user=user, decision=decision)),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("followups/includes/person_meetings.html")
def meetings_for_person(person: Person, user: Any) -> dict[str, Any]:
    # One query: the person page's follow-ups are reached through its decisions.
    return {
        "person": person,
        "meetings": list(selectors.meetings_for_person(user=user, person=person)[:20]),
    }
