"""The link to the monitoring pages, shown on the home page to those who may open them:
managers, auditors and partnership administrators."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.agencies.models import Role
from sharewise.agencies.selectors import user_has_role

from ..selectors import MONITOR_ROLES

register = template.Library()


@register.inclusion_tag("reports/includes/home_link.html")
def reports_link(user: Any) -> dict[str, Any]:
    shown = user_has_role(user=user, roles=MONITOR_ROLES | {Role.PARTNERSHIP_ADMIN})
    return {"shown": shown}
