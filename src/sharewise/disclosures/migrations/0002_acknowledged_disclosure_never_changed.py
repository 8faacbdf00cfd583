"""Triggers that refuse to change an acknowledged disclosure, or what it shared (issue 17).

Once the named recipient has acknowledged the limits on sharing it, a disclosure is the
record of what was shared, with whom, and what they accepted: its items, the identities
released in it and its own columns are never changed. What happens to it afterwards is
recorded once each, by the services, in columns kept for it: the sender withdrawing it
(`withdrawn_*`) and the person being told (`subject_told_*`). So an UPDATE is refused when
it changes any other column, or changes one of those once it is set. DELETE is refused,
and so is an INSERT in the place of an acknowledged disclosure, or of an item or release
of one (SQLite's `INSERT OR REPLACE` deletes the row it displaces without firing its DELETE
trigger), or adding one to it.

The content is also sealed in the audit log (disclosures/sealing.py), which is what finds
a change made with these triggers dropped. Key rotation and disposal lift the UPDATE
triggers inside their own transaction (crypto.rotation.sealed_updates_allowed).

PostgreSQL allows no subquery in a trigger's WHEN, so its functions look at the
disclosure themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Every statement here is built from the constants of this module (table, column and
# trigger names, the message) and from NEW./OLD. column references, never from input: the
# `noqa: S608` on them says so.
REFUSED = "an acknowledged disclosure is never changed: what was shared stays as it was"
# The columns a service may still set, once, after the acknowledgement; the first is the
# time that says whether the rest have been set.
SET_ONCE = (
    ("withdrawn_at", "withdrawn_by_id", "withdrawn_reason"),
    ("subject_told_at", "subject_told_how", "subject_told_recorded_by_id"),
)
FROZEN = (
    "id",
    "agency_id",
    "person_id",
    "decision_id",
    "purpose",
    "recipient_agency_id",
    "recipient_user_id",
    "recipient_team_id",
    "recipient_name",
    "channel",
    "channel_details",
    "identity_check",
    "expires_on",
    "sent_by_id",
    "sent_at",
    "recorded_at",
    "read_by_id",
    "read_at",
    "acknowledged_by_id",
    "acknowledged_at",
    "withheld_identities",
)
# The tables of what a disclosure shared, each a row per item or release.
PARTS = ("disclosures_disclosureitem", "disclosures_identityrelease")


def _differs(column: str, vendor: str) -> str:
    operator = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return f"NEW.{column} {operator} OLD.{column}"


def _changed(vendor: str) -> str:
    """The condition, over OLD and NEW of an acknowledged disclosure, of a change refused."""
    frozen = [_differs(c, vendor) for c in FROZEN]
    for first, *rest in SET_ONCE:
        changes = " OR ".join(_differs(c, vendor) for c in (first, *rest))
        frozen.append(f"(OLD.{first} IS NOT NULL AND ({changes}))")
    return " OR ".join(frozen)


def _acknowledged(disclosure_id: str) -> str:
    return (
        "SELECT 1 FROM disclosures_disclosure"  # noqa: S608
        f" WHERE id = {disclosure_id} AND acknowledged_at IS NOT NULL"
    )


def _sqlite() -> list[str]:
    abort = f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    statements = [
        f"""CREATE TRIGGER disclosure_acknowledged_no_update BEFORE UPDATE
        ON disclosures_disclosure WHEN OLD.acknowledged_at IS NOT NULL
        AND ({_changed("sqlite")}) {abort}""",
        f"""CREATE TRIGGER disclosure_acknowledged_no_delete BEFORE DELETE
        ON disclosures_disclosure WHEN OLD.acknowledged_at IS NOT NULL {abort}""",
        f"""CREATE TRIGGER disclosure_acknowledged_no_replace BEFORE INSERT
        ON disclosures_disclosure WHEN EXISTS ({_acknowledged("NEW.id")}) {abort}""",
    ]
    for table in PARTS:
        name = table.removeprefix("disclosures_")
        statements += [
            f"""CREATE TRIGGER {name}_acknowledged_no_update BEFORE UPDATE ON {table}
            WHEN EXISTS ({_acknowledged("OLD.disclosure_id")})
            OR EXISTS ({_acknowledged("NEW.disclosure_id")}) {abort}""",
            f"""CREATE TRIGGER {name}_acknowledged_no_delete BEFORE DELETE ON {table}
            WHEN EXISTS ({_acknowledged("OLD.disclosure_id")}) {abort}""",
            # Covers REPLACE too: the row it would displace belongs to the same disclosure
            # (by id, or by the unique position or identity within it).
            f"""CREATE TRIGGER {name}_acknowledged_no_insert BEFORE INSERT ON {table}
            WHEN EXISTS ({_acknowledged("NEW.disclosure_id")})
            OR EXISTS (SELECT 1 FROM {table} AS old JOIN disclosures_disclosure AS d
            ON d.id = old.disclosure_id WHERE old.id = NEW.id
            AND d.acknowledged_at IS NOT NULL) {abort}""",  # noqa: S608
        ]
    return statements


def _sqlite_drop() -> list[str]:
    names = ["disclosure_acknowledged_no_update", "disclosure_acknowledged_no_delete"]
    names.append("disclosure_acknowledged_no_replace")
    for table in PARTS:
        name = table.removeprefix("disclosures_")
        names += [f"{name}_acknowledged_no_{what}" for what in ("update", "delete", "insert")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def _postgresql() -> list[str]:
    refuse = f"RAISE EXCEPTION '{REFUSED}'"
    statements = [
        f"""CREATE FUNCTION disclosure_acknowledged_refuse_change() RETURNS trigger AS $$
        BEGIN {refuse}; END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER disclosure_acknowledged_no_update BEFORE UPDATE
        ON disclosures_disclosure FOR EACH ROW WHEN (OLD.acknowledged_at IS NOT NULL
        AND ({_changed("postgresql")}))
        EXECUTE FUNCTION disclosure_acknowledged_refuse_change()""",
        """CREATE TRIGGER disclosure_acknowledged_no_delete BEFORE DELETE
        ON disclosures_disclosure FOR EACH ROW WHEN (OLD.acknowledged_at IS NOT NULL)
        EXECUTE FUNCTION disclosure_acknowledged_refuse_change()""",
        f"""CREATE FUNCTION disclosure_acknowledged_refuse_replace() RETURNS trigger AS $$
        BEGIN
            IF EXISTS ({_acknowledged("NEW.id")}) THEN {refuse}; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER disclosure_acknowledged_no_replace BEFORE INSERT
        ON disclosures_disclosure FOR EACH ROW
        EXECUTE FUNCTION disclosure_acknowledged_refuse_replace()""",
        # One function for the parts: the disclosure of OLD (UPDATE, DELETE) and of NEW
        # (INSERT, UPDATE) must not be acknowledged.
        f"""CREATE FUNCTION disclosure_part_refuse_change() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND EXISTS ({_acknowledged("OLD.disclosure_id")}) THEN
                {refuse};
            END IF;
            IF TG_OP <> 'DELETE' AND EXISTS ({_acknowledged("NEW.disclosure_id")}) THEN
                {refuse};
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    ]
    for table in PARTS:
        name = table.removeprefix("disclosures_")
        for what, operations in (("update", "UPDATE"), ("delete", "DELETE"), ("insert", "INSERT")):
            statements.append(
                f"""CREATE TRIGGER {name}_acknowledged_no_{what} BEFORE {operations} ON {table}
                FOR EACH ROW EXECUTE FUNCTION disclosure_part_refuse_change()"""
            )
    return statements


def _postgresql_drop() -> list[str]:
    statements = []
    for table in PARTS:
        name = table.removeprefix("disclosures_")
        for what in ("update", "delete", "insert"):
            statements.append(f"DROP TRIGGER IF EXISTS {name}_acknowledged_no_{what} ON {table}")
    for name in ("update", "delete", "replace"):
        statements.append(
            f"DROP TRIGGER IF EXISTS disclosure_acknowledged_no_{name} ON disclosures_disclosure"
        )
    return [
        *statements,
        "DROP FUNCTION IF EXISTS disclosure_part_refuse_change()",
        "DROP FUNCTION IF EXISTS disclosure_acknowledged_refuse_replace()",
        "DROP FUNCTION IF EXISTS disclosure_acknowledged_refuse_change()",
    ]


SQLITE_CREATE = _sqlite()
SQLITE_DROP = _sqlite_drop()
TRIGGERS_SQL = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (_postgresql(), _postgresql_drop()),
}
# The UPDATE triggers key rotation and disposal lift, by table (crypto.rotation).
UPDATE_TRIGGERS = {
    "disclosures_disclosure": "disclosure_acknowledged_no_update",
    **{t: f"{t.removeprefix('disclosures_')}_acknowledged_no_update" for t in PARTS},
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
    dependencies = [("disclosures", "0001_disclosures_and_protected_identities")]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
