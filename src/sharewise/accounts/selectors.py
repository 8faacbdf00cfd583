"""Reads about accounts: who must use two-factor authentication, who is a demo account,
and what the page header says about the person signed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from sharewise.agencies.models import Membership, Role
from sharewise.agencies.selectors import (
    primary_agency_for_user,
    user_has_role,
    user_sees_identifiable_data,
)

from .models import Profile

# The authenticators that prove a second factor at sign-in. Recovery codes are left out:
# they exist only beside one of these, as the way back in when the phone is lost.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def demo_mode_is_on() -> bool:
    """Whether this service runs the fictional demo partnership (SHAREWISE_DEMO)."""
    return bool(getattr(settings, "SHAREWISE_DEMO", False))


def user_has_second_factor(*, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
    )


def second_factor_of(user_id: str = "user_id") -> Exists:
    """Whether the user in column `user_id` of the outer query has a second factor, as an
    expression, so that a read that already fetches the user (an API token's) answers it in
    the same query."""
    return Exists(
        Authenticator.objects.filter(user_id=OuterRef(user_id), type__in=SECOND_FACTOR_TYPES)
    )


def user_is_demo(*, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Profile.objects.filter(user_id=user.pk, is_demo=True).exists()


def user_must_use_mfa(*, user: Any) -> bool:
    """Whether the user's role shows them identifiable data about people, so that their
    account must be protected by a second factor (DESIGN.md capability 12). Demo accounts
    are let off only while demo mode is on, because their records are fictional."""
    if not user_sees_identifiable_data(user=user):
        return False
    return not (demo_mode_is_on() and user_is_demo(user=user))


def user_must_enrol_in_mfa(*, user: Any) -> bool:
    """Whether the user must set up an authenticator before doing anything else."""
    return user_must_use_mfa(user=user) and not user_has_second_factor(user=user)


def agency_name_for_header(*, user: Any) -> str | None:
    """What the header says the signed-in user works for: their primary agency, or, for a
    partnership administrator (who sees no agency's case records), their role."""
    agency = primary_agency_for_user(user=user)
    if agency is not None:
        return agency.name
    if user_has_role(user=user, roles={Role.PARTNERSHIP_ADMIN}):
        return str(Role.PARTNERSHIP_ADMIN.label)
    return None


# The header's agency is worked out once, at sign-in, and kept in the session, so that
# the header costs no query on every page. A change of role shows at the next sign-in.
HEADER_AGENCY_SESSION_KEY = "sharewise_header_agency"


def header_agency_remember(*, request: HttpRequest, user: Any) -> str | None:
    agency_name = agency_name_for_header(user=user)
    request.session[HEADER_AGENCY_SESSION_KEY] = agency_name or ""
    return agency_name


def header_agency_for_request(*, request: HttpRequest) -> str | None:
    """The agency the header names for the signed-in user, from their session."""
    if HEADER_AGENCY_SESSION_KEY not in request.session:
        return header_agency_remember(request=request, user=request.user)
    return str(request.session[HEADER_AGENCY_SESSION_KEY]) or None


def roles_described_for_user(*, user: Any) -> list[str]:
    """Each role the user holds, with its title and agency, for the account page."""
    memberships = (
        Membership.objects.filter(user_id=user.pk)
        .select_related("agency")
        .order_by("created_at", "id")
    )
    return [f"{_role_label(m)}, {m.agency.name}" for m in memberships]


def _role_label(membership: Membership) -> str:
    label = membership.get_role_display()
    if membership.lead_title:
        label = f"{label} ({membership.get_lead_title_display()})"
    return label


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_label: str
    agency: str

    def as_json(self) -> dict[str, str]:
        return {"username": self.username, "role": self.role, "agency": self.agency}


def demo_accounts_list() -> list[DemoAccount]:
    """Every role a demo account holds, in the order the demo loader made them."""
    memberships = (
        Membership.objects.filter(user__sharewise_profile__is_demo=True)
        .select_related("user", "agency")
        .order_by("user_id", "id")
    )
    return [
        DemoAccount(
            username=membership.user.get_username(),
            role=membership.role,
            role_label=_role_label(membership),
            agency=membership.agency.name,
        )
        for membership in memberships
    ]
