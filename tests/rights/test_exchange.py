"""A decision exported by one agency and imported by another: the round trip replays to the
same outcome and trace, a changed document is refused with the reason, and the imported
decision is a draft recorded as imported, never signed in the importer's name."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions import services as decision_services
from sharewise.decisions.models import Decision
from sharewise.people.services import person_create
from sharewise.rights import services
from sharewise.rights.exchange import FORMAT
from sharewise.rights.models import ImportedDecision
from tests.factories import api_token_for, personas
from tests.rights.conftest import signed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def exported(world: Any) -> dict[str, Any]:
    helen = person_create(
        user=world.practitioner_a, agency=world.agency_a, given_name="Helen", family_name="Marsh"
    )
    decision = signed_decision(
        world.practitioner_a,
        helen,
        purpose="Refer bruising to children's social care",
        notes="Seen at the surgery",
    )
    return services.decision_export(user=world.lead_a, decision=decision)


@pytest.fixture
def their_person(world: Any) -> Any:
    """Helen as agency B (the police) knows her."""
    return person_create(
        user=world.practitioner_b, agency=world.agency_b, given_name="Helen", family_name="M"
    )


def test_the_document_describes_itself_and_holds_no_internal_ids(exported: dict) -> None:
    assert (exported["format"], exported["format_version"]) == (FORMAT, 1)
    assert exported["pack"]["id"] == "hmg-2008"
    assert len(exported["pack"]["hash"]) >= 32
    assert exported["outcome"]["outcome"] in ("share", "must_share")
    assert exported["trace"] and exported["citations"]
    assert exported["lawful_basis"]["article6_basis"] == "public_task"
    assert exported["signed_at"] and exported["signed_by"] == "practitioner_a"
    # No ids of this Sharewise, and not the person: the importer chooses them.
    for key in ("id", "person_id", "decision_id", "agency_id", "person", "corrects"):
        assert key not in exported
    assert "Helen" not in json.dumps(exported)


def test_export_then_import_gives_the_same_outcome_and_trace(
    world: Any, exported: dict, their_person: Any
) -> None:
    decision = services.decision_import(
        user=world.practitioner_b, person=their_person, document=json.dumps(exported)
    )
    assert decision.agency == world.agency_b and decision.person == their_person
    replayed = decision_services.decision_evaluate(decision)
    assert replayed.outcome == exported["outcome"]["outcome"]
    assert [step.as_json() for step in replayed.trace] == exported["trace"]
    assert decision.trace == exported["trace"]
    assert decision.citations == exported["citations"]
    assert decision.reasons["child_harm"] == exported["reasons"]["child_harm"]
    assert decision.paragraph18_reason == "would_prejudice_protection"
    # Left a draft, recorded as imported: not signed in anyone's name.
    assert decision.status == "draft" and decision.signed_by is None
    assert decision.created_by == world.practitioner_b
    assert decision.notes.startswith("Imported from Riverside GP Practice")
    assert decision.notes.endswith("Seen at the surgery")
    record = ImportedDecision.objects.get(decision=decision)
    assert record.source_agency == "Riverside GP Practice"
    assert record.source_signed_by == "practitioner_a"
    entry = AuditEntry.objects.get(verb="decision.import")
    assert entry.actor_username == "practitioner_b"
    assert entry.details["document_sha256"] == record.document_sha256
    # The importer signs it themself, knowingly: it can be signed as it stands.
    signed = decision_services.decision_sign(user=world.practitioner_b, decision=decision)
    assert signed.outcome == exported["outcome"]["outcome"]
    assert signed.trace == exported["trace"]


def _refused(world: Any, person: Any, document: dict) -> str:
    before = Decision.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.decision_import(user=world.practitioner_b, person=person, document=document)
    assert Decision.objects.count() == before
    assert not AuditEntry.objects.filter(verb="decision.import").exists()
    return refused.value.message


def test_a_changed_outcome_is_refused(world: Any, exported: dict, their_person: Any) -> None:
    tampered = copy.deepcopy(exported)
    tampered["outcome"]["outcome"] = "not_share"
    message = _refused(world, their_person, tampered)
    assert "does not match its own answers" in message
    assert "'not_share' in the document" in message


def test_changed_facts_are_refused(world: Any, exported: dict, their_person: Any) -> None:
    tampered = copy.deepcopy(exported)
    tampered["facts"]["consent"] = "given"
    message = _refused(world, their_person, tampered)
    assert "does not match its own answers" in message


def test_a_changed_trace_is_refused(world: Any, exported: dict, their_person: Any) -> None:
    tampered = copy.deepcopy(exported)
    tampered["trace"] = tampered["trace"][:-1]
    assert "trace differs" in _refused(world, their_person, tampered)


def test_another_pack_version_is_refused(world: Any, exported: dict, their_person: Any) -> None:
    tampered = copy.deepcopy(exported)
    tampered["pack"]["hash"] = "0" * 64
    message = _refused(world, their_person, tampered)
    assert "only under the exact guidance it was made with" in message


def test_what_is_not_a_decision_document_is_refused(
    world: Any, exported: dict, their_person: Any
) -> None:
    assert "not JSON" in _refused(world, their_person, "{not json")  # type: ignore[arg-type]
    assert "'format'" in _refused(world, their_person, {"format": "something else"})
    unsigned = {**copy.deepcopy(exported), "signed_at": None}
    assert "signed" in _refused(world, their_person, unsigned)


def test_an_auditor_cannot_import_and_another_agency_s_person_is_not_found(
    world: Any, exported: dict, their_person: Any
) -> None:
    helen_a = person_create(user=world.practitioner_a, agency=world.agency_a, given_name="H")
    with pytest.raises(PermissionDenied):
        services.decision_import(user=world.auditor_a, person=helen_a, document=exported)
    with pytest.raises(NotFound):
        services.decision_import(user=world.practitioner_a, person=their_person, document=exported)


def test_a_draft_is_not_exported(world: Any) -> None:
    person = person_create(user=world.practitioner_a, agency=world.agency_a, given_name="D")
    draft = decision_services.decision_start(
        user=world.practitioner_a, person=person, purpose="x", pack_id="hmg-2008"
    )
    with pytest.raises(NotFound):
        services.decision_export(user=world.practitioner_a, decision=draft)


def test_the_export_is_audited(world: Any, exported: dict) -> None:
    entry = AuditEntry.objects.get(verb="decision.export")
    assert entry.actor_username == "lead_a"


def test_import_through_the_web_page(
    world: Any, exported: dict, their_person: Any, sign_in: Any
) -> None:
    client = Client()
    sign_in(client, world.practitioner_b)
    url = f"/rights/people/{their_person.pk}/decisions/import/"
    assert client.get(url).status_code == 200
    tampered = {**copy.deepcopy(exported), "outcome": {**exported["outcome"], "refer_now": False}}
    refused = client.post(
        url, {"document": SimpleUploadedFile("d.json", json.dumps(tampered).encode())}
    )
    assert refused.status_code == 400
    assert "does not match its own answers" in refused.content.decode()
    done = client.post(
        url, {"document": SimpleUploadedFile("d.json", json.dumps(exported).encode())}
    )
    assert done.status_code == 302
    decision = Decision.objects.get(person=their_person)
    assert done["Location"] == f"/decisions/{decision.pk}/check/"


def test_export_and_import_through_the_api(world: Any, their_person: Any, exported: dict) -> None:
    def headers(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_for(user, 't')}"}

    signed_id = Decision.objects.get(agency=world.agency_a, status="signed").pk
    client = Client()
    document = client.get(
        f"/api/v1/decisions/{signed_id}/export", headers=headers(world.practitioner_a)
    )
    assert document.status_code == 200
    assert (
        client.get(
            f"/api/v1/decisions/{signed_id}/export", headers=headers(world.practitioner_b)
        ).status_code
        == 404
    )
    imported = client.post(
        f"/api/v1/people/{their_person.pk}/decisions/import",
        data=document.content,
        content_type="application/json",
        headers=headers(world.practitioner_b),
    )
    assert imported.status_code == 201, imported.content
    assert imported.json()["status"] == "draft"
    assert imported.json()["imported_from"] == "Riverside GP Practice"
    tampered = {**document.json(), "facts": {**document.json()["facts"], "purpose": "no"}}
    refused = client.post(
        f"/api/v1/people/{their_person.pk}/decisions/import",
        data=json.dumps(tampered),
        content_type="application/json",
        headers=headers(world.practitioner_b),
    )
    assert refused.status_code == 400
    assert "does not match" in refused.json()["error"]
