"""What every page needs to know about accounts: whether this is the demo, and who is
signed in (for the header). Everything about the user is worked out only if a template
asks for it, so pages that never show it make no queries."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .demo import DEMO_SIGN_IN_EXAMPLES
from .selectors import (
    DemoAccount,
    demo_accounts_list,
    demo_mode_is_on,
    header_agency_for_request,
    roles_described_for_user,
    user_has_second_factor,
    user_must_enrol_in_mfa,
)


class SignedInAccount:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._user: Any = request.user

    @property
    def display_name(self) -> str:
        return str(self._user.get_full_name() or self._user.get_username())

    @property
    def username(self) -> str:
        return str(self._user.get_username())

    @cached_property
    def agency_name(self) -> str | None:
        return header_agency_for_request(request=self._request)

    @cached_property
    def roles(self) -> list[str]:
        return roles_described_for_user(user=self._user)

    @cached_property
    def is_partnership_admin(self) -> bool:
        from sharewise.agencies.models import Role
        from sharewise.agencies.selectors import user_has_role

        return user_has_role(user=self._user, roles={Role.PARTNERSHIP_ADMIN})

    @cached_property
    def must_enrol_in_mfa(self) -> bool:
        return user_must_enrol_in_mfa(user=self._user)

    @cached_property
    def has_second_factor(self) -> bool:
        return user_has_second_factor(user=self._user)


class DemoSignIn:
    """How to sign in to the demo, for the sign-in page."""

    @property
    def password(self) -> str:
        return str(settings.SHAREWISE_DEMO_PASSWORD)

    @cached_property
    def examples(self) -> list[DemoAccount]:
        return [a for a in demo_accounts_list() if a.username in DEMO_SIGN_IN_EXAMPLES]


def accounts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    demo = demo_mode_is_on()
    return {
        "sharewise_demo": demo,
        "sharewise_demo_sign_in": DemoSignIn() if demo else None,
        "sharewise_account": SignedInAccount(request) if signed_in else None,
    }
