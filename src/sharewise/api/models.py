"""Tokens that let a case-management system call the JSON API on a user's behalf.

Only a SHA-256 hash of each token is stored: a copy of the database, a backup or a
database administrator must not be able to act as a practitioner. The token itself is
shown once, when it is made, and cannot be recovered afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # Says which system holds the token ("case management at Northfield School"), so
    # that the right one can be revoked.
    name = models.CharField(max_length=200, blank=True)
    # The hex SHA-256 of the whole token. Tokens are long random strings, so a plain hash
    # (rather than a slow password hash) is enough, and lets a request find its token in
    # one indexed look-up.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token {self.name or self.pk} of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
