"""MFA required for this role.

Anyone whose role shows them identifiable data about children and adults at risk must
protect their account with a second factor (DESIGN.md capability 12). allauth offers two-
factor authentication but has no setting that makes it compulsory for some users, so this
middleware does it: until such a user has set up an authenticator app, every page sends
them to the page that sets one up, and the JSON API refuses them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .mfa_session import session_has_mfa_proof
from .selectors import user_has_second_factor, user_must_use_mfa

# The pages a user who must set up two-factor authentication can still reach: setting it
# up (including confirming their password again when the sign-in was a while ago) and
# signing out. The health check is for process supervisors and shows nothing.
PAGES_OPEN_BEFORE_MFA = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "web:healthz",
    }
)
API_PREFIX = "/api/"

MUST_ENROL_MESSAGE = (
    "Your role lets you see identifiable information about people, so your account must "
    "be protected by two-factor authentication. Set up an authenticator app to carry on."
)
MUST_SIGN_IN_AGAIN_MESSAGE = (
    "Sign in again with your password and the code from your authenticator app."
)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or _is_open_before_mfa(request):
            return None
        if _is_api(request) and request.headers.get("Authorization", "").startswith("Bearer "):
            # The API authenticates each request by its token alone and never by the
            # session, so a browser's session cookie riding along decides nothing there;
            # the token's check refuses a user who has still to set up a second factor
            # (api.services.api_token_authenticate).
            return None
        # Checked first because it needs no query: this session has seen the second factor.
        if session_has_mfa_proof(request=request, user=user):
            return None
        if user_has_second_factor(user=user):
            # The account has an authenticator but this session never asked for it, so it
            # was not started by Sharewise's sign-in: end it rather than trust it.
            auth.logout(request)
            if _is_api(request):
                return _api_refusal(MUST_SIGN_IN_AGAIN_MESSAGE)
            messages.warning(request, MUST_SIGN_IN_AGAIN_MESSAGE)
            return redirect(settings.LOGIN_URL)
        if not user_must_use_mfa(user=user):
            return None
        if _is_api(request):
            return _api_refusal(MUST_ENROL_MESSAGE)
        # The set-up page explains why (accounts/base.html), so no message is queued here:
        # a browser's background requests (a favicon) would queue it again and again.
        return redirect("mfa_activate_totp")


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _is_open_before_mfa(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in PAGES_OPEN_BEFORE_MFA


def _api_refusal(message: str) -> HttpResponse:
    # The API's error shape (`{"error", "field"}`), as the CLI and the decision contract use.
    return JsonResponse({"error": message, "field": None}, status=403)
