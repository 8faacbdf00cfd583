"""Triggers that refuse to change the audit log or a signed decision, and the chain head.

The application never updates or deletes an audit entry or a signed decision; these
triggers make the database refuse it too, so a bug, a shell session or a later migration
cannot quietly rewrite the record. They are per database: `RAISE(ABORT)` on SQLite, a
plpgsql function raising an exception on PostgreSQL. A draft can still be signed: the
decision trigger looks at the stored (OLD) status only.

On SQLite, a migration that rebuilds decisions_decision (most ALTERs do) drops its
triggers with the old table: tests/audit/test_triggers.py fails if that happens, and such
a migration must then recreate them from `TRIGGERS_SQL` here.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

AUDIT_REFUSED = "the audit log is append-only: entries are never changed or deleted"
SIGNED_REFUSED = "a signed decision is never changed or deleted: make a correction instead"

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSED}'); END""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSED}'); END""",
    f"""CREATE TRIGGER decision_signed_no_update BEFORE UPDATE ON decisions_decision
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{SIGNED_REFUSED}'); END""",
    f"""CREATE TRIGGER decision_signed_no_delete BEFORE DELETE ON decisions_decision
    WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{SIGNED_REFUSED}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS decision_signed_no_update",
    "DROP TRIGGER IF EXISTS decision_signed_no_delete",
]

POSTGRESQL_CREATE = [
    f"""CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{AUDIT_REFUSED}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()""",
    f"""CREATE FUNCTION decision_signed_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{SIGNED_REFUSED}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER decision_signed_no_change BEFORE UPDATE OR DELETE ON decisions_decision
    FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION decision_signed_refuse_change()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS decision_signed_no_change ON decisions_decision",
    "DROP FUNCTION IF EXISTS decision_signed_refuse_change()",
    "DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
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


def head_create(apps: Any, schema_editor: Any) -> None:
    head = apps.get_model("audit", "AuditHead")
    head.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"entry_id": None, "entry_hash": "0" * 64}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_log"),
        ("decisions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(triggers_create, triggers_drop),
        migrations.RunPython(head_create, migrations.RunPython.noop),
    ]
