"""Who at the recipient agency may read a disclosure: the named person or team only, or
anyone there who works with case records (issue 17; 004 "Necessary and proportionate",
003 3.49).

Disclosures sent before keep what they were sent under: the whole agency's case staff
could read them, so they are `agency`; new ones are `named` unless the sender says
otherwise (the services set it; a row without one is read as `named`, the narrower). Once
the limits are accepted the setting is part of what was accepted, so a
trigger refuses to change it, beside 0002's (which cover the columns there were then).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

REFUSED = "an acknowledged disclosure is never changed: what was shared stays as it was"
TRIGGER = "disclosure_acknowledged_readers_no_update"

SQLITE_CREATE = [
    f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON disclosures_disclosure
    WHEN OLD.acknowledged_at IS NOT NULL AND NEW.readers IS NOT OLD.readers
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"""
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TRIGGER}"]
POSTGRESQL_CREATE = [
    # The function 0002 made raises the same refusal.
    f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON disclosures_disclosure FOR EACH ROW
    WHEN (OLD.acknowledged_at IS NOT NULL AND NEW.readers IS DISTINCT FROM OLD.readers)
    EXECUTE FUNCTION disclosure_acknowledged_refuse_change()"""
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS {TRIGGER} ON disclosures_disclosure"]
TRIGGERS_SQL = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor: Any, which: int) -> None:
    statements = TRIGGERS_SQL.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for statement in statements[which]:
        schema_editor.execute(statement)


def sent_before(apps: Any, schema_editor: Any) -> None:
    # Before its trigger exists: an acknowledged disclosure's columns are frozen by 0002's
    # triggers, which know nothing of this one.
    apps.get_model("disclosures", "Disclosure").objects.update(readers="agency")


def create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0003_disclosure_opened_apart_from_read"),
    ]

    operations = [
        # Nullable, with no default, so that SQLite adds the column in place: making the
        # table again would lose its triggers and those of the tables that refer to it.
        # The services always set it; a row without one is read as `named` (the narrower).
        migrations.AddField(
            model_name="disclosure",
            name="readers",
            field=models.CharField(
                blank=True,
                choices=[
                    ("named", "Only the person or team it is sent to"),
                    ("agency", "Anyone at the recipient agency who works with case records"),
                ],
                max_length=10,
                null=True,
            ),
        ),
        migrations.RunPython(sent_before, migrations.RunPython.noop),
        migrations.RunPython(create, drop),
    ]
