"""Reads about agencies and what a user may do in them.

Every selector that returns records about people filters by `agency_ids_for_user`, so no
view or API handler can forget the rule that information is confidential to the agency
(003 3.15).
"""

from __future__ import annotations

from typing import Any

from .models import ROLES_SEEING_IDENTIFIABLE_DATA, Agency, Membership, Role


def agency_ids_for_user(*, user: Any) -> set[int]:
    """The agencies whose case records `user` may see (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_sharewise_agency_ids", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(user=user)
            .exclude(role=Role.PARTNERSHIP_ADMIN)
            .values_list("agency_id", flat=True)
        )
        user._sharewise_agency_ids = cached
    return set(cached)


def roles_for_user(*, user: Any, agency: Agency | None = None) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    memberships = Membership.objects.filter(user=user)
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    return set(memberships.values_list("role", flat=True))


def user_has_role(
    *, user: Any, roles: set[str] | frozenset[str], agency: Agency | None = None
) -> bool:
    return bool(roles_for_user(user=user, agency=agency) & set(roles))


# The roles that add to case records: people, consent, assessments, decisions. An auditor
# reads and checks; a record an auditor could change would be a poor record to audit.
RECORDING_ROLES = frozenset({Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, Role.MANAGER})


def require_recording_role(*, user: Any, agency_id: int) -> None:
    """Refuse (PermissionDenied) a user whose roles in the agency only read its records."""
    from sharewise.common import PermissionDenied

    memberships = Membership.objects.filter(user=user, agency_id=agency_id)
    if not set(memberships.values_list("role", flat=True)) & RECORDING_ROLES:
        raise PermissionDenied("Your role can read these records but not add to them")


def user_sees_identifiable_data(*, user: Any) -> bool:
    """Whether `user` holds a role that shows identifiable data, and so must use MFA."""
    return user_has_role(user=user, roles=ROLES_SEEING_IDENTIFIABLE_DATA)


def primary_agency_for_user(*, user: Any) -> Agency | None:
    """The agency a user works in by default: the first where they see case records."""
    membership = (
        Membership.objects.filter(user=user)
        .exclude(role=Role.PARTNERSHIP_ADMIN)
        .select_related("agency")
        .order_by("created_at", "id")
        .first()
    )
    return membership.agency if membership else None
