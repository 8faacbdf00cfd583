"""Consent records as FHIR R4 Consent resources: each validates against the R4B models of
fhir.resources (whose Consent is R4's), round-trips unchanged, and maps the status and the
provision of given, refused, withdrawn and expiring consent as docs/rights.md says."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent

from sharewise.audit.models import AuditEntry
from sharewise.consents.services import consent_record
from sharewise.people.services import person_create
from sharewise.rights import services
from sharewise.rights.fhir import NHS_NUMBER_SYSTEM, consent_resource, consent_validate
from tests.factories import api_token_for, personas

pytestmark = pytest.mark.django_db

INFORMED = ["why", "what", "who", "purpose", "implications"]


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def amy(world: Any) -> Any:
    return person_create(
        user=world.practitioner_a,
        agency=world.agency_a,
        given_name="Amy",
        family_name="Brown",
        date_of_birth=dt.date(2010, 3, 4),
        nhs_number="9434765919",
    )


def _given(world: Any, person: Any, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "user": world.practitioner_a,
        "person": person,
        "given_by": "subject",
        "response": "given",
        "informed_points": INFORMED,
        "purposes": ["Referral to the school nurse"],
        "recipients": ["School nurse", "Health visiting"],
        "information": ["attendance", "health"],
        "given_at": timezone.now() - dt.timedelta(days=20),
    }
    values.update(kwargs)
    return consent_record(**values)


def _bundle(world: Any, person: Any) -> dict[str, Any]:
    text = services.consents_fhir_export(user=world.lead_a, person=person)
    # Round trip: what was exported parses as an R4B Bundle and serialises back the same.
    parsed = Bundle.model_validate_json(text)
    assert json.loads(parsed.model_dump_json()) == json.loads(text)
    document: dict[str, Any] = json.loads(text)
    return document


def _consents(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"]


def test_given_consent_is_active_and_permits_its_scope(world: Any, amy: Any) -> None:
    expires = timezone.localdate() + dt.timedelta(days=90)
    record = _given(world, amy, expires=expires)
    bundle = _bundle(world, amy)
    assert bundle["type"] == "collection"
    patient = bundle["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient"
    assert patient["identifier"] == [{"system": NHS_NUMBER_SYSTEM, "value": "9434765919"}]
    assert patient["birthDate"] == "2010-03-04"
    (consent,) = _consents(bundle)
    assert consent["status"] == "active"
    assert consent["scope"]["coding"][0]["code"] == "patient-privacy"
    assert consent["category"][0]["text"] == "Information sharing"
    assert consent["patient"]["identifier"]["value"] == "9434765919"
    assert consent["patient"]["reference"] == bundle["entry"][0]["fullUrl"]
    # Given by Amy herself: the performer is the patient.
    assert consent["performer"][0]["type"] == "Patient"
    assert consent["dateTime"].startswith(timezone.localdate(record.given_at).isoformat())
    provision = consent["provision"]
    assert provision["type"] == "permit"
    assert provision["period"] == {
        "start": timezone.localdate(record.given_at).isoformat(),
        "end": expires.isoformat(),
    }
    assert [p["display"] for p in provision["purpose"]] == ["Referral to the school nurse"]
    assert [a["reference"]["display"] for a in provision["actor"]] == [
        "School nurse",
        "Health visiting",
    ]
    assert provision["actor"][0]["role"]["coding"][0]["code"] == "IRCP"
    assert [c["display"] for c in provision["class"]] == ["attendance", "health"]
    assert consent["policyRule"]["coding"][0]["code"] == "OPTIN"


def test_refused_is_rejected_and_denies(world: Any, amy: Any) -> None:
    consent_record(
        user=world.practitioner_a, person=amy, given_by="parent", party="father", response="refused"
    )
    (consent,) = _consents(_bundle(world, amy))
    assert consent["status"] == "rejected"
    assert consent["provision"]["type"] == "deny"
    assert consent["policyRule"]["coding"][0]["code"] == "OPTOUT"
    # Refused by her father: a related person, named as the record names him.
    assert consent["performer"] == [{"type": "RelatedPerson", "display": "father"}]


def test_withdrawn_is_inactive_and_so_is_the_consent_it_withdraws(world: Any, amy: Any) -> None:
    given = _given(world, amy)
    consent_record(
        user=world.practitioner_a,
        person=amy,
        given_by="subject",
        response="withdrawn",
        follows=given,
    )
    first, withdrawal = _consents(_bundle(world, amy))
    assert (first["status"], first["provision"]["type"]) == ("inactive", "permit")
    assert (withdrawal["status"], withdrawal["provision"]["type"]) == ("inactive", "deny")


def test_expired_consent_is_inactive(world: Any, amy: Any) -> None:
    _given(
        world,
        amy,
        given_at=timezone.now() - dt.timedelta(days=400),
        expires=timezone.localdate() - dt.timedelta(days=1),
    )
    (consent,) = _consents(_bundle(world, amy))
    assert consent["status"] == "inactive"
    assert (
        consent["provision"]["period"]["end"]
        == (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )


def test_each_resource_validates_on_its_own(world: Any, amy: Any) -> None:
    record = _given(world, amy)
    resource = consent_resource(record, person=amy, superseded=False, today=timezone.localdate())
    parsed = Consent.model_validate(resource)
    assert parsed.provision.type == "permit"
    assert consent_validate(resource)["status"] == "active"
    # The model refuses what R4 does not have: the check is real.
    with pytest.raises(ValueError, match="purposes"):
        consent_validate({**resource, "provision": {**resource["provision"], "purposes": []}})


def test_a_person_without_an_nhs_number_is_named_only(world: Any) -> None:
    person = person_create(user=world.practitioner_a, agency=world.agency_a, given_name="Zed")
    _given(world, person)
    bundle = _bundle(world, person)
    assert "identifier" not in bundle["entry"][0]["resource"]
    assert "identifier" not in _consents(bundle)[0]["patient"]


def test_the_export_is_audited(world: Any, amy: Any) -> None:
    record = _given(world, amy)
    _bundle(world, amy)
    entry = AuditEntry.objects.get(verb="consent.fhir_export")
    assert entry.target_id == str(amy.pk)
    assert entry.details == {"consents": [record.pk]}


def test_the_web_and_api_downloads(world: Any, amy: Any, sign_in: Any) -> None:
    _given(world, amy)
    client = Client()
    sign_in(client, world.practitioner_a)
    page = client.get(f"/rights/people/{amy.pk}/consents.fhir.json")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("application/fhir+json")
    Bundle.model_validate_json(page.content)
    token = api_token_for(world.auditor_a, "t")
    api = Client().get(
        f"/api/v1/people/{amy.pk}/consents/fhir", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200
    assert api.json()["resourceType"] == "Bundle"
    other = api_token_for(world.practitioner_b, "t")
    refused = Client().get(
        f"/api/v1/people/{amy.pk}/consents/fhir", headers={"Authorization": f"Bearer {other}"}
    )
    assert refused.status_code == 404
