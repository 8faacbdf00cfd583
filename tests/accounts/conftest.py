"""Personas and helpers for the accounts tests.

Priya (`teacher`) and the other demo accounts come from the demo loader, as a newcomer
meets them. Dev is a practitioner at a GP practice on a live service (no demo flag): his
role shows him identifiable data, so he must use two-factor authentication.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sharewise.accounts.demo import demo_load_if_empty
from sharewise.agencies.models import AgencyKind, Role
from tests.factories import AgencyFactory, member

DEV_PASSWORD = "a-long-test-password"


@pytest.fixture
def cache_cleared_after(db: None) -> Iterator[None]:
    # The cache (rate limits, used authenticator codes) is a database table that a test
    # which commits leaves behind; no later test may inherit its sign-ins.
    yield
    cache.clear()


@pytest.fixture
def demo_partnership(db: None, settings: Any) -> None:
    settings.SHAREWISE_DEMO = True
    assert demo_load_if_empty()


@pytest.fixture
def dev(db: None) -> Any:
    practice = AgencyFactory(name="Riverside GP Practice", kind=AgencyKind.GP_PRACTICE)
    return member(practice, Role.PRACTITIONER, "dev")


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now, from allauth's own TOTP helper."""
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def totp_give(user: Any) -> str:
    """Set up an authenticator app for `user` with allauth's API; returns its secret."""
    secret = str(generate_totp_secret())
    TOTP.activate(user, secret)
    return secret


def password_sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": username, "password": password})
