"""Signing in and out: the demo password works, mistakes are explained in a GOV.UK error
summary, repeated failures are stopped, and nobody can sign themselves up."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from .conftest import password_sign_in

pytestmark = pytest.mark.usefixtures("demo_partnership")


def test_priya_signs_in_with_the_demo_password_and_lands_on_the_home_page(client: Client) -> None:
    response = password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    assertRedirects(response, "/", fetch_redirect_response=False)
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user.get_username() == "teacher"


def test_a_wrong_password_is_explained_in_an_error_summary(client: Client) -> None:
    response = password_sign_in(client, "teacher", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in – Sharewise</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    # The error names the problem and links to the field where it is put right.
    assert '<a href="#id_login">The username or password is not right.' in html
    assert not response.wsgi_request.user.is_authenticated


def test_an_empty_form_says_what_to_enter_beside_each_field(client: Client) -> None:
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_login">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'id="id_login-error" class="govuk-error-message"' in html
    assert 'class="govuk-input govuk-input--width-20 govuk-input--error"' in html
    assert 'aria-describedby="id_login-error"' in html


def test_after_five_failures_even_the_right_password_is_refused(client: Client) -> None:
    for _ in range(5):
        assertContains(password_sign_in(client, "teacher", "guess"), "is not right")
    response = password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    assertContains(response, "You have tried to sign in too many times")
    assert not response.wsgi_request.user.is_authenticated
    # Another account is not locked by someone guessing at Priya's.
    assertRedirects(
        password_sign_in(client, "dsl", settings.SHAREWISE_DEMO_PASSWORD),
        "/",
        fetch_redirect_response=False,
    )


def test_the_sign_in_page_tells_a_newcomer_how_to_sign_in_to_the_demo(client: Client) -> None:
    page = client.get(reverse("account_login"))
    assertContains(page, 'id="demo-sign-in"')
    for username in ("teacher", "dsl", "admin"):
        assertContains(page, f"<strong>{username}</strong>")
    assertContains(page, settings.SHAREWISE_DEMO_PASSWORD)


def test_the_sign_in_page_shows_no_demo_accounts_when_demo_mode_is_off(
    client: Client, settings: Any
) -> None:
    settings.SHAREWISE_DEMO = False
    page = client.get(reverse("account_login"))
    assertNotContains(page, 'id="demo-sign-in"')
    assertNotContains(page, settings.SHAREWISE_DEMO_PASSWORD)
    assertNotContains(page, 'id="demo-banner"')


def test_nobody_can_sign_themselves_up(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "mallory", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assertContains(response, "You cannot create an account here")
    assert not response.wsgi_request.user.is_authenticated
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="mallory").exists()


def test_a_forgotten_password_is_reset_by_the_administrator(client: Client) -> None:
    assertContains(client.get("/accounts/password/reset/"), "partnership administrator")


def test_signing_out_is_a_form_posted_with_its_csrf_token(client: Client) -> None:
    password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    html = client.get("/").content.decode()
    form_at = html.index(f'<form method="post" action="{reverse("account_logout")}">')
    assert 'name="csrfmiddlewaretoken"' in html[form_at : html.index("</form>", form_at)]
    response = client.post(reverse("account_logout"))
    assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
    assertContains(client.get(reverse("account_login")), "You have signed out.")
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_session_ends_when_the_browser_closes_and_after_the_idle_time(client: Client) -> None:
    password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    response = client.get("/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A cookie without an expiry is forgotten when the browser closes.
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert client.session.get_expiry_age() == settings.SHAREWISE_SESSION_MINUTES * 60
    assert client.session.get_expire_at_browser_close()
