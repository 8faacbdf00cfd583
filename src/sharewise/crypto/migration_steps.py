"""The data steps of the migrations that first encrypt existing free text.

They work on table and column names with plain SQL (rotation.py), never on today's models,
so that they keep working however the models change later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .rotation import (
    SIGNED_DECISIONS_TABLE,
    EncryptedColumn,
    column_decrypt,
    column_encrypt,
    sqlite_decision_triggers_recreate,
)

RunPythonCode = Callable[[Any, Any], None]


def _columns(table: str, names: Sequence[str]) -> list[EncryptedColumn]:
    return [EncryptedColumn(table=table, pk_column="id", column=name) for name in names]


def encrypt_existing(table: str, names: Sequence[str]) -> RunPythonCode:
    """A RunPython step that encrypts every existing value of the columns, signed
    decisions included, and records how many in the audit log."""

    def encrypt(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if table == SIGNED_DECISIONS_TABLE:
            # On SQLite, changing the columns' type rebuilt the table, and its triggers went
            # with the old one; they are made again before any row is touched, so the one
            # exception below is the only way past them.
            sqlite_decision_triggers_recreate(connection)
        counts = {
            column.name: column_encrypt(connection, column) for column in _columns(table, names)
        }
        if sum(counts.values()):
            # The audit service is called from here, in the migration's transaction, only
            # when there were rows to encrypt (a new database has none). It writes through
            # today's AuditEntry model: should that model gain a column in a later
            # migration, migrating a database from before this one would need this step
            # changed to skip the entry.
            from sharewise.audit.services import audit_append

            audit_append(actor=None, verb="keys.encrypt_existing", details={"encrypted": counts})

    return encrypt


def decrypt_existing(table: str, names: Sequence[str]) -> RunPythonCode:
    """The reverse: store the values as plain text again, for the old column types."""

    def decrypt(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        for column in _columns(table, names):
            column_decrypt(connection, column)

    return decrypt


def decision_triggers_recreate(apps: Any, schema_editor: Any) -> None:
    """Make the signed-decision triggers again after SQLite rebuilt the table."""
    sqlite_decision_triggers_recreate(schema_editor.connection)
