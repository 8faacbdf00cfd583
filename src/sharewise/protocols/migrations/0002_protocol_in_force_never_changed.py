"""Triggers that refuse to change a protocol once every party has signed it (issue 17).

A protocol in force is the agreement its parties signed: its terms, its parties and their
signatures are never changed (a revision is a new version). What happens to it afterwards
is set by the services in columns kept for it: its status moves on from in force (to
superseded, or withdrawn), the time of that and who withdrew it and why are set once, and
the review sweep notes when it flagged the review date. An UPDATE that changes anything
else, or sets one of those again, is refused; so is DELETE, an INSERT in the place of a
protocol in force or of one of its parties or signatures (SQLite's `INSERT OR REPLACE`
deletes the row it displaces without firing its DELETE trigger), and adding either.

The content is also sealed in the audit log (protocols/sealing.py), which is what finds a
change made with these triggers dropped.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Every statement here is built from the constants of this module (table, column and
# trigger names, the message) and from NEW./OLD. column references, never from input: the
# `noqa: S608` on them says so.
REFUSED = "a protocol in force is never changed: start a new version to revise it"
# Set once each, after the protocol came into force; the first says whether it has been.
SET_ONCE = (
    ("superseded_at",),
    ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason"),
)
# Changed by the services while the protocol is in force, and sealed again each time.
MOVING = ("status", "review_flagged_for", "review_flagged_at", "updated_at")
FROZEN = (
    "id",
    "title",
    "purposes",
    "data_items",
    "article6_bases",
    "special_category_conditions",
    "legal_powers",
    "retention",
    "security",
    "individuals_rights",
    "review_date",
    "version",
    "supersedes_id",
    "created_by_id",
    "created_at",
    "submitted_at",
    "in_force_at",
)
PARTS = ("protocols_protocolsignature", "protocols_protocol_parties")


def _differs(column: str, vendor: str) -> str:
    operator = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return f"NEW.{column} {operator} OLD.{column}"


def _changed(vendor: str) -> str:
    refused = [_differs(c, vendor) for c in FROZEN]
    for first, *rest in SET_ONCE:
        changes = " OR ".join(_differs(c, vendor) for c in (first, *rest))
        refused.append(f"(OLD.{first} IS NOT NULL AND ({changes}))")
    # The status moves on from in force only, and only to superseded or withdrawn.
    refused.append(
        f"({_differs('status', vendor)} AND (OLD.status <> 'in_force'"
        " OR NEW.status NOT IN ('superseded', 'withdrawn')))"
    )
    return " OR ".join(refused)


def _in_force(protocol_id: str) -> str:
    return f"SELECT 1 FROM protocols_protocol WHERE id = {protocol_id} AND in_force_at IS NOT NULL"  # noqa: S608


def _displaces(table: str) -> str:
    return (
        f"SELECT 1 FROM {table} AS old JOIN protocols_protocol AS p ON p.id = old.protocol_id"  # noqa: S608
        " WHERE old.id = NEW.id AND p.in_force_at IS NOT NULL"
    )


def _sqlite() -> list[str]:
    abort = f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    statements = [
        f"""CREATE TRIGGER protocol_in_force_no_update BEFORE UPDATE ON protocols_protocol
        WHEN OLD.in_force_at IS NOT NULL AND ({_changed("sqlite")}) {abort}""",
        f"""CREATE TRIGGER protocol_in_force_no_delete BEFORE DELETE ON protocols_protocol
        WHEN OLD.in_force_at IS NOT NULL {abort}""",
        f"""CREATE TRIGGER protocol_in_force_no_replace BEFORE INSERT ON protocols_protocol
        WHEN EXISTS (SELECT 1 FROM protocols_protocol WHERE in_force_at IS NOT NULL
        AND (id = NEW.id OR supersedes_id = NEW.supersedes_id)) {abort}""",  # noqa: S608
    ]
    for table in PARTS:
        name = table.removeprefix("protocols_")
        statements += [
            f"""CREATE TRIGGER {name}_in_force_no_update BEFORE UPDATE ON {table}
            WHEN EXISTS ({_in_force("OLD.protocol_id")})
            OR EXISTS ({_in_force("NEW.protocol_id")}) {abort}""",
            f"""CREATE TRIGGER {name}_in_force_no_delete BEFORE DELETE ON {table}
            WHEN EXISTS ({_in_force("OLD.protocol_id")}) {abort}""",
            f"""CREATE TRIGGER {name}_in_force_no_insert BEFORE INSERT ON {table}
            WHEN EXISTS ({_in_force("NEW.protocol_id")}) OR EXISTS ({_displaces(table)})
            {abort}""",
        ]
    return statements


def _trigger_names() -> list[tuple[str, str]]:
    names = [("protocols_protocol", f"protocol_in_force_no_{w}") for w in ("update", "delete")]
    names.append(("protocols_protocol", "protocol_in_force_no_replace"))
    for table in PARTS:
        name = table.removeprefix("protocols_")
        names += [(table, f"{name}_in_force_no_{w}") for w in ("update", "delete", "insert")]
    return names


def _postgresql() -> list[str]:
    refuse = f"RAISE EXCEPTION '{REFUSED}'"
    statements = [
        f"""CREATE FUNCTION protocol_in_force_refuse_change() RETURNS trigger AS $$
        BEGIN {refuse}; END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER protocol_in_force_no_update BEFORE UPDATE ON protocols_protocol
        FOR EACH ROW WHEN (OLD.in_force_at IS NOT NULL AND ({_changed("postgresql")}))
        EXECUTE FUNCTION protocol_in_force_refuse_change()""",
        """CREATE TRIGGER protocol_in_force_no_delete BEFORE DELETE ON protocols_protocol
        FOR EACH ROW WHEN (OLD.in_force_at IS NOT NULL)
        EXECUTE FUNCTION protocol_in_force_refuse_change()""",
        f"""CREATE FUNCTION protocol_in_force_refuse_replace() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM protocols_protocol WHERE in_force_at IS NOT NULL
                AND (id = NEW.id OR supersedes_id = NEW.supersedes_id)) THEN {refuse};
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",  # noqa: S608
        """CREATE TRIGGER protocol_in_force_no_replace BEFORE INSERT ON protocols_protocol
        FOR EACH ROW EXECUTE FUNCTION protocol_in_force_refuse_replace()""",
        f"""CREATE FUNCTION protocol_part_refuse_change() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND EXISTS ({_in_force("OLD.protocol_id")}) THEN
                {refuse};
            END IF;
            IF TG_OP <> 'DELETE' AND EXISTS ({_in_force("NEW.protocol_id")}) THEN
                {refuse};
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    ]
    for table in PARTS:
        name = table.removeprefix("protocols_")
        for what in ("update", "delete", "insert"):
            statements.append(
                f"""CREATE TRIGGER {name}_in_force_no_{what} BEFORE {what.upper()} ON {table}
                FOR EACH ROW EXECUTE FUNCTION protocol_part_refuse_change()"""
            )
    return statements


SQLITE_CREATE = _sqlite()
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for _, name in _trigger_names()]
POSTGRESQL_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for table, name in _trigger_names()),
    "DROP FUNCTION IF EXISTS protocol_part_refuse_change()",
    "DROP FUNCTION IF EXISTS protocol_in_force_refuse_replace()",
    "DROP FUNCTION IF EXISTS protocol_in_force_refuse_change()",
]
TRIGGERS_SQL = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (_postgresql(), POSTGRESQL_DROP),
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
    dependencies = [("protocols", "0001_protocol_register_and_signatures")]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
