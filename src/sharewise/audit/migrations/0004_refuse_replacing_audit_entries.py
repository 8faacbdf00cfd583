"""A trigger that refuses to insert an audit entry in place of another (issue 17).

On SQLite, `INSERT OR REPLACE` deletes the entry whose id (or `previous_hash`, or
`entry_hash`: both unique) the new row shares, without firing the DELETE trigger of
migration 0002, and puts the new row in its place. The chain would show it at the next
verify; this refuses it in the database itself, as UPDATE and DELETE are. The same
trigger on PostgreSQL refuses `INSERT ... ON CONFLICT` before its UPDATE is tried.

A plain INSERT that conflicts fails on the unique constraints anyway; the trigger costs
an append three index probes the constraints make too.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REPLACE_REFUSED = "the audit log is append-only: entries are never changed, deleted or replaced"
DISPLACES_ENTRY = (
    "SELECT 1 FROM audit_auditentry WHERE id = NEW.id"
    " OR previous_hash = NEW.previous_hash OR entry_hash = NEW.entry_hash"
)

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_auditentry
    WHEN EXISTS ({DISPLACES_ENTRY}) BEGIN SELECT RAISE(ABORT, '{REPLACE_REFUSED}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_entry_no_replace"]

POSTGRESQL_CREATE = [
    f"""CREATE FUNCTION audit_entry_refuse_replace() RETURNS trigger AS $$
    BEGIN
        IF EXISTS ({DISPLACES_ENTRY}) THEN RAISE EXCEPTION '{REPLACE_REFUSED}'; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_replace()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_replace ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_replace()",
]

TRIGGERS_SQL = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor: Any, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS_SQL:
        raise RuntimeError(f"Sharewise runs on SQLite or PostgreSQL, not {vendor}")
    for statement in TRIGGERS_SQL[vendor][which]:
        schema_editor.execute(statement)


def triggers_create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_count_entries_since_checkpoint")]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
