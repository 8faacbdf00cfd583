"""The pages of the accounts area: the Sharewise look, no inline script or style (the
Content-Security-Policy will allow neither), the header that says who is signed in, and
the demo strip on every page in demo mode."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import DEV_PASSWORD, password_sign_in, totp_code, totp_give


class Markup(HTMLParser):
    """What the Content-Security-Policy cares about: scripts and inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.event_handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.style_attributes.extend(tag for name, _ in attrs if name == "style")
        self.event_handlers.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))
        if tag == "script" and not names.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1


def assert_no_inline_script_or_style(html: str, path: str) -> None:
    markup = Markup()
    markup.feed(html)
    assert markup.inline_scripts == 0, path
    assert markup.style_attributes == [], path
    assert markup.style_elements == 0, path
    assert markup.event_handlers == [], path
    assert 'class="govuk-template"' in html, path


ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/email/",
]
SIGNED_IN_PAGES = [
    "/accounts/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/reauthenticate/",
]


@pytest.mark.django_db
def test_the_pages_before_signing_in(client: Client) -> None:
    for path in ANONYMOUS_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_script_or_style(response.content.decode(), path)
    with_errors = client.post("/accounts/login/", {"login": "", "password": ""})
    assert_no_inline_script_or_style(with_errors.content.decode(), "login with errors")


def test_the_pages_of_setting_up_and_using_mfa(client: Client, dev: Any) -> None:
    password_sign_in(client, "dev", DEV_PASSWORD)
    for path in ("/accounts/2fa/totp/activate/", "/accounts/2fa/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_script_or_style(response.content.decode(), path)
    client.post(reverse("account_logout"))

    secret = totp_give(dev)
    stage = password_sign_in(client, "dev", DEV_PASSWORD)
    assert stage["Location"] == reverse("mfa_authenticate")
    assert_no_inline_script_or_style(client.get(stage["Location"]).content.decode(), "mfa stage")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    client.get("/accounts/2fa/recovery-codes/generate/")
    client.post("/accounts/2fa/recovery-codes/generate/")
    for path in SIGNED_IN_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_script_or_style(response.content.decode(), path)


@pytest.mark.usefixtures("demo_partnership")
def test_the_header_shows_who_is_signed_in_and_their_agency(client: Client) -> None:
    password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    html = client.get("/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "Signed in as <strong>Priya Shah</strong>, Oakfield Primary School" in header
    assert f'action="{reverse("account_logout")}"' in header
    assert ">Sign out</button>" in header


@pytest.mark.usefixtures("demo_partnership")
def test_the_header_names_the_role_of_the_partnership_administrator(client: Client) -> None:
    password_sign_in(client, "admin", settings.SHAREWISE_DEMO_PASSWORD)
    assert "Helen Carter</strong>, Partnership administrator" in client.get("/").content.decode()


@pytest.mark.usefixtures("demo_partnership")
def test_demo_mode_says_so_on_every_page(client: Client, settings: Any) -> None:
    for path in ("/", "/packs/", "/accounts/login/"):
        assert "The people and records here are fictional" in client.get(path).content.decode()
    settings.SHAREWISE_DEMO = False
    for path in ("/", "/accounts/login/"):
        assert "fictional" not in client.get(path).content.decode()
