"""The person page's link to exports and subject access, from the rights app, so that the
people app does not depend on it (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.people.models import Person

from ..selectors import subject_access_allowed

register = template.Library()


@register.inclusion_tag("rights/includes/person_rights_link.html", takes_context=True)
def rights_for_person(context: template.Context, person: Person, user: Any) -> dict[str, Any]:
    # The person page bounds its queries (tests/decisions/test_queries.py). Who may make a
    # subject access export is who may see who has viewed the record (the agency's leads
    # and auditors), which the person page has already worked out as `show_record_views`:
    # read it from there, and ask the database only on a page that has not.
    known = context.get("show_record_views")
    may_export = (
        bool(known) if known is not None else subject_access_allowed(user=user, person=person)
    )
    return {"person": person, "may_export": may_export}
