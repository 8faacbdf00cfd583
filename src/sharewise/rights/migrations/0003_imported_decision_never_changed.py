"""Triggers that refuse to change, delete or replace where an imported decision came from
(issue 17).

The `ImportedDecision` row is written once, by the import, and is what stops the record
passing off another agency's decision as the importing user's own work; nothing in
Sharewise changes it afterwards. Once the decision is signed its content, this row with it,
is sealed in the audit log (rights/sealing.py); these triggers refuse the change in the
database itself, before and after signing. The INSERT trigger refuses a row in the place
of another (its id, or its decision: both unique), which SQLite's `INSERT OR REPLACE`
would otherwise delete without firing the DELETE trigger.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REFUSED = "where an imported decision came from is never changed, deleted or replaced"
DISPLACES = (
    "SELECT 1 FROM rights_importeddecision WHERE id = NEW.id OR decision_id = NEW.decision_id"
)

SQLITE_CREATE = [
    f"""CREATE TRIGGER imported_decision_no_update BEFORE UPDATE ON rights_importeddecision
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER imported_decision_no_delete BEFORE DELETE ON rights_importeddecision
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER imported_decision_no_replace BEFORE INSERT ON rights_importeddecision
    WHEN EXISTS ({DISPLACES}) BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS imported_decision_no_update",
    "DROP TRIGGER IF EXISTS imported_decision_no_delete",
    "DROP TRIGGER IF EXISTS imported_decision_no_replace",
]

POSTGRESQL_CREATE = [
    f"""CREATE FUNCTION imported_decision_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{REFUSED}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER imported_decision_no_change BEFORE UPDATE OR DELETE
    ON rights_importeddecision FOR EACH ROW EXECUTE FUNCTION imported_decision_refuse_change()""",
    f"""CREATE FUNCTION imported_decision_refuse_replace() RETURNS trigger AS $$
    BEGIN
        IF EXISTS ({DISPLACES}) THEN RAISE EXCEPTION '{REFUSED}'; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER imported_decision_no_replace BEFORE INSERT ON rights_importeddecision
    FOR EACH ROW EXECUTE FUNCTION imported_decision_refuse_replace()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS imported_decision_no_replace ON rights_importeddecision",
    "DROP FUNCTION IF EXISTS imported_decision_refuse_replace()",
    "DROP TRIGGER IF EXISTS imported_decision_no_change ON rights_importeddecision",
    "DROP FUNCTION IF EXISTS imported_decision_refuse_change()",
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
    dependencies = [("rights", "0002_subject_access_request")]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
