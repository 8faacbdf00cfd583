"""The other records the product calls unchangeable (issue 17): an acknowledged
disclosure, with what it shared, and a protocol signed by every party, with its parties and
signatures. Their triggers refuse a change, a deletion and a replacement; a change made
with the triggers dropped is named by `sharewise audit verify`; the changes the product
makes (withdrawn, the person told, superseded, erased at the end of retention) seal them
again and verify. On SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sharewise.audit.models import AuditEntry
from sharewise.audit.seals import CONTENT_SHA256, seal_details
from sharewise.cli import main
from sharewise.disclosures import services as disclosure_services
from sharewise.disclosures.models import Disclosure, DisclosureItem
from sharewise.protocols import services as protocol_services
from sharewise.protocols.models import Protocol, ProtocolSignature

# The fixtures of the disclosures' and the protocols' tests, used here as they are.
from tests.disclosures import conftest as disclosures_conftest
from tests.protocols import conftest as protocols_conftest
from tests.protocols.factories import in_force

from .journey import sql

pytestmark = pytest.mark.django_db

item = disclosures_conftest.item
partnership = disclosures_conftest.partnership
send = disclosures_conftest.send
signed_decision = disclosures_conftest.signed_decision
world = protocols_conftest.world


def _verify(capsys: Any) -> tuple[int, str]:
    status = main(["audit", "verify"])
    return status, capsys.readouterr().out


def _refused(change: Any, match: str = "never changed") -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        change()


def _triggers_off(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
                for (name,) in cursor.fetchall():
                    cursor.execute(f"DROP TRIGGER {name}")
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _replace_sql(table: str, row_id: int, changed: dict[str, Any]) -> tuple[str, list[Any]]:
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    parts = ["%s" if name in changed else name for name in columns]
    params = [*(changed[name] for name in columns if name in changed), row_id]
    select = f"SELECT {', '.join(parts)} FROM {table} WHERE id = %s"
    if connection.vendor == "sqlite":
        return f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) {select}", params
    assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in changed)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) {select}"
        f" ON CONFLICT (id) DO UPDATE SET {assignments}",
        params,
    )


@pytest.fixture
def acknowledged(partnership) -> Disclosure:
    p = partnership
    disclosure = send(p, signed_decision(p), items=[item(), item("Amy was upset on Monday")])
    return disclosure_services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)


# Acknowledged disclosures.


def test_the_acknowledgement_seals_the_disclosure(acknowledged, capsys) -> None:
    entry = AuditEntry.objects.get(verb="disclosure.acknowledge")
    assert entry.details == seal_details("disclosure", acknowledged.pk)
    assert _verify(capsys)[0] == 0


def test_an_acknowledged_disclosure_and_what_it_shared_cannot_be_changed(
    partnership, acknowledged
) -> None:
    pk = acknowledged.pk
    first = DisclosureItem.objects.filter(disclosure=acknowledged).order_by("position").first()
    _refused(lambda: Disclosure.objects.filter(pk=pk).update(purpose="Something else"))
    _refused(lambda: Disclosure.objects.filter(pk=pk).update(recipient_user=partnership.dsl))
    # Who may read it is part of what was accepted (disclosures migration 0004).
    _refused(lambda: Disclosure.objects.filter(pk=pk).update(readers="agency"))
    _refused(lambda: sql("DELETE FROM disclosures_disclosure WHERE id = %s", [pk]))
    _refused(
        lambda: sql(
            "UPDATE disclosures_disclosureitem SET kind = 'opinion' WHERE id = %s", [first.pk]
        )
    )
    _refused(lambda: sql("DELETE FROM disclosures_disclosureitem WHERE id = %s", [first.pk]))
    _refused(
        lambda: DisclosureItem.objects.create(
            disclosure=acknowledged,
            position=9,
            text="Added later",
            kind="fact",
            source="Nobody",
            dated=first.dated,
        )
    )
    _refused(lambda: sql(*_replace_sql("disclosures_disclosure", pk, {"purpose": "Other"})))
    _refused(
        lambda: sql(*_replace_sql("disclosures_disclosureitem", first.pk, {"kind": "opinion"}))
    )
    assert Disclosure.objects.get(pk=pk).purpose == acknowledged.purpose


def test_what_happens_after_is_recorded_once_and_sealed_again(
    partnership, acknowledged, capsys
) -> None:
    p = partnership
    disclosure_services.disclosure_subject_told(
        user=p.teacher, disclosure=acknowledged, how="Told at home"
    )
    disclosure_services.disclosure_withdraw(
        user=p.dsl, disclosure=acknowledged, reason="Sent in error"
    )
    for verb in ("disclosure.subject_told", "disclosure.withdraw"):
        assert CONTENT_SHA256 in AuditEntry.objects.get(verb=verb).details
    assert _verify(capsys)[0] == 0
    # Once set, those are fixed too.
    _refused(lambda: Disclosure.objects.filter(pk=acknowledged.pk).update(withdrawn_by=p.teacher))


def test_a_disclosure_not_yet_acknowledged_is_not_sealed(partnership, capsys) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p))
    disclosure_services.disclosure_withdraw(user=p.dsl, disclosure=disclosure, reason="Too soon")
    assert CONTENT_SHA256 not in AuditEntry.objects.get(verb="disclosure.withdraw").details
    assert _verify(capsys)[0] == 0


def test_what_it_shared_changed_with_the_triggers_dropped_is_named(acknowledged, capsys) -> None:
    first, _second = DisclosureItem.objects.filter(disclosure=acknowledged).order_by("position")
    _triggers_off("disclosures_disclosureitem")
    sql("UPDATE disclosures_disclosureitem SET kind = 'opinion' WHERE id = %s", [first.pk])
    assert _verify(capsys) == (
        1,
        f"broken: disclosure {acknowledged.pk}: changed: its content no longer matches the "
        "hash its audit entry sealed\n",
    )


def test_an_item_s_text_moved_from_another_item_is_named(acknowledged, capsys) -> None:
    first, second = DisclosureItem.objects.filter(disclosure=acknowledged).order_by("position")
    _triggers_off("disclosures_disclosureitem")
    sql(
        "UPDATE disclosures_disclosureitem SET text = (SELECT text FROM disclosures_disclosureitem"
        " WHERE id = %s) WHERE id = %s",
        [second.pk, first.pk],
    )
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(
        f"broken: disclosure {acknowledged.pk}: changed: a value of it no longer decrypts"
    )


def test_the_recipient_changed_with_the_triggers_dropped_is_named(
    partnership, acknowledged, capsys
) -> None:
    _triggers_off("disclosures_disclosure")
    sql(
        "UPDATE disclosures_disclosure SET recipient_user_id = %s WHERE id = %s",
        [partnership.police_officer.pk, acknowledged.pk],
    )
    status, out = _verify(capsys)
    assert status == 1
    assert out.startswith(f"broken: disclosure {acknowledged.pk}: changed:")


# Protocols signed by every party.


def test_the_last_signature_seals_the_protocol(world, capsys) -> None:
    protocol = in_force(world)
    entry = AuditEntry.objects.get(verb="protocol.in_force")
    assert entry.details == {"supersedes": None, **seal_details("protocol", protocol.pk)}
    assert _verify(capsys)[0] == 0


def test_a_protocol_in_force_its_parties_and_signatures_cannot_be_changed(world) -> None:
    protocol = in_force(world)
    signature = ProtocolSignature.objects.filter(protocol=protocol).first()
    _refused(lambda: Protocol.objects.filter(pk=protocol.pk).update(title="Other terms"))
    _refused(lambda: Protocol.objects.filter(pk=protocol.pk).update(status="draft"))
    _refused(lambda: sql("DELETE FROM protocols_protocol WHERE id = %s", [protocol.pk]))
    _refused(
        lambda: ProtocolSignature.objects.filter(pk=signature.pk).update(signatory_name="Someone")
    )
    _refused(lambda: protocol.parties.add(world.agency_b))
    _refused(lambda: protocol.parties.remove(world.agency_a))
    _refused(lambda: sql(*_replace_sql("protocols_protocol", protocol.pk, {"title": "Other"})))
    _refused(
        lambda: sql(
            *_replace_sql("protocols_protocolsignature", signature.pk, {"signatory_name": "X"})
        )
    )
    assert Protocol.objects.get(pk=protocol.pk).title == protocol.title


def test_a_protocol_revised_and_withdrawn_is_sealed_again(world, capsys) -> None:
    first = in_force(world)
    revision = protocol_services.protocol_new_version(user=world.admin, protocol=first)
    protocol_services.protocol_submit(user=world.admin, protocol=revision)
    for lead, name in ((world.lead_a, "Lee A"), (world.lead_c, "Cat C")):
        protocol_services.protocol_sign(
            user=lead, protocol=revision, signatory_name=name, signatory_role="Lead"
        )
    assert Protocol.objects.get(pk=first.pk).status == "superseded"
    superseded = AuditEntry.objects.get(verb="protocol.superseded")
    assert superseded.object_id == str(first.pk)
    protocol_services.protocol_withdraw(
        user=world.admin, protocol=Protocol.objects.get(pk=revision.pk), reason="Replaced by law"
    )
    assert _verify(capsys)[0] == 0


def test_a_protocol_s_terms_changed_with_the_triggers_dropped_are_named(world, capsys) -> None:
    protocol = in_force(world)
    _triggers_off("protocols_protocol", "protocols_protocolsignature")
    sql("UPDATE protocols_protocol SET retention = 'Kept for ever' WHERE id = %s", [protocol.pk])
    sql(
        "UPDATE protocols_protocolsignature SET signatory_name = 'Someone else'"
        " WHERE protocol_id = %s",
        [protocol.pk],
    )
    assert _verify(capsys) == (
        1,
        f"broken: protocol {protocol.pk}: changed: its content no longer matches the hash its "
        "audit entry sealed\n",
    )


# Disposal: the one change the product makes to a sealed record's content.


def test_disposal_erases_a_sealed_record_and_seals_what_is_left(capsys) -> None:
    import datetime as dt

    from sharewise.retention import services as retention_services
    from sharewise.retention.models import RecordKind
    from tests.factories import personas
    from tests.retention.conftest import make_child

    child = make_child(personas())
    disclosure_services.disclosure_acknowledge(
        user=child.people.practitioner_b, disclosure=child.disclosure
    )
    all_due = timezone.localdate() + dt.timedelta(days=366 * 26)
    retention_services.retention_review_due(today=all_due)
    for kind in (RecordKind.CHILD_PROTECTION, RecordKind.DISCLOSURE):
        retention_services.retention_dispose(
            user=child.people.lead_a, person=child.person, kind=kind, today=all_due
        )
    assert Disclosure.objects.get(pk=child.disclosure.pk).purpose == ""
    erased = {(e.verb, e.object_id) for e in AuditEntry.objects.filter(verb__endswith=".erase")}
    assert erased == {
        ("decision.erase", str(child.decision.pk)),
        ("disclosure.erase", str(child.disclosure.pk)),
    }
    assert _verify(capsys)[0] == 0
