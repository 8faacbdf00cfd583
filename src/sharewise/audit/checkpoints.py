"""Signed checkpoints of the audit chain's head, to keep outside the database.

Anyone who can write to the database can rewrite the whole chain with hashes that verify.
A checkpoint defeats that: the head (entry id and hash) and a time, signed with the
server's Ed25519 key and exported somewhere the database's users cannot write. Later,
`sharewise audit verify --checkpoint FILE` checks that the entry is still in the chain
with that hash and that the signature holds (docs/decisions/0006-audit-chain.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from sharewise.common import ServiceError
from sharewise.guidance.audit_chain import canonical_bytes

from .models import AuditCheckpoint, AuditHead

KEY_FILE_NAME = "audit_signing_key.pem"
ALGORITHM = "Ed25519"


def signing_key_path() -> Path:
    configured = os.environ.get("SHAREWISE_AUDIT_KEY_FILE", "").strip()
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEY_FILE_NAME


def signing_key() -> Ed25519PrivateKey:
    """The server's signing key, made on first use, readable by its owner only."""
    path = signing_key_path()
    try:
        # O_EXCL: two processes making the key at once must not both write one.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ServiceError(f"{path} does not hold an Ed25519 key", field="key") from None
        return key
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return key


def _public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def checkpoint_message(*, entry_id: int, entry_hash: str, at: dt.datetime) -> bytes:
    """What is signed: the head and the time, in the chain's own canonical form."""
    return canonical_bytes({"entry_id": entry_id, "entry_hash": entry_hash, "at": at})


def checkpoint_as_json(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "algorithm": ALGORITHM,
        "entry_id": checkpoint.entry_id,
        "entry_hash": checkpoint.entry_hash,
        "at": checkpoint.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
    }


def audit_checkpoint_create() -> AuditCheckpoint:
    """Sign the chain's current head and keep the checkpoint."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.entry_id is None:
        raise ServiceError("The audit log is empty: there is nothing to sign yet", field="head")
    key = signing_key()
    at = timezone.now()
    message = checkpoint_message(entry_id=head.entry_id, entry_hash=head.entry_hash, at=at)
    return AuditCheckpoint.objects.create(
        entry_id=head.entry_id,
        entry_hash=head.entry_hash,
        at=at,
        signature=base64.b64encode(key.sign(message)).decode("ascii"),
        public_key=_public_key_text(key.public_key()),
    )


def checkpoint_signature_problem(document: dict[str, Any]) -> str | None:
    """Why an exported checkpoint's signature does not hold, or None if it does."""
    try:
        at = dt.datetime.strptime(document["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        message = checkpoint_message(
            entry_id=int(document["entry_id"]), entry_hash=str(document["entry_hash"]), at=at
        )
        public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["public_key"]))
        public_key.verify(base64.b64decode(document["signature"]), message)
    except (KeyError, TypeError, ValueError):
        return "the checkpoint is not in the form `sharewise audit checkpoint` exports"
    except InvalidSignature:
        return (
            "the checkpoint's signature does not verify: it was altered or not signed by this key"
        )
    return None


def server_public_key_text() -> str | None:
    """The public half of the server's signing key, or None if none has been made."""
    path = signing_key_path()
    if not path.exists():
        return None
    try:
        return _public_key_text(signing_key().public_key())
    except OSError:
        # Verifying as a user who may not read the key: the checkpoint's own key is used.
        return None
