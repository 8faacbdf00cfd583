"""Whether the person signed in has proved their second factor in this session.

allauth asks for the authenticator code at sign-in whenever the account has one, and
records that in the session. Sharewise checks the record on every request as well, so
that any other way of starting a session (a future single sign-on, an admin site, a
test's force_login) cannot carry someone past two-factor authentication unnoticed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest

# Set when the user activates an authenticator in this session: entering a code from the
# new authenticator proves they hold it, just as the sign-in step would.
ENROLLED_IN_SESSION_KEY = "sharewise_mfa_enrolled_user"


def session_has_mfa_proof(*, request: HttpRequest, user: Any) -> bool:
    if request.session.get(ENROLLED_IN_SESSION_KEY) == str(user.pk):
        return True
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def session_record_enrolment(*, request: HttpRequest, user: Any) -> None:
    request.session[ENROLLED_IN_SESSION_KEY] = str(user.pk)
