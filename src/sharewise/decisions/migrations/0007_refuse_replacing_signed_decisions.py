"""A trigger that refuses to insert a row in place of a signed decision (issue 17).

On SQLite, `INSERT OR REPLACE` of a row whose id (or `corrects_id`) is a signed
decision's deletes the signed row without firing its DELETE trigger (recursive triggers
are off), then inserts the new one: the "never changed" triggers of audit migration 0002
never see it. A BEFORE INSERT trigger runs first, whatever the conflict clause, and
refuses a row that would take the place of a signed one. On PostgreSQL, which has no
REPLACE, `INSERT ... ON CONFLICT DO UPDATE` is refused by the UPDATE trigger already; this
one refuses it earlier, and keeps the two databases' rules the same.

`crypto.rotation.sqlite_decision_triggers_recreate` makes this trigger again with the
others whenever a migration rebuilds the table on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REPLACE_REFUSED = "a signed decision is never changed or replaced: make a correction instead"
# The rows a new one would displace: its id, or the version it says it corrects (unique).
DISPLACES_SIGNED = (
    "SELECT 1 FROM decisions_decision WHERE status = 'signed'"
    " AND (id = NEW.id OR corrects_id = NEW.corrects_id)"
)

SQLITE_CREATE = [
    f"""CREATE TRIGGER decision_signed_no_replace BEFORE INSERT ON decisions_decision
    WHEN EXISTS ({DISPLACES_SIGNED}) BEGIN SELECT RAISE(ABORT, '{REPLACE_REFUSED}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS decision_signed_no_replace"]

POSTGRESQL_CREATE = [
    f"""CREATE FUNCTION decision_signed_refuse_replace() RETURNS trigger AS $$
    BEGIN
        IF EXISTS ({DISPLACES_SIGNED}) THEN RAISE EXCEPTION '{REPLACE_REFUSED}'; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER decision_signed_no_replace BEFORE INSERT ON decisions_decision
    FOR EACH ROW EXECUTE FUNCTION decision_signed_refuse_replace()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS decision_signed_no_replace ON decisions_decision",
    "DROP FUNCTION IF EXISTS decision_signed_refuse_replace()",
]

TRIGGERS_SQL = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor: Any, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS_SQL:
        raise RuntimeError(f"Sharewise runs on SQLite or PostgreSQL, not {vendor}")
    create, drop = TRIGGERS_SQL[vendor]
    # Dropped first: on SQLite an earlier migration's rebuild of the table may already
    # have made it (sqlite_decision_triggers_recreate makes every signed-decision trigger).
    for statement in drop if which else [*drop, *create]:
        schema_editor.execute(statement)


def triggers_create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0006_person_told_confirmed_and_special_category_conditions"),
        ("audit", "0002_refuse_changes_to_audit_and_signed_decisions"),
    ]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
