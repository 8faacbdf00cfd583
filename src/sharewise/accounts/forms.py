"""allauth's forms with labels and error messages in the GOV.UK style: sentence case, and
an error that says what to do ("Enter your username"), not that something went wrong.

Chosen in settings.py (ACCOUNT_FORMS, MFA_FORMS); allauth's views use them unchanged.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm, LoginForm, ReauthenticateForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

HINT_FOR_A_NEW_ONE = (
    "Use at least 12 characters. Three or four unrelated words make a password that is "
    "long and easy to remember. Do not use a password you use anywhere else."
)
ENTER_CODE = "Enter the 6-digit code from your authenticator app"


def _relabel(form: forms.Form, name: str, label: str, required: str, hint: str = "") -> None:
    field = form.fields[name]
    field.label = label
    field.error_messages["required"] = required
    field.help_text = hint
    # Placeholders vanish as soon as someone types and are often mistaken for answers
    # already given, so the GOV.UK Design System uses labels and hints instead.
    field.widget.attrs.pop("placeholder", None)


class SignInForm(LoginForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "login", "Username", "Enter your username")
        _relabel(self, "password", "Password", "Enter your password")


class PasswordChangeForm(ChangePasswordForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "oldpassword", "Current password", "Enter your current password")
        _relabel(self, "password1", "New password", "Enter a new password", HINT_FOR_A_NEW_ONE)
        _relabel(self, "password2", "Confirm new password", "Enter the new password again")


class PasswordReauthenticateForm(ReauthenticateForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "password", "Password", "Enter your password")


class CodeAuthenticateForm(AuthenticateForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            "code",
            "Code",
            ENTER_CODE,
            "A recovery code works here too, if you do not have your authenticator app.",
        )


class CodeReauthenticateForm(MFAReauthenticateForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "code", "Code", ENTER_CODE)


class TOTPActivateForm(ActivateTOTPForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, "code", "Code from your authenticator app", ENTER_CODE)
