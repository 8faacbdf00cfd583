"""Encrypting, re-encrypting and counting the stored values of the encrypted fields.

Everything here works on the raw column text with plain SQL, not through the models: the
migrations that first encrypt existing rows run it too, and a migration must not depend on
the models as they are today. Each batch is its own short transaction, so a running server
waits at most for one batch, and reads of values not yet re-encrypted keep working
throughout, because every key still in the keyring decrypts.
"""

from __future__ import annotations

import contextlib
import importlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sharewise.common import ServiceError

from . import keyring
from .fields import EncryptedFieldMixin

BATCH_SIZE = 200
# The table whose signed rows the database refuses to UPDATE (audit migration 0002).
SIGNED_DECISIONS_TABLE = "decisions_decision"


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    pk_column: str
    column: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


def encrypted_columns() -> list[EncryptedColumn]:
    """Every column of an installed model that holds an encrypted field, in a fixed order."""
    found: list[EncryptedColumn] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedFieldMixin):
                found.append(
                    EncryptedColumn(
                        table=model._meta.db_table,
                        pk_column=str(model._meta.pk.column),
                        column=str(field.column),
                    )
                )
    return sorted(found, key=lambda c: (c.table, c.column))


# PostgreSQL's one trigger refuses both UPDATE and DELETE of a signed decision.
POSTGRESQL_TRIGGER = "decision_signed_no_change"


def _sqlite_decision_triggers() -> list[str]:
    """SQLite's CREATE TRIGGER statements for signed decisions, UPDATE first, then DELETE,
    then the INSERT that would replace one (issue 17), taken from the migrations that made
    them so the two never differ."""
    triggers = importlib.import_module(
        "sharewise.audit.migrations.0002_refuse_changes_to_audit_and_signed_decisions"
    )
    replace = importlib.import_module(
        "sharewise.decisions.migrations.0007_refuse_replacing_signed_decisions"
    )
    statements: list[str] = [s for s in triggers.SQLITE_CREATE if "decisions_decision" in s]
    return [*statements, *replace.SQLITE_CREATE]


_DISCLOSURE_TRIGGERS = "sharewise.disclosures.migrations.0002_acknowledged_disclosure_never_changed"
# The UPDATE trigger of each table whose sealed rows the database refuses to change and
# that holds encrypted values (issue 17): the migration whose SQLite statement makes it,
# its name there, and its name on PostgreSQL.
SEALED_UPDATE_TRIGGERS: dict[str, tuple[str, str, str]] = {
    SIGNED_DECISIONS_TABLE: (
        "sharewise.audit.migrations.0002_refuse_changes_to_audit_and_signed_decisions",
        "decision_signed_no_update",
        POSTGRESQL_TRIGGER,
    ),
    **{
        table: (_DISCLOSURE_TRIGGERS, name, name)
        for table, name in (
            ("disclosures_disclosure", "disclosure_acknowledged_no_update"),
            ("disclosures_disclosureitem", "disclosureitem_acknowledged_no_update"),
            ("disclosures_identityrelease", "identityrelease_acknowledged_no_update"),
        )
    },
}


def _sqlite_trigger(table: str) -> tuple[str, str]:
    """The name and CREATE statement of `table`'s UPDATE trigger on SQLite."""
    module, name, _ = SEALED_UPDATE_TRIGGERS[table]
    statements: list[str] = importlib.import_module(module).SQLITE_CREATE
    (statement,) = [s for s in statements if s.startswith(f"CREATE TRIGGER {name} ")]
    return name, statement


@contextlib.contextmanager
def sealed_updates_allowed(connection: BaseDatabaseWrapper, table: str) -> Iterator[None]:
    """Let UPDATE through to the sealed rows of `table` (signed decisions, acknowledged
    disclosures and what they shared), inside the caller's transaction only.

    This is the one sanctioned exception to "a sealed record is never changed": the
    ciphertext of its free text is replaced by the same plain text encrypted under another
    key (or, in the migrations, encrypted for the first time), or disposal erases it at
    the end of its retention and seals it again in the audit log. The trigger is put back
    before the transaction commits, so no other connection ever sees the table without
    it, and the caller must be in a transaction so that an error puts it back too."""
    if not connection.in_atomic_block:
        raise RuntimeError("a sealed table's trigger may only be lifted inside a transaction")
    if table not in SEALED_UPDATE_TRIGGERS:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            name, statement = _sqlite_trigger(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            # PostgreSQL refuses ALTER TABLE on a table with foreign-key checks still
            # deferred to commit (rows written earlier in the same transaction); checking
            # them now, as commit would, clears them and changes nothing else that matters
            # here.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # DISABLE TRIGGER takes a lock on the table until the transaction ends, which
            # is why rotation keeps its batches small.
            name = SEALED_UPDATE_TRIGGERS[table][2]
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        else:
            raise RuntimeError(f"Sharewise runs on SQLite or PostgreSQL, not {connection.vendor}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(statement)
        else:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")


def signed_decision_updates_allowed(connection: BaseDatabaseWrapper) -> Any:
    """`sealed_updates_allowed` for signed decisions."""
    return sealed_updates_allowed(connection, SIGNED_DECISIONS_TABLE)


def sqlite_decision_triggers_recreate(connection: BaseDatabaseWrapper) -> None:
    """Make both signed-decision triggers again on SQLite, where rebuilding the table (as
    changing a column's type does) dropped them with the old table."""
    if connection.vendor != "sqlite":
        return
    statements = _sqlite_decision_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS decision_signed_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS decision_signed_no_delete")
        cursor.execute("DROP TRIGGER IF EXISTS decision_signed_no_replace")
        for statement in statements:
            cursor.execute(statement)


def _encrypted_under_newest(stored: str, newest: str) -> bool:
    """Whether a value is already as a new write would store it: under the newest key, and
    bound to its row (a v1 value under the newest key is rewritten all the same)."""
    return keyring.is_bound_to_row(stored) and keyring.key_id_of(stored) == newest


def column_encrypt(
    connection: BaseDatabaseWrapper,
    column: EncryptedColumn,
    *,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[], None] | None = None,
) -> int:
    """Encrypt under the newest key, bound to its row, every value of `column` that is not
    already: plain text left from before encryption, values under older keys, and values
    in the v1 form that names no row. Returns how many."""
    return _column_rewrite(
        connection, column, encrypt=True, batch_size=batch_size, after_batch=after_batch
    )


def column_decrypt(connection: BaseDatabaseWrapper, column: EncryptedColumn) -> int:
    """Store every value of `column` as plain text again (the migrations' reverse)."""
    return _column_rewrite(connection, column, encrypt=False, batch_size=BATCH_SIZE)


def _column_rewrite(
    connection: BaseDatabaseWrapper,
    column: EncryptedColumn,
    *,
    encrypt: bool,
    batch_size: int,
    after_batch: Callable[[], None] | None = None,
) -> int:
    quote = connection.ops.quote_name
    table, pk, col = quote(column.table), quote(column.pk_column), quote(column.column)
    select = f"SELECT {pk}, {col} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"  # noqa: S608
    # The old value is in the WHERE clause: a row changed by someone else since it was
    # read is left alone (it was written under the newest key anyway).
    update = f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s"  # noqa: S608
    newest = keyring.KEYRING.newest().id
    rewritten = 0
    last_pk: Any = 0
    while True:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(select, [last_pk, batch_size])
                rows = cursor.fetchall()
            if not rows:
                break
            last_pk = rows[-1][0]
            changes = []
            for pk_value, stored in rows:
                if not stored:
                    continue
                if encrypt and _encrypted_under_newest(stored, newest):
                    continue
                if not encrypt and not keyring.is_encrypted(stored):
                    continue
                row = str(pk_value)
                plaintext = (
                    keyring.decrypt(stored, table=column.table, column=column.column, row=row)
                    if keyring.is_encrypted(stored)
                    else stored
                )
                new = (
                    keyring.encrypt(plaintext, table=column.table, column=column.column, row=row)
                    if encrypt
                    else plaintext
                )
                changes.append((new, pk_value, stored))
            if changes:
                with (
                    sealed_updates_allowed(connection, column.table),
                    connection.cursor() as cursor,
                ):
                    for change in changes:
                        cursor.execute(update, list(change))
                        rewritten += cursor.rowcount
        if after_batch is not None:
            after_batch()
    return rewritten


def key_usage(connection: BaseDatabaseWrapper | None = None) -> Counter[str]:
    """How many stored values each key id encrypts, over every encrypted column."""
    connection = connection or connections["default"]
    quote = connection.ops.quote_name
    usage: Counter[str] = Counter()
    for column in encrypted_columns():
        sql = f"SELECT {quote(column.column)} FROM {quote(column.table)} WHERE {quote(column.column)} LIKE %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [keyring.PREFIX + "%"])
            for (stored,) in cursor.fetchall():
                key_id = keyring.key_id_of(stored)
                if key_id is not None:
                    usage[key_id] += 1
    return usage


def values_not_bound_to_row(connection: BaseDatabaseWrapper | None = None) -> int:
    """How many stored values are still in the v1 form, which names no row: a copy of one
    into another row of its column would decrypt there, until `keys rotate` rewrites it."""
    connection = connection or connections["default"]
    quote = connection.ops.quote_name
    found = 0
    for column in encrypted_columns():
        sql = f"SELECT count(*) FROM {quote(column.table)} WHERE {quote(column.column)} LIKE %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [keyring.FORMAT_V1 + "%"])
            found += int(cursor.fetchone()[0])
    return found


def keys_rotate(
    *, batch_size: int = BATCH_SIZE, after_batch: Callable[[], None] | None = None
) -> tuple[keyring.FieldKey, dict[str, int]]:
    """Add a key, which encrypts from now on, and re-encrypt every stored value under it.

    Returns the new key and how many values were re-encrypted in each column."""
    from sharewise.audit.services import audit_append

    key = keyring.KEYRING.add()
    connection = connections["default"]
    counts = {
        column.name: column_encrypt(
            connection, column, batch_size=batch_size, after_batch=after_batch
        )
        for column in encrypted_columns()
    }
    audit_append(
        actor=None,
        verb="keys.rotate",
        details={"key": key.id, "reencrypted": counts},
    )
    return key, counts


def keys_retire_old() -> list[str]:
    """Remove from the keyring every key but the newest, once no stored value uses one.

    Refuses, and removes nothing, while any value is still encrypted under an old key."""
    from sharewise.audit.services import audit_append

    keys = keyring.KEYRING.keys()
    old = {k.id for k in keys[:-1]}
    usage = key_usage()
    still_used = sorted(key_id for key_id in old if usage[key_id])
    if still_used:
        raise ServiceError(
            "Keys "
            + ", ".join(f"{key_id} ({usage[key_id]} values)" for key_id in still_used)
            + " still encrypt stored values: run `sharewise keys rotate` first",
            field="key",
        )
    if not old:
        return []
    # The entry first: if the keyring cannot be written, the transaction rolls it back and
    # the log does not claim a retirement that did not happen.
    with transaction.atomic():
        audit_append(actor=None, verb="keys.retire", details={"keys": sorted(old)})
        keyring.KEYRING.remove(old)
    return sorted(old)
