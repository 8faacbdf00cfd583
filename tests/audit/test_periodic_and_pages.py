"""Checkpoints come on their own every so many entries, and every page that shows personal
data (the wizard's pages and a list of people included) leaves an entry."""

from __future__ import annotations

import pytest
from django.test import Client

from sharewise.audit.checkpoints import checkpoint_as_json, checkpoint_signature_problem
from sharewise.audit.models import AuditCheckpoint, AuditEntry
from sharewise.audit.services import audit_append
from sharewise.decisions import services
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


def test_a_checkpoint_is_signed_every_so_many_entries(settings) -> None:
    settings.SHAREWISE_AUDIT_CHECKPOINT_EVERY = 3
    AuditCheckpoint.objects.all().delete()
    first = AuditEntry.objects.count()
    appended = [audit_append(actor=None, verb="test.tick") for _ in range(7)]
    checkpoints = list(AuditCheckpoint.objects.order_by("id"))
    # However many entries came before, exactly two more thirds were reached in seven.
    assert len(checkpoints) == 2, (first, [c.entry_id for c in checkpoints])
    ids = {e.pk: e.entry_hash for e in appended}
    for checkpoint in checkpoints:
        assert ids[checkpoint.entry_id] == checkpoint.entry_hash
        assert checkpoint_signature_problem(checkpoint_as_json(checkpoint)) is None


def test_wizard_pages_and_people_lists_are_reads_on_the_record(sign_in) -> None:
    world = personas()
    person = PersonFactory(
        agency=world.agency_a, given_name="Helen", created_by=world.practitioner_a
    )
    decision = services.decision_start(
        user=world.practitioner_a, person=person, purpose="x", pack_id="hmg-2008"
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    before = AuditEntry.objects.count()
    assert client.get(f"/decisions/{decision.pk}/questions/purpose/").status_code == 200
    assert client.get(f"/decisions/{decision.pk}/check/").status_code == 200
    assert client.get("/people/?q=Helen").status_code == 200
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.verb, e.details) for e in entries] == [
        ("decision.view", {"page": "question"}),
        ("decision.view", {"page": "check"}),
        ("person.search", {"shown": 1, "count": 1, "page": 1}),
    ]
    assert all(e.actor_username == "practitioner_a" for e in entries)
    # The search words are not kept: they may be a name.
    assert "Helen" not in str([e.details for e in entries])
