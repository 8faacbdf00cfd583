from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sharewise.accounts"
    label = "accounts"
    verbose_name = "Accounts, sign-in and two-factor authentication"

    def ready(self) -> None:
        # Connects the receivers that remember, for this session, that the user has just
        # proved they hold their authenticator (RequireMFAMiddleware reads it).
        from sharewise.accounts import receivers  # noqa: F401
