"""Security headers and markup on every page: the Content-Security-Policy (scripts and
styles from this service only, never inline), no framing, no sniffing, a referrer policy,
no camera, microphone or location; and pages that keep to the policy, with a CSRF token
in every form that posts.

The pages are the access matrix's (tests/access/routes.py): every web route the URL
resolver knows, called as every persona, so a new page is checked the day it is added.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.access.routes import (
    PERSONAS,
    Route,
    World,
    client_for,
    concrete_url,
    discover_routes,
    world_for_module,
)
from tests.web.conftest import PageMarkup

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def access_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    # Made once for the module: building the world per test would make the matrix slow.
    yield from world_for_module(django_db_blocker)


# The web pages a browser opens with GET, and the API's own document viewer, which is an
# HTML page too.
PAGES = [
    route
    for route in discover_routes()
    if "GET" in route.methods
    and (not route.is_api or route.url_name == "api:openapi-view")
    and route.policy is not None
]
CASES = [
    pytest.param(route, persona, id=f"{route.test_id} as {persona}")
    for route in PAGES
    for persona in PERSONAS
]


class FormMarkup(PageMarkup):
    """PageMarkup, plus each form that posts and whether it carries a CSRF token, and
    the type of each script with text in it."""

    def __init__(self) -> None:
        super().__init__()
        self.post_forms: list[bool] = []
        self._open_form: list[bool] = []
        self.inline_script_types: list[str] = []
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        attributes = dict(attrs)
        if tag == "form":
            self._open_form.append((attributes.get("method") or "get").lower() == "post")
            if self._open_form[-1]:
                self.post_forms.append(False)
        elif (
            tag == "input"
            and attributes.get("name") == "csrfmiddlewaretoken"
            and self._open_form
            and self._open_form[-1]
        ):
            self.post_forms[-1] = bool(attributes.get("value"))
        elif tag == "script":
            self._script_type = attributes.get("type") or "text/javascript"

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag == "form" and self._open_form:
            self._open_form.pop()

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script_types.append(self._script_type)
        super().handle_data(data)


def _markup(html: str) -> FormMarkup:
    markup = FormMarkup()
    markup.feed(html)
    markup.close()
    return markup


def assert_security_headers(response: Any, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("default-src") == ["'self'"], where
    assert directives.get("script-src") == ["'self'"], where
    assert directives.get("style-src") == ["'self'"], where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("form-action") == ["'self'"], where
    assert directives.get("base-uri") == ["'self'"], where
    assert directives.get("object-src") == ["'none'"], where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, where


@pytest.mark.parametrize(("route", "persona"), CASES)
def test_every_page_carries_the_headers_and_keeps_to_the_policy(
    route: Route, persona: str, access_world: World, sign_in: Any
) -> None:
    url = concrete_url(access_world, route)
    response = client_for(access_world, persona, sign_in).get(url)
    where = f"GET {url} as {persona} ({response.status_code})"
    # Every answer carries the headers, a redirect or an error page as much as a page.
    assert_security_headers(response, where)
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return
    markup = _markup(response.content.decode())
    # Data blocks (the Swagger UI's settings as JSON) are never run, so the policy allows
    # them; a script with code in it would be refused by the browser.
    assert [t for t in markup.inline_script_types if t != "application/json"] == [], where
    assert markup.event_handler_attributes == [], where
    assert markup.style_attributes == [], where
    assert markup.style_elements == 0, where
    assert all(markup.post_forms), f"{where}: a form that posts has no CSRF token"


def test_the_api_document_viewer_loads_its_scripts_from_this_service(
    access_world: World,
) -> None:
    response = Client().get("/api/v1/docs")
    markup = _markup(response.content.decode())
    sources = [script.get("src") or "" for script in markup.scripts if script.get("src")]
    assert sources and all(source.startswith("/static/") for source in sources)


def test_cookies_from_a_real_sign_in_are_http_only(access_world: World) -> None:
    client = Client()
    page = client.get("/accounts/login/")
    assert page.cookies["csrftoken"]["httponly"] is True
    signed_in = client.post(
        "/accounts/login/",
        {"login": "outsider", "password": "a-long-test-password"},
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["httponly"] is True
    assert signed_in.cookies["sessionid"]["samesite"] == "Lax"


PRINT_COOKIE_SETTINGS = """
import json, sharewise.settings as s
print(json.dumps({
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "csrf_httponly": s.CSRF_COOKIE_HTTPONLY,
    "session_secure": getattr(s, "SESSION_COOKIE_SECURE", False),
    "csrf_secure": getattr(s, "CSRF_COOKIE_SECURE", False),
    "hsts": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "middleware": s.MIDDLEWARE,
}))
"""


def _settings_with(env: dict[str, str]) -> dict[str, Any]:
    # A fresh process, because the settings are read once, when the module is imported.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_COOKIE_SETTINGS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("https", [False, True])
def test_cookies_are_http_only_and_secure_behind_https(tmp_path: Path, https: bool) -> None:
    found = _settings_with(
        {"SHAREWISE_DATA_DIR": str(tmp_path), "SHAREWISE_HTTPS": "on" if https else "off"}
    )
    assert found["session_httponly"] is True and found["csrf_httponly"] is True
    assert found["session_secure"] is https and found["csrf_secure"] is https
    assert (found["hsts"] > 0) is https
    assert "csp.middleware.CSPMiddleware" in found["middleware"]
