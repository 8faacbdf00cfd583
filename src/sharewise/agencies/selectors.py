"""Reads about agencies and what a user may do in them.

Every selector that returns records about people filters by `agency_ids_for_user`, so no
view or API handler can forget the rule that information is confidential to the agency
(003 3.15).
"""

from __future__ import annotations

from typing import Any

from .models import ROLES_SEEING_IDENTIFIABLE_DATA, Agency, Membership, Role

# Every membership saved or deleted in this process moves this on, so that a user object
# that has cached its memberships reads them again (a test, or an administrator's page,
# that adds a role and then acts as that user in the same process).
_membership_generation = 0


def memberships_changed(**_: Any) -> None:
    """Receiver for Membership's post_save and post_delete (apps.py)."""
    global _membership_generation
    _membership_generation += 1


def _memberships(user: Any) -> frozenset[tuple[int, str]]:
    """The user's (agency id, role) pairs, read once per user object.

    A request has one user object (from the session or the API token) and asks about its
    agencies and roles several times: the access check, the selector's agency filter, the
    service's role check. One query of the pairs answers all of them; reading the agency
    ids and then each role separately cost two queries more on every API write
    (docs/performance.md)."""
    cached = getattr(user, "_sharewise_memberships", None)
    if cached is not None and cached[0] == _membership_generation:
        pairs: frozenset[tuple[int, str]] = cached[1]
        return pairs
    generation = _membership_generation
    pairs = frozenset(Membership.objects.filter(user=user).values_list("agency_id", "role"))
    user._sharewise_memberships = (generation, pairs)
    return pairs


def agency_ids_for_user(*, user: Any) -> set[int]:
    """The agencies whose case records `user` may see (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {agency_id for agency_id, role in _memberships(user) if role != Role.PARTNERSHIP_ADMIN}


def roles_for_user(*, user: Any, agency: Agency | None = None) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    pairs = _memberships(user)
    if agency is None:
        return {role for _, role in pairs}
    return {role for agency_id, role in pairs if agency_id == agency.pk}


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

    roles = {role for held, role in _memberships(user) if held == agency_id}
    if not roles & RECORDING_ROLES:
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
