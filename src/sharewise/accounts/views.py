"""The accounts pages Sharewise adds to allauth's: the account page, and a page in place
of each allauth page this service does not offer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sharewise.web.access import PUBLIC, SIGNED_IN, access

# allauth pages that rely on e-mail, which Sharewise accounts do not use: a partnership
# administrator resets passwords and two-factor authentication, so that nobody can take
# over an account through a mailbox.
NOT_OFFERED = {
    "password_reset": (
        "Reset your password",
        "Your partnership administrator resets passwords. Ask them, and they will give "
        "you a new one to change when you next sign in.",
    ),
    "email": (
        "E-mail addresses",
        "Sharewise accounts are not tied to an e-mail address: you sign in with your "
        "username. Your partnership administrator keeps your account details up to date.",
    ),
}


@access(SIGNED_IN)
@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


@access(PUBLIC)
@require_safe
def ask_administrator(request: HttpRequest, topic: str) -> HttpResponse:
    title, explanation = NOT_OFFERED[topic]
    return render(
        request, "accounts/ask_administrator.html", {"title": title, "explanation": explanation}
    )
