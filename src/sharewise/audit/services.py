"""Appending to the audit log: the one write the audit app has.

Every service that writes calls `audit_append` inside its own transaction, so the entry
and the change it records are committed together or not at all; a page or API call that
reads personal data calls it in a short transaction of its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from sharewise.agencies.models import Agency
from sharewise.guidance.audit_chain import GENESIS_HASH, canonical_bytes, entry_hash

from .models import AuditEntry, AuditHead, Outcome

HEAD_ID = 1
# A request id from a proxy is kept only when it looks like one: a header is attacker
# controlled, and the audit log must not carry arbitrary text into an export.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,64}")
REQUEST_ID_ATTRIBUTE = "sharewise_request_id"


def request_id_for(request: HttpRequest) -> str:
    """The id of `request` for its audit entries: the proxy's `X-Request-ID` if it is
    sane, else a new uuid4, kept on the request so every entry it makes shares it."""
    known: str | None = getattr(request, REQUEST_ID_ATTRIBUTE, None)
    if known is None:
        given = request.headers.get("X-Request-ID", "").strip()
        known = given if REQUEST_ID_PATTERN.fullmatch(given) else str(uuid.uuid4())
        setattr(request, REQUEST_ID_ATTRIBUTE, known)
    return known


def _head_locked() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=HEAD_ID)
    except AuditHead.DoesNotExist:
        pass
    # The migration makes the head; it is made again here only if it went missing (a test
    # database flushed between tests), from the last entry so the chain still follows on.
    last = AuditEntry.objects.order_by("-id").only("id", "entry_hash").first()
    AuditHead.objects.get_or_create(
        pk=HEAD_ID,
        defaults={
            "entry_id": last.pk if last else None,
            "entry_hash": last.entry_hash if last else GENESIS_HASH,
        },
    )
    return AuditHead.objects.select_for_update().get(pk=HEAD_ID)


def _type_and_id(record: models.Model | None) -> tuple[str, str]:
    if record is None:
        return "", ""
    return record._meta.model_name or "", str(record.pk)


def audit_append(
    *,
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    target: models.Model | None = None,
    agency: Agency | None = None,
    outcome: str = Outcome.OK,
    details: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (or a new one).

    `target` is the person the record is about; left out, it is `obj` when that is a
    person, else the person `obj` belongs to (its `person_id`). The agency defaults to
    the target's or the object's."""
    target_type, target_id = _type_and_id(target)
    if target is None and obj is not None:
        if obj._meta.model_name == "person":
            target_type, target_id = "person", str(obj.pk)
        elif getattr(obj, "person_id", None) is not None:
            target_type, target_id = "person", str(obj.person_id)  # type: ignore[attr-defined]
    agency_id = (
        agency.pk
        if agency is not None
        else getattr(target, "agency_id", None) or getattr(obj, "agency_id", None)
    )
    known_actor = actor if getattr(actor, "is_authenticated", False) else None
    object_type, object_id = _type_and_id(obj)
    # savepoint=False: inside a service's transaction the entry is part of it, with no
    # savepoint of its own to cost a round trip; called alone it opens its own.
    with transaction.atomic(savepoint=False):
        # The lock on the head row puts every append in one order: a second append waits
        # here until the first commits, then follows the entry the first added.
        head = _head_locked()
        entry = AuditEntry(
            at=timezone.now(),
            actor=known_actor,
            actor_username=known_actor.get_username() if known_actor else "",
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            target_type=target_type,
            target_id=target_id,
            agency_id=agency_id,
            request_id=request_id_for(request) if request is not None else "",
            outcome=outcome,
            details=dict(details or {}),
            previous_hash=head.entry_hash,
        )
        entry.entry_hash = entry_hash(head.entry_hash, canonical_bytes(entry.chain_fields()))
        entry.save(force_insert=True)
        head.entry_id = entry.pk
        head.entry_hash = entry.entry_hash
        head.since_checkpoint += 1
        # Checkpoints are periodic without a scheduler: every so many appends, the append
        # that reaches the count signs the new head in the same transaction, while it still
        # holds the head lock, so no entry can slip in between.
        if head.since_checkpoint >= settings.SHAREWISE_AUDIT_CHECKPOINT_EVERY:
            from .checkpoints import audit_checkpoint_create

            head.since_checkpoint = 0
            head.save(update_fields=["entry_id", "entry_hash", "since_checkpoint"])
            audit_checkpoint_create()
        else:
            head.save(update_fields=["entry_id", "entry_hash", "since_checkpoint"])
    return entry
