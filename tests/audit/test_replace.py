"""An audit entry cannot be replaced in place (issue 17): SQLite's `INSERT OR REPLACE`
deletes the entry it displaces without firing the DELETE trigger, and PostgreSQL's
`INSERT ... ON CONFLICT DO UPDATE` is an UPDATE by another name. The BEFORE INSERT trigger
refuses both, on the entry's id and on either of its unique hashes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from sharewise.audit.models import AuditEntry
from tests.factories import personas

from .journey import helen_signed, sql

pytestmark = pytest.mark.django_db

COLUMNS = [f.column for f in AuditEntry._meta.concrete_fields]


@pytest.fixture
def trail() -> list[AuditEntry]:
    helen_signed(personas())
    return list(AuditEntry.objects.order_by("id"))


def _copy(entry_id: int, **changed: Any) -> tuple[str, list[Any]]:
    parts = ["%s" if name in changed else name for name in COLUMNS]
    params = [changed[name] for name in COLUMNS if name in changed]
    return (
        f"SELECT {', '.join(parts)} FROM audit_auditentry WHERE id = %s",
        [*params, entry_id],
    )


def _displace(entry_id: int, **changed: Any) -> None:
    select, params = _copy(entry_id, **changed)
    columns = ", ".join(COLUMNS)
    if connection.vendor == "sqlite":
        sql(f"INSERT OR REPLACE INTO audit_auditentry ({columns}) {select}", params)
    else:
        target = "(id)" if "id" not in changed else "(previous_hash)"
        sql(
            f"INSERT INTO audit_auditentry ({columns}) {select} ON CONFLICT {target}"
            " DO UPDATE SET verb = EXCLUDED.verb",
            params,
        )


@pytest.mark.parametrize(
    "changed",
    [
        # In place of the entry with the same id.
        {"verb": "person.view"},
        # A new id in place of the entry with the same previous hash (unique).
        {"id": 10_000_000, "verb": "person.view", "entry_hash": "e" * 64},
    ],
    ids=["same id", "same previous hash"],
)
def test_an_entry_cannot_be_replaced(trail, changed) -> None:
    sign = next(e for e in trail if e.verb == "decision.sign")
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        _displace(sign.pk, **changed)
    assert AuditEntry.objects.get(pk=sign.pk).verb == "decision.sign"
    assert not AuditEntry.objects.filter(pk=10_000_000).exists()


def test_the_next_append_still_goes_in(trail) -> None:
    from sharewise.audit.services import audit_append

    entry = audit_append(actor=None, verb="person.list")
    assert entry.previous_hash == trail[-1].entry_hash
