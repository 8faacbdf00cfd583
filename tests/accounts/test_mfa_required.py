"""MFA required for this role (RequireMFAMiddleware).

Dev, a GP practice's practitioner on a live service, sees identifiable data, so until he
sets up an authenticator app every page sends him to set one up and the API refuses him.
Once he has one, signing in asks for its code. Demo accounts may skip it only while demo
mode is on; the partnership administrator, who sees no case records, is never made to.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from .conftest import DEV_PASSWORD, password_sign_in, totp_code, totp_give

ACTIVATE = "/accounts/2fa/totp/activate/"


def test_dev_without_mfa_is_sent_to_set_it_up_and_told_why(client: Client, dev: Any) -> None:
    password_sign_in(client, "dev", DEV_PASSWORD)
    assertRedirects(client.get("/"), ACTIVATE, fetch_redirect_response=False)
    assertRedirects(client.get("/packs/"), ACTIVATE, fetch_redirect_response=False)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assertContains(page, "Set up two-factor authentication to carry on")
    assertContains(page, "Your role lets you see identifiable information")


def test_dev_without_mfa_gets_a_json_refusal_from_the_api(client: Client, dev: Any) -> None:
    client.force_login(dev)
    response = client.get("/api/v1/anything")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["field"] is None
    assert "two-factor authentication" in body["error"]


def test_dev_without_mfa_can_still_sign_out_and_the_health_check_answers(
    client: Client, dev: Any
) -> None:
    client.force_login(dev)
    assert client.get("/healthz").status_code == 200
    # Long after signing in (here, with no record of it), he confirms his password first.
    assertRedirects(
        client.get(ACTIVATE),
        f"{reverse('account_reauthenticate')}?next={ACTIVATE.replace('/', '%2F')}",
        fetch_redirect_response=False,
    )
    assertContains(client.get(reverse("account_reauthenticate")), "Set up two-factor")
    assert client.get(reverse("account_logout")).status_code == 200
    assertRedirects(
        client.post(reverse("account_logout")),
        reverse("account_login"),
        fetch_redirect_response=False,
    )


def test_dev_with_an_authenticator_signs_in_with_its_code_and_gets_through(
    client: Client, dev: Any
) -> None:
    secret = totp_give(dev)
    response = password_sign_in(client, "dev", DEV_PASSWORD)
    assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)
    # Not signed in until the code is entered.
    assert not client.get("/").wsgi_request.user.is_authenticated
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assertContains(wrong, "The code is not right")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.get("/").status_code == 200
    assert client.get("/packs/").status_code == 200


def test_a_session_that_skipped_the_code_is_ended(client: Client, dev: Any) -> None:
    # A session started some other way than Sharewise's sign-in (here force_login) for an
    # account that has an authenticator never saw its code, so it is not trusted.
    totp_give(dev)
    client.force_login(dev)
    assertRedirects(client.get("/"), reverse("account_login"), fetch_redirect_response=False)
    assert not client.get("/").wsgi_request.user.is_authenticated
    # The API says so in JSON.
    client.force_login(dev)
    response = client.get("/api/v1/anything")
    assert response.status_code == 403
    assert "Sign in again" in json.loads(response.content)["error"]


# allauth announces a new authenticator once its transaction commits, and the session
# learns of it then; only a test that really commits sees that happen within the request.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("cache_cleared_after")
def test_dev_sets_up_an_authenticator_and_carries_on(client: Client, dev: Any) -> None:
    password_sign_in(client, "dev", DEV_PASSWORD)
    page = client.get(ACTIVATE)
    assertContains(page, "<svg")
    secret = client.session[SECRET_SESSION_KEY]
    assertContains(page, secret)
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assertRedirects(response, reverse("mfa_view_recovery_codes"), fetch_redirect_response=False)
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assertContains(codes, 'id="recovery-codes"')
    assert client.get("/").status_code == 200


def test_a_wrong_code_at_set_up_is_explained(client: Client, dev: Any) -> None:
    password_sign_in(client, "dev", DEV_PASSWORD)
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": "12"})
    assertContains(response, 'class="govuk-error-summary"')
    assertContains(response, '<a href="#id_code">The code is not right.')


def test_dev_may_not_remove_his_only_authenticator(client: Client, dev: Any) -> None:
    secret = totp_give(dev)
    password_sign_in(client, "dev", DEV_PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    page = client.get(reverse("mfa_deactivate_totp"))
    assertContains(page, "you cannot turn off two-factor authentication")
    client.post(reverse("mfa_deactivate_totp"))
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=dev, type=Authenticator.Type.TOTP).exists()


@pytest.mark.usefixtures("demo_partnership")
def test_a_demo_account_may_skip_mfa_while_demo_mode_is_on(client: Client) -> None:
    password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.usefixtures("demo_partnership")
def test_a_demo_account_must_use_mfa_when_demo_mode_is_off(client: Client, settings: Any) -> None:
    settings.SHAREWISE_DEMO = False
    password_sign_in(client, "teacher", settings.SHAREWISE_DEMO_PASSWORD)
    assertRedirects(client.get("/"), ACTIVATE, fetch_redirect_response=False)
    assert client.get("/api/v1/anything").status_code == 403


@pytest.mark.usefixtures("demo_partnership")
@pytest.mark.parametrize("demo", [True, False], ids=["demo-on", "demo-off"])
def test_the_partnership_administrator_is_not_made_to_use_mfa(
    client: Client, settings: Any, demo: bool
) -> None:
    settings.SHAREWISE_DEMO = demo
    password_sign_in(client, "admin", settings.SHAREWISE_DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_a_token_call_is_judged_by_its_token_not_by_the_session(client: Client, dev: Any) -> None:
    from tests.factories import api_token_for

    token = api_token_for(dev, "case system")
    password_sign_in(client, dev.username, DEV_PASSWORD)
    # The session has not passed MFA (the code was never entered), but the API ignores
    # sessions: the token decides.
    response = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert client.get("/api/v1/people").status_code in (401, 403)
