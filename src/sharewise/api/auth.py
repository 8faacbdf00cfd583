"""Authentication of API calls: `Authorization: Bearer TOKEN`, and nothing else.

Session cookies are not accepted, so a page open in a practitioner's browser cannot be
made to call the API for them (no CSRF to defend), and every call is made with a token an
administrator issued with `sharewise token create`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        # None makes ninja answer 401, the same for a missing, unknown, revoked token or
        # one whose user was deactivated: the caller is not told which.
        return api_token_authenticate(token=token.strip())


def token_user(request: HttpRequest) -> Any:
    """The user whose token authenticated `request` (set by ninja from BearerToken)."""
    return request.auth  # type: ignore[attr-defined]
