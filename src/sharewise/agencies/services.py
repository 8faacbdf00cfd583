"""Writes of an agency's settings: where it is, whether it is a public authority, and the
policy pack its decisions use. Set by partnership administrators (DESIGN.md, "Who uses
it"), since they decide the law an agency's practitioners are guided by."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.audit.services import audit_append
from sharewise.common import PermissionDenied, ServiceError
from sharewise.guidance.choice import COUNTRIES, pack_in_force
from sharewise.guidance.errors import GuidanceError
from sharewise.guidance.packs import pack_get

from .models import Agency, Role
from .selectors import user_has_role


@transaction.atomic
def agency_settings_update(
    *, user: Any, agency: Agency, country: str, pack_id: str, public_authority: bool
) -> Agency:
    """Set where `agency` is, whether it is a public authority, and its pack (empty for
    the law in force on each decision's date). Decisions already made keep the pack they
    were made under; only new decisions follow the change."""
    if not user_has_role(user=user, roles={Role.PARTNERSHIP_ADMIN}):
        raise PermissionDenied("Only a partnership administrator can change an agency's settings")
    if country not in COUNTRIES:
        raise ServiceError("Select where the agency works", field="country")
    if pack_id:
        try:
            pack = pack_get(pack_id)
        except GuidanceError as exc:
            raise ServiceError(exc.message, field="pack_id") from exc
        if pack.applies_in and country not in pack.applies_in:
            raise ServiceError(
                f"{pack.id} applies only in "
                + ", ".join(COUNTRIES[c] for c in pack.applies_in if c in COUNTRIES)
                + ": choose a pack for where the agency works",
                field="pack_id",
            )
        if pack_in_force(pack, timezone.localdate(), country) is not None:
            raise ServiceError(
                f"{pack.id} is not in force until {pack.in_force_from:%d %B %Y}", field="pack_id"
            )
    before = {
        "country": agency.country,
        "pack_id": agency.pack_id,
        "public_authority": agency.public_authority,
    }
    agency.country = country
    agency.pack_id = pack_id
    agency.public_authority = public_authority
    agency.save(update_fields=["country", "pack_id", "public_authority"])
    audit_append(
        actor=user,
        verb="agency.settings",
        obj=agency,
        agency=agency,
        details={
            "before": before,
            "after": {"country": country, "pack_id": pack_id, "public_authority": public_authority},
        },
    )
    return agency
