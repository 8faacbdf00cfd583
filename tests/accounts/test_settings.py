"""The account settings read from the environment, each checked in a fresh Python process
because the settings are read once, when the module is imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PRINT_SETTINGS = """
import json, sharewise.settings as s
print(json.dumps({
    "demo": s.SHAREWISE_DEMO,
    "demo_password": s.SHAREWISE_DEMO_PASSWORD,
    "session_cookie_age": s.SESSION_COOKIE_AGE,
    "save_every_request": s.SESSION_SAVE_EVERY_REQUEST,
    "expire_at_browser_close": s.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "first_hasher": s.PASSWORD_HASHERS[0],
    "login_url": s.LOGIN_URL,
    "login_redirect_url": s.LOGIN_REDIRECT_URL,
    "login_failed_limit": s.ACCOUNT_RATE_LIMITS["login_failed"],
    "middleware": s.MIDDLEWARE,
}))
"""


def settings_in(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, "SHAREWISE_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(tmp_path: Path, **env: str) -> dict:
    result = settings_in(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_defaults(tmp_path: Path) -> None:
    found = read_settings(tmp_path)
    assert found["demo"] is True
    assert found["demo_password"] == "demo-password-2026"
    assert found["session_cookie_age"] == 30 * 60
    assert found["save_every_request"] is True
    assert found["expire_at_browser_close"] is True
    assert found["first_hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert found["login_url"] == "account_login"
    assert found["login_redirect_url"] == "/"
    assert found["login_failed_limit"] == "10/m/ip,5/5m/key"
    middleware = found["middleware"]
    assert middleware.index("sharewise.accounts.middleware.RequireMFAMiddleware") > (
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    )


def test_the_session_lasts_as_many_idle_minutes_as_configured(tmp_path: Path) -> None:
    assert read_settings(tmp_path, SHAREWISE_SESSION_MINUTES="45")["session_cookie_age"] == 2700


@pytest.mark.parametrize("minutes", ["0", "-5", "half an hour"])
def test_a_session_length_that_is_not_a_number_of_minutes_is_refused(
    tmp_path: Path, minutes: str
) -> None:
    result = settings_in(tmp_path, SHAREWISE_SESSION_MINUTES=minutes)
    assert result.returncode != 0
    assert "SHAREWISE_SESSION_MINUTES must be a whole number of minutes" in result.stderr


@pytest.mark.parametrize(
    ("env", "demo"),
    [
        ({}, True),
        ({"SHAREWISE_DEMO": "off"}, False),
        ({"DATABASE_URL": "postgres://sharewise@db.example:5432/sharewise"}, False),
        ({"SHAREWISE_HTTPS": "on"}, False),
        (
            {
                "DATABASE_URL": "postgres://sharewise@db.example:5432/sharewise",
                "SHAREWISE_DEMO": "on",
            },
            True,
        ),
    ],
    ids=["sqlite", "switched-off", "postgresql", "https", "postgresql-switched-on"],
)
def test_demo_mode_is_on_by_default_only_on_a_laptop(
    tmp_path: Path, env: dict[str, str], demo: bool
) -> None:
    assert read_settings(tmp_path, **env)["demo"] is demo


def test_demo_mode_is_refused_behind_https(tmp_path: Path) -> None:
    result = settings_in(tmp_path, SHAREWISE_DEMO="on", SHAREWISE_HTTPS="on")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "demo mode is never on in production settings" in result.stderr


def test_the_demo_password_can_be_chosen(tmp_path: Path) -> None:
    found = read_settings(tmp_path, SHAREWISE_DEMO_PASSWORD="another-demo-password")
    assert found["demo_password"] == "another-demo-password"
