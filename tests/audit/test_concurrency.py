"""Concurrent appends chain in one order: the head lock makes each wait for the one before
(PostgreSQL only: SQLite has one writer at a time anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from sharewise.audit.models import AuditEntry
from sharewise.audit.services import audit_append
from sharewise.audit.verification import audit_chain_verify
from sharewise.guidance.audit_chain import ChainSummary
from tests.conftest import require_postgres
from tests.factories import personas

THREADS = 8
APPENDS = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_chain() -> None:
    require_postgres()
    user = personas().practitioner_a
    before = AuditEntry.objects.count()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append_many() -> None:
        try:
            barrier.wait()
            for _ in range(APPENDS):
                with transaction.atomic():
                    audit_append(actor=user, verb="person.view")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append_many) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result, _ = audit_chain_verify()
    assert isinstance(result, ChainSummary)
    assert result.count == before + THREADS * APPENDS
