"""What Sharewise keeps about an account beyond Django's user.

Roles and agencies live in `sharewise.agencies` (Membership); this app owns signing in,
two-factor authentication and the demo partnership.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharewise_profile"
    )
    # Demo accounts share one published password and hold only fictional records. They may
    # skip two-factor authentication, but only while demo mode is on (SHAREWISE_DEMO): the
    # flag alone never loosens anything on a live service.
    is_demo = models.BooleanField(
        default=False,
        help_text="Belongs to the fictional demo partnership loaded by `sharewise serve`.",
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"
