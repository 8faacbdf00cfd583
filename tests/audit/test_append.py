"""Every write and every read of personal data leaves an entry, chained to the one before."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from sharewise.audit.models import AuditEntry, AuditHead
from sharewise.audit.services import audit_append
from sharewise.audit.verification import audit_chain_verify
from sharewise.decisions import services
from sharewise.guidance.audit_chain import GENESIS_HASH, ChainSummary
from tests.factories import api_token_for, personas

from .journey import helen_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return personas()


def test_a_journey_is_recorded_in_order_and_chains(world) -> None:
    start = AuditEntry.objects.count()
    decision = helen_signed(world)
    services.decision_correct(user=world.practitioner_a, decision=decision)
    entries = list(AuditEntry.objects.order_by("id")[start:])
    assert [e.verb for e in entries] == [
        "person.create",
        "consent.record",
        "decision.start",
        "decision.answer",
        "decision.answer",
        "decision.answer",
        "decision.details",
        "decision.sign",
        "decision.correct",
    ]
    sign = entries[7]
    assert (sign.actor, sign.actor_username, sign.object_type, sign.object_id) == (
        world.practitioner_a,
        "practitioner_a",
        "decision",
        str(decision.pk),
    )
    assert (sign.target_type, sign.target_id, sign.agency) == (
        "person",
        str(decision.person_id),
        world.agency_a,
    )
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    result, _ = audit_chain_verify()
    assert isinstance(result, ChainSummary)
    assert AuditHead.objects.get(pk=1).entry_hash == entries[-1].entry_hash


def test_a_refused_write_leaves_no_entry(world) -> None:
    decision = helen_signed(world)
    count = AuditEntry.objects.count()
    with pytest.raises(Exception, match="signed"):
        services.decision_answer(user=world.practitioner_a, decision=decision, answers={})
    assert AuditEntry.objects.count() == count


def test_the_first_entry_follows_the_genesis_hash(world) -> None:
    AuditHead.objects.filter(pk=1).delete()
    if AuditEntry.objects.exists():
        pytest.skip("entries from earlier set-up")
    entry = audit_append(actor=world.practitioner_a, verb="person.view")
    assert entry.previous_hash == GENESIS_HASH


def test_reads_of_personal_data_are_recorded_with_the_request_id(world, sign_in) -> None:
    decision = helen_signed(world)
    client = Client()
    sign_in(client, world.lead_a)
    client.get(f"/people/{decision.person_id}/", HTTP_X_REQUEST_ID="proxy-request-0001")
    client.get(f"/decisions/{decision.pk}/", HTTP_X_REQUEST_ID="bad id with spaces!")
    view_person, view_decision = AuditEntry.objects.order_by("-id")[:2][::-1]
    assert (view_person.verb, view_person.request_id, view_person.actor) == (
        "person.view",
        "proxy-request-0001",
        world.lead_a,
    )
    assert view_decision.verb == "decision.view"
    # A header that does not look like a request id is replaced by a uuid4.
    assert len(view_decision.request_id) == 36 and " " not in view_decision.request_id


def test_the_api_reads_are_recorded(world) -> None:

    decision = helen_signed(world)
    token = api_token_for(world.practitioner_a, "case system")
    assert AuditEntry.objects.order_by("-id")[0].verb == "api.token_create"
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for url in (
        f"/api/v1/people/{decision.person_id}",
        f"/api/v1/people/{decision.person_id}/consents",
        f"/api/v1/decisions/{decision.pk}",
    ):
        assert client.get(url).status_code == 200
    reads = list(AuditEntry.objects.order_by("-id")[:3])[::-1]
    assert [(e.verb, e.object_type) for e in reads] == [
        ("api.read", "person"),
        ("api.read", "person"),
        ("api.read", "decision"),
    ]
    assert {e.target_id for e in reads} == {str(decision.person_id)}
