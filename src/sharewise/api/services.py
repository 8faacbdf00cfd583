"""Writes of API tokens: create, revoke, and note each use.

Used by `sharewise token ...` and by the API's authentication, so a token is made and
checked in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sharewise.accounts.selectors import (
    second_factor_of,
    user_must_enrol_in_mfa,
    user_must_use_mfa,
)
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError

from .models import ApiToken

# The prefix lets secret scanners and people recognise a Sharewise token in a log or a
# repository where it should not be.
TOKEN_PREFIX = "sw_"  # noqa: S105 (a prefix, not a secret)
MUST_ENROL_FOR_API_MESSAGE = (
    "This token's user must protect their account with two-factor authentication before "
    "the API will answer: sign in to Sharewise on the web and set up an authenticator app."
)
# How often the time a token was last used is written: often enough to tell a token in use
# from one forgotten, without a database write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for `user`. Returns the record and the token itself, which is stored
    nowhere and must be handed to the integrator now."""
    if not user.is_active:
        raise ServiceError(f"The user {user.get_username()} is not active", field="user")
    if user_must_enrol_in_mfa(user=user):
        # The token would be refused on every call until then (api_token_authenticate).
        raise ServiceError(
            f"{user.get_username()} must set up two-factor authentication (an "
            "authenticator app, at their first sign-in on the web) before a token can be "
            "made for them",
            field="username",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name.strip(), token_hash=api_token_hash(token))
    # Tokens are made on the server's command line, for a user but not by one.
    audit_append(actor=None, verb="api.token_create", obj=record, details={"user_id": user.pk})
    return record, token


def api_token_create_for_username(*, username: str, name: str = "") -> tuple[ApiToken, str]:
    """`api_token_create` for the command line, which knows the user only by name."""
    user_model = get_user_model()
    try:
        user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
    except user_model.DoesNotExist:
        raise NotFound(f"There is no user called {username}", field="username") from None
    return api_token_create(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, api_token: ApiToken) -> ApiToken:
    """Stop a token working, for good. The record is kept to show when it was used."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit_append(
            actor=None,
            verb="api.token_revoke",
            obj=api_token,
            details={"user_id": api_token.user_id},
        )
    return api_token


@transaction.atomic
def api_token_revoke_by_name(*, username: str, name: str) -> int:
    """Revoke every working token of `username` called `name`; the number revoked."""
    user_model = get_user_model()
    working = ApiToken.objects.select_for_update().filter(
        **{f"user__{user_model.USERNAME_FIELD}": username},
        name=name.strip(),
        revoked_at__isnull=True,
    )
    # One by one, so that each revocation has its own audit entry.
    for api_token in working:
        api_token_revoke(api_token=api_token)
    return len(working)


def api_token_authenticate(*, token: str) -> Any | None:
    """The active user a working token belongs to, or None. Notes the use, at most once
    a minute. Refuses (PermissionDenied) a user whose role must use two-factor
    authentication and who has not set it up: the web sends them to set it up before
    anything else, and a token must not be the way round that (DESIGN.md capability 12)."""
    try:
        record = (
            ApiToken.objects.select_related("user")
            .annotate(user_has_second_factor=second_factor_of("user_id"))
            .get(token_hash=api_token_hash(token))
        )
    except ApiToken.DoesNotExist:
        return None
    if record.revoked_at is not None or not record.user.is_active:
        return None
    if not record.user_has_second_factor and user_must_use_mfa(user=record.user):
        raise PermissionDenied(MUST_ENROL_FOR_API_MESSAGE)
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        # An UPDATE of the one column, not save(): two requests at once with one token must
        # not overwrite a revocation made between them.
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
