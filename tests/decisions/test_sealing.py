"""The `decision.sign` entry seals the signed decision's whole content, and a correction's
entry the content it corrects (issue 17): what `audit verify` hashes again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from sharewise.audit.models import AuditEntry
from sharewise.audit.seals import CONTENT_FORM, CONTENT_SHA256, seal_details
from sharewise.cli import main
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from sharewise.decisions.sealing import SIGNED_CONTENT_FIELDS, SIGNED_CONTENT_FORM
from sharewise.people.services import person_create
from sharewise.rights import services as rights_services
from sharewise.rights.models import ImportedDecision
from tests.audit.journey import helen_signed, sql
from tests.factories import personas
from tests.rights.conftest import signed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


def test_every_column_of_a_decision_is_sealed() -> None:
    # A field added to Decision must be added to the sealed content, with its reason in
    # signed_decision_content_sha256's docstring, and the form moved on (audit/seals.py).
    columns = {f.attname for f in Decision._meta.concrete_fields}
    assert set(SIGNED_CONTENT_FIELDS) == columns
    assert len(SIGNED_CONTENT_FIELDS) == len(columns)


def test_the_sign_entry_carries_the_hash_of_what_was_signed(world) -> None:
    signed = helen_signed(world)
    entry = AuditEntry.objects.get(verb="decision.sign", object_id=str(signed.pk))
    assert entry.details["outcome"] == signed.outcome
    assert entry.details[CONTENT_FORM] == SIGNED_CONTENT_FORM
    assert entry.details == {"outcome": signed.outcome, **seal_details("decision", signed.pk)}
    assert len(entry.details[CONTENT_SHA256]) == 64
    # Nothing but the hash: no free text in an audit entry's details.
    assert "Refer bruising" not in json.dumps(entry.details)


def test_two_decisions_with_the_same_answers_have_different_seals(world) -> None:
    first, second = helen_signed(world), helen_signed(world)
    seals = {seal_details("decision", d.pk)[CONTENT_SHA256] for d in (first, second)}
    assert len(seals) == 2


def test_a_correction_names_the_content_it_corrects(world, capsys) -> None:
    signed = helen_signed(world)
    sealed = seal_details("decision", signed.pk)[CONTENT_SHA256]
    correction = services.decision_correct(user=world.practitioner_a, decision=signed)
    entry = AuditEntry.objects.get(verb="decision.correct")
    assert entry.details == {"corrects": signed.pk, "corrects_content_sha256": sealed}
    # The correction is signed through decision_sign, and sealed by its own entry.
    services.decision_sign(user=world.practitioner_a, decision=correction)
    sign = AuditEntry.objects.get(verb="decision.sign", object_id=str(correction.pk))
    assert sign.details[CONTENT_SHA256] == seal_details("decision", correction.pk)[CONTENT_SHA256]
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def _imported_and_signed(world: Any) -> Decision:
    helen = person_create(
        user=world.practitioner_a, agency=world.agency_a, given_name="Helen", family_name="Marsh"
    )
    exported = rights_services.decision_export(
        user=world.lead_a,
        decision=signed_decision(world.practitioner_a, helen, purpose="Refer", notes="Seen"),
    )
    theirs = person_create(
        user=world.practitioner_b, agency=world.agency_b, given_name="Helen", family_name="M"
    )
    draft = rights_services.decision_import(
        user=world.practitioner_b, person=theirs, document=exported
    )
    return services.decision_sign(user=world.practitioner_b, decision=draft)


def _sqlite_or_postgres_triggers_off(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_where_an_imported_decision_came_from_is_sealed_with_it(world, capsys) -> None:
    signed = _imported_and_signed(world)
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()
    _sqlite_or_postgres_triggers_off("rights_importeddecision")
    sql(
        "UPDATE rights_importeddecision SET source_agency = 'Northtown Police' WHERE decision_id = %s",
        [signed.pk],
    )
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.startswith(f"broken: decision {signed.pk}: changed:")


def test_where_an_imported_decision_came_from_cannot_be_changed(world) -> None:
    # The rights app's triggers (migration 0003): UPDATE, DELETE and a row put in the place
    # of the import's (SQLite's REPLACE deletes it without its DELETE trigger) are refused.
    signed = _imported_and_signed(world)
    imported = ImportedDecision.objects.get(decision=signed)
    columns = [f.column for f in ImportedDecision._meta.concrete_fields]
    replace = "INSERT OR REPLACE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    for statement, params in (
        ("UPDATE rights_importeddecision SET source_agency = 'Other' WHERE id = %s", [imported.pk]),
        ("DELETE FROM rights_importeddecision WHERE id = %s", [imported.pk]),
        (
            f"{replace} rights_importeddecision ({', '.join(columns)})"
            f" SELECT {', '.join(columns)} FROM rights_importeddecision WHERE id = %s",
            [imported.pk],
        ),
    ):
        with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
            sql(statement, params)
    assert ImportedDecision.objects.get(pk=imported.pk).source_agency == imported.source_agency


def test_a_decision_made_here_cannot_be_passed_off_as_imported(world, capsys) -> None:
    signed = helen_signed(world)
    ImportedDecision.objects.create(
        decision=signed,
        document_sha256="0" * 64,
        format_version=1,
        source_agency="Northtown Police",
        imported_by=world.practitioner_a,
    )
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.startswith(f"broken: decision {signed.pk}: changed:")
