"""The keyring of AES-256-GCM keys that encrypt free-text fields, and the value format.

The keys live in `field_keys.json` in the data directory (or where
SHAREWISE_FIELD_KEYS_FILE says), readable by its owner only, made with one key on first
use. Each key has an id that is stored with every value it encrypts, so that a value can
always be decrypted after a newer key has been added: the newest key encrypts, every key
decrypts. A stored value reads

    enc:v2:<key id>:<base64 of nonce + ciphertext + tag>

and the table, the column and the primary key of the row it belongs to are the associated
data (`sharewise:v2:<table>.<column>:<pk>`), so a value copied into another column, another
table or another row of the same column fails to decrypt instead of being shown there
(docs/decisions/0019-encryption-bound-to-the-row.md). Values written before that read
`enc:v1:...` and name only the table and column; they still decrypt, and `sharewise keys
rotate` rewrites every one of them in the v2 form.

Django settings are read lazily, so `sharewise keys` can import this before set-up.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEYS_FILE_NAME = "field_keys.json"
PREFIX = "enc:"
# The form of values bound to their table and column only (before issue 17): read, never
# written.
FORMAT_V1 = "enc:v1:"
# The form every value is written in: bound to its row as well.
FORMAT = "enc:v2:"
FORMATS = (FORMAT, FORMAT_V1)
NONCE_BYTES = 12
KEY_BYTES = 32


class FieldKeyError(Exception):
    """The keyring cannot be read, or a stored value cannot be decrypted.

    The message names the column and the key id, never the value."""


@dataclass(frozen=True)
class FieldKey:
    id: str
    created: str
    secret: bytes = b""

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "created": self.created,
            "key": base64.b64encode(self.secret).decode("ascii"),
        }


def keys_file_path() -> Path:
    configured = os.environ.get("SHAREWISE_FIELD_KEYS_FILE", "").strip()
    if configured:
        return Path(configured).expanduser()
    from django.conf import settings

    return Path(settings.DATA_DIR) / KEYS_FILE_NAME


def _new_key() -> FieldKey:
    now = dt.datetime.now(dt.UTC)
    # The time in the id makes `sharewise keys list` readable; the random part keeps two
    # keys made in the same second apart. No colon: it separates the parts of a value.
    key_id = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    return FieldKey(
        id=key_id,
        created=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        secret=AESGCM.generate_key(bit_length=KEY_BYTES * 8),
    )


def _document(keys: list[FieldKey]) -> bytes:
    return (json.dumps({"keys": [k.as_json() for k in keys]}, indent=2) + "\n").encode("ascii")


def _parse(path: Path, raw: bytes) -> list[FieldKey]:
    try:
        document = json.loads(raw)
        keys = [
            FieldKey(
                id=str(item["id"]),
                created=str(item["created"]),
                secret=base64.b64decode(item["key"], validate=True),
            )
            for item in document["keys"]
        ]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise FieldKeyError(f"{path} is not a field keyring: {exc}") from None
    if not keys or any(len(k.secret) != KEY_BYTES or ":" in k.id for k in keys):
        raise FieldKeyError(f"{path} must hold at least one 256-bit key with an id")
    return keys


def _write_replace(path: Path, keys: list[FieldKey]) -> None:
    # Written to a private temporary file and renamed into place, so a server reading the
    # keyring at that moment sees either the old file or the new one, never half of one.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_document(keys))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _create_if_missing(path: Path) -> None:
    try:
        # O_EXCL: two processes starting at once must not each write a different first key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(_document([_new_key()]))
        handle.flush()
        os.fsync(handle.fileno())


class Keyring:
    """The keys of one file, read again whenever the file changes.

    A server keeps running while `sharewise keys rotate` adds a key: the next value it
    writes is encrypted under the new key, and a value another process encrypted under a
    key it has not seen yet sends it back to the file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[str, int, int] | None = None
        self._keys: list[FieldKey] = []

    def keys(self) -> list[FieldKey]:
        path = keys_file_path()
        # One stat per use: cheap beside a database round trip, and it is how a server
        # notices that `sharewise keys rotate` has added a key.
        try:
            stat = path.stat()
        except FileNotFoundError:
            _create_if_missing(path)
            stat = path.stat()
        stamp = (str(path), stat.st_mtime_ns, stat.st_ino)
        with self._lock:
            if stamp != self._stamp:
                self._keys = _parse(path, path.read_bytes())
                self._stamp = stamp
            return list(self._keys)

    def newest(self) -> FieldKey:
        return self.keys()[-1]

    def find(self, key_id: str) -> FieldKey | None:
        for key in self.keys():
            if key.id == key_id:
                return key
        return None

    def add(self) -> FieldKey:
        """Add a new key, which from now on encrypts every value written."""
        path = keys_file_path()
        keys = self.keys()
        key = _new_key()
        _write_replace(path, [*keys, key])
        return key

    def remove(self, key_ids: set[str]) -> None:
        path = keys_file_path()
        keys = self.keys()
        kept = [k for k in keys if k.id not in key_ids]
        if not kept or kept[-1].id != keys[-1].id:
            raise FieldKeyError("the newest key encrypts new values and is never removed")
        _write_replace(path, kept)


KEYRING = Keyring()


def associated_data(table: str, column: str, row: str | None = None) -> bytes:
    """What a value is bound to: its table and column, and in the v2 form its row's primary
    key. The version is in the bytes too, so a v2 value relabelled `enc:v1:` (to be
    decrypted without its row) fails like any other altered value."""
    if row is None:
        return f"sharewise:{table}.{column}".encode()
    return f"sharewise:v2:{table}.{column}:{row}".encode()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def _form_and_rest(stored: str) -> tuple[str | None, str]:
    for form in FORMATS:
        if stored.startswith(form):
            return form, stored[len(form) :]
    return None, stored


def is_bound_to_row(stored: str) -> bool:
    """Whether a stored value is in the v2 form, bound to its row."""
    return stored.startswith(FORMAT)


def key_id_of(stored: str) -> str | None:
    """The id of the key a stored value was encrypted under, or None for plain text."""
    form, rest = _form_and_rest(stored)
    if form is None:
        return None
    key_id, _, _ = rest.partition(":")
    return key_id


def encrypt(plaintext: str, *, table: str, column: str, row: str) -> str:
    """Encrypt under the newest key, bound to the table, the column and the row's key."""
    key = KEYRING.newest()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(
        nonce, plaintext.encode("utf-8"), associated_data(table, column, row)
    )
    return f"{FORMAT}{key.id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(stored: str, *, table: str, column: str, row: str | None) -> str:
    """The plain text of a stored value of `table.column` in the row whose primary key is
    `row`. A v2 value cannot be read without its row: None refuses it."""
    where = f"{table}.{column}"
    form, rest = _form_and_rest(stored)
    if form is None:
        raise FieldKeyError(f"The value in {where} is not in a format Sharewise encrypts in")
    if form == FORMAT and row is None:
        raise FieldKeyError(
            f"The value in {where} is bound to its row, and was read without knowing which"
        )
    key_id, _, body = rest.partition(":")
    key = KEYRING.find(key_id)
    if key is None:
        raise FieldKeyError(
            f"The value in {where} was encrypted under key {key_id}, which is not in the "
            f"keyring ({keys_file_path()})"
        )
    bound = associated_data(table, column, row if form == FORMAT else None)
    try:
        blob = base64.b64decode(body, validate=True)
        plaintext = AESGCM(key.secret).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], bound)
    except (binascii.Error, ValueError, InvalidTag):
        # InvalidTag covers a changed ciphertext and one copied from another column or
        # another row: AES-GCM cannot tell them apart, and none may be shown.
        raise FieldKeyError(
            f"The value in {where} cannot be decrypted: it was altered, or it was encrypted "
            "for another column or another row"
        ) from None
    return plaintext.decode("utf-8")
