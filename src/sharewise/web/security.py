"""Security headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from sharewise.web.access import PUBLIC, policy_of

# A browser, a proxy or a shared computer's disk cache must keep no copy of a page or an API
# answer that may hold personal data: the next person at the school's front-desk computer
# would find it with the back button or in the cache folder.
NO_STORE = "no-store, private"
PUBLIC_PAGE_ATTRIBUTE = "_sharewise_public_page"


class PermissionsPolicyMiddleware:
    """Adds settings.PERMISSIONS_POLICY as the Permissions-Policy header of every response.

    One header does not justify a dependency (django-permissions-policy), and the policy
    is a fixed string: it denies features Sharewise never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy: str = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class CacheControlMiddleware:
    """Sends `Cache-Control: no-store, private` on every response except a public guidance
    page seen by someone who is not signed in (issue 17). A signed-in person's copy of even
    a public page carries their name in its header, so it is not stored either. Static
    files never reach this: WhiteNoise answers them first, with its own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(getattr(user, "is_authenticated", False))
        if signed_in or not getattr(request, PUBLIC_PAGE_ATTRIBUTE, False):
            response["Cache-Control"] = NO_STORE
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        match = request.resolver_match
        public = policy_of(view, match.view_name if match else None) is PUBLIC
        setattr(request, PUBLIC_PAGE_ATTRIBUTE, public)
