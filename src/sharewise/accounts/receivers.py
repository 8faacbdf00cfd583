"""Receivers of allauth's signals, connected in AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .mfa_session import session_record_enrolment
from .selectors import SECOND_FACTOR_TYPES, header_agency_remember


@receiver(authenticator_added, dispatch_uid="sharewise_mfa_enrolled_in_session")
def mfa_enrolled_in_session(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        session_record_enrolment(request=request, user=user)


@receiver(user_logged_in, dispatch_uid="sharewise_header_agency_at_sign_in")
def header_agency_at_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        header_agency_remember(request=request, user=user)
