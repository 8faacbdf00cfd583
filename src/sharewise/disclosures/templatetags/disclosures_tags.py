"""The disclosures part of pages other apps own: on a decision's page, the button to
share from it and what has been shared from it."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.agencies.selectors import RECORDING_ROLES, user_has_role
from sharewise.decisions.models import Decision

from ..selectors import disclosures_for_decision
from ..services import disclosure_refusal_for

register = template.Library()


@register.inclusion_tag("disclosures/includes/decision_disclosures.html")
def decision_disclosures(decision: Decision, user: Any) -> dict[str, Any]:
    if decision.outcome not in ("share", "must_share"):
        # Nothing is shared from a decision not to share, nor from a draft that may not
        # end in sharing: the page shows nothing of this area.
        return {"show": False}
    return {
        "show": True,
        "decision": decision,
        "can_share": disclosure_refusal_for(decision=decision) is None
        and user_has_role(user=user, roles=RECORDING_ROLES, agency=decision.agency),
        "disclosures": list(disclosures_for_decision(user=user, decision=decision)),
    }
