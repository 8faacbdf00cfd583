"""Sharewise's adapters for allauth: how its account and MFA apps behave here.

Nobody signs themselves up: a partnership administrator creates accounts (or the demo
loader does), because an account opens records about children and adults at risk.
Error messages are reworded in the GOV.UK style, saying what went wrong and what to do.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from .selectors import SECOND_FACTOR_TYPES, user_must_use_mfa

# As long as ACCOUNT_RATE_LIMITS["login_failed"] in settings.py keeps a username locked.
TRY_AGAIN_MINUTES = 5
INCORRECT_CODE = "The code is not right. Enter the code your authenticator app shows now."


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": (
            "The username or password is not right. Check them and try again."
        ),
        "too_many_login_attempts": (
            "You have tried to sign in too many times. "
            f"Wait {TRY_AGAIN_MINUTES} minutes and try again, or ask your partnership "
            "administrator for help."
        ),
        "incorrect_password": "The password is not right. Enter your current password.",
        "enter_current_password": "Enter your current password",
        "incorrect_code": INCORRECT_CODE,
        "account_inactive": (
            "This account has been switched off. Ask your partnership administrator."
        ),
        "rate_limited": "You have tried too many times. Wait a minute and try again.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # allauth asks for the password again before two-factor authentication is set up
        # or changed, even a moment after signing in. Someone who must set it up is sent
        # to do so straight after signing in, so a sign-in within the same few minutes
        # counts as having just confirmed who they are.
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        return required and not _authenticated_within_reauthentication_timeout()


def _authenticated_within_reauthentication_timeout() -> bool:
    request = context.request
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return bool(time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT)


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": INCORRECT_CODE,
        "cannot_delete_authenticator": (
            "Your role lets you see identifiable information about people, so you cannot "
            "turn off two-factor authentication."
        ),
    }

    def get_totp_issuer(self) -> str:
        # The name the authenticator app shows beside the code.
        return "Sharewise"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Someone who must use two-factor authentication may not remove their last second
        # factor: with it gone they would be sent straight back to set one up, and for a
        # moment their account would open records with a password alone. A lost phone is
        # for the partnership administrator to reset.
        if authenticator.type not in SECOND_FACTOR_TYPES:
            return True
        if not user_must_use_mfa(user=authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=SECOND_FACTOR_TYPES
        ).exclude(pk=authenticator.pk)
        return bool(others.exists())
