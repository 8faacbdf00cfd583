"""The audit log: an append-only, hash-chained table of who did what, to which record.

Entries are never updated or deleted: database triggers refuse both (migration 0002), and
each entry's hash covers the one before it (`guidance.audit_chain`), so a change made
around the triggers shows when the chain is verified. `AuditHead` is the one row every
append locks, which puts concurrent appends in one order; `AuditCheckpoint` keeps signed
heads that can be exported and checked against later (docs/decisions/0006-audit-chain.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from sharewise.agencies.models import Agency


class Outcome(models.TextChoices):
    OK = "ok", "Done"
    DENIED = "denied", "Refused"


class AuditEntry(models.Model):
    at = models.DateTimeField()
    # The user is kept by name as well as by key, so the entry reads on its own in an
    # export. An account that has acted cannot be deleted (PROTECT, and the triggers would
    # refuse the change anyway): it is deactivated instead.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # The person the record is about, so "who has viewed this record" is one indexed query.
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    # Small and structured (field names, ids, outcomes); never personal free text, which
    # could not then be erased when a retention schedule says so.
    details = models.JSONField(default=dict, blank=True)
    # Unique, so two appends can never follow the same entry: a fork of the chain is
    # refused by the database even if the head lock were bypassed.
    previous_hash = models.CharField(max_length=64, unique=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id", "-id"], name="audit_target_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.verb} {self.object_type} {self.object_id}"

    def chain_fields(self) -> dict[str, Any]:
        """The fields the entry's hash covers (everything but the id and the hashes)."""
        return {
            "at": self.at,
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "agency_id": self.agency_id,
            "request_id": self.request_id,
            "outcome": self.outcome,
            "details": self.details,
        }


class AuditHead(models.Model):
    """The last entry of the chain. There is one row (id 1); every append locks it."""

    entry_id = models.BigIntegerField(null=True)
    entry_hash = models.CharField(max_length=64)
    # Appends since the last signed checkpoint: kept on the locked head row so that deciding
    # whether a checkpoint is due costs no query.
    since_checkpoint = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"head {self.entry_id} {self.entry_hash}"


class AuditCheckpoint(models.Model):
    """A head signed with the server's Ed25519 key, for export outside the database."""

    entry_id = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    signature = models.CharField(max_length=200)
    public_key = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"checkpoint {self.entry_id} at {self.at:%Y-%m-%d %H:%M}"
