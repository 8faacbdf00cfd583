"""Writes about accounts. Every way of making an account (the demo loader now, the
partnership administrator's pages later) goes through `account_create`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from sharewise.agencies.models import Agency, Membership, Role
from sharewise.audit.services import audit_append

from .models import Profile


@transaction.atomic
def account_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    agency: Agency,
    role: Role | str,
    lead_title: str = "",
    password: str | None = None,
    password_hash: str | None = None,
    is_demo: bool = False,
) -> Any:
    """Make a user with one role in one agency. Give either the password, or (for many
    accounts that share one password, as the demo's do) its hash, made once."""
    if (password is None) == (password_hash is None):
        raise ValueError("give a password or a password hash, not both or neither")
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name)
    if password is not None:
        user.set_password(password)
    elif password_hash is not None:
        user.password = password_hash
    user.save()
    Profile.objects.create(user=user, is_demo=is_demo)
    Membership.objects.create(user=user, agency=agency, role=role, lead_title=lead_title)
    # No actor yet: accounts are made by the demo loader and the command line, which act
    # for no signed-in user. The administrator's pages will pass theirs.
    audit_append(
        actor=None, verb="account.create", obj=user, agency=agency, details={"role": str(role)}
    )
    return user
