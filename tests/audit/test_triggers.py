"""The database itself refuses to change the audit log or a signed decision, on SQLite
and on PostgreSQL alike (CI runs this file on both)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from sharewise.audit.models import AuditEntry
from sharewise.crypto.fields import for_row
from sharewise.decisions.models import Decision, Status
from tests.factories import personas

from .journey import helen_signed, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return personas()


@pytest.fixture
def signed(world) -> Decision:
    return helen_signed(world)


def _refused(change) -> None:
    # Each attempt in a savepoint of its own: on PostgreSQL an error aborts the
    # transaction, and the test goes on after it.
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        change()


def test_audit_entries_cannot_be_updated_or_deleted(signed) -> None:
    entry = AuditEntry.objects.order_by("id").last()
    assert entry is not None
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(verb="person.view"))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    _refused(lambda: entry.delete())
    _refused(
        lambda: sql("UPDATE audit_auditentry SET outcome = 'denied' WHERE id = %s", [entry.pk])
    )
    _refused(lambda: sql("DELETE FROM audit_auditentry"))
    assert AuditEntry.objects.get(pk=entry.pk).verb == entry.verb


def test_a_signed_decision_cannot_be_updated_or_deleted(signed) -> None:
    _refused(
        lambda: Decision.objects.filter(pk=signed.pk).update(
            notes=for_row(signed.pk, "changed later")
        )
    )
    _refused(lambda: Decision.objects.filter(pk=signed.pk).delete())
    _refused(
        lambda: sql("UPDATE decisions_decision SET status = 'draft' WHERE id = %s", [signed.pk])
    )
    signed.purpose = "Something else"
    _refused(lambda: signed.save())
    assert Decision.objects.get(pk=signed.pk).purpose == "Refer bruising"


def test_a_draft_can_still_be_changed_signed_and_deleted(world, signed) -> None:
    # helen_signed went from draft to signed through an UPDATE: the trigger looks at the
    # stored status only. A draft may be changed and, before it is signed, deleted.
    assert signed.status == Status.SIGNED
    draft = Decision.objects.create(
        agency=signed.agency,
        person=signed.person,
        purpose="Draft",
        pack_id="hmg-2008",
        created_by=world.practitioner_a,
    )
    Decision.objects.filter(pk=draft.pk).update(notes=for_row(draft.pk, "still a draft"))
    Decision.objects.filter(pk=draft.pk).delete()
    assert not Decision.objects.filter(pk=draft.pk).exists()
