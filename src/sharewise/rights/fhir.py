"""Consent records as HL7 FHIR Consent resources, for systems that exchange consent in
FHIR (UK Core is built on FHIR R4).

`fhir.resources` 8 gives FHIR R5 by default, whose Consent has a different shape (no
`scope`, `provision` flattened); its `R4B` subpackage is FHIR 4.3.0, whose Consent, Patient
and Bundle are those of R4 (4.0.1): R4B changed other resources only. The package has no
4.0.1 subpackage, so R4B is the nearest it offers to what UK Core profiles (docs/rights.md).

Every resource is validated by the R4B model before it leaves: a mapping that drifts from
the specification fails here, not in the receiving system. `fhir.resources` is the
optional `fhir` extra: without it the export says so rather than failing.

The mapping follows the consent records as Sharewise keeps them (003 3.18 to 3.21): each
response is its own record, never overwritten, so each is its own Consent resource.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from sharewise.common import ServiceError
from sharewise.consents.models import ConsentRecord, GivenBy, Response
from sharewise.people.models import Person

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
LOINC = "http://loinc.org"
# The one namespace Sharewise's resource ids are made in: the same record gives the same
# id in every export, so a receiving system can tell a record it already holds.
ID_NAMESPACE = uuid.UUID("5d0f3c1e-8a44-4b7e-9c35-3f0f6e7a2b10")

FHIR_CONTENT_TYPE = "application/fhir+json; fhirVersion=4.0"


def _uuid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"sharewise:{kind}:{pk}"))


def _person_reference(person: Person) -> dict[str, Any]:
    reference: dict[str, Any] = {
        "reference": f"urn:uuid:{_uuid('person', person.pk)}",
        "type": "Patient",
        "display": person.full_name,
    }
    if person.nhs_number:
        reference["identifier"] = {"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}
    return reference


def patient_resource(person: Person) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": _uuid("person", person.pk),
    }
    name: dict[str, Any] = {"given": [person.given_name]}
    if person.family_name:
        name["family"] = person.family_name
    patient["name"] = [name]
    if person.nhs_number:
        patient["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    if person.date_of_birth:
        patient["birthDate"] = person.date_of_birth.isoformat()
    return patient


def _performer(record: ConsentRecord, person: Person) -> dict[str, Any]:
    """Who gave (or refused, or withdrew) consent: the person, a parent, the local authority."""
    if record.given_by == GivenBy.SUBJECT:
        return _person_reference(person)
    if record.given_by == GivenBy.PARENT:
        return {"type": "RelatedPerson", "display": record.party or GivenBy.PARENT.label}
    return {"type": "Organization", "display": record.party or GivenBy.LOCAL_AUTHORITY.label}


def consent_status(record: ConsentRecord, *, superseded: bool, today: dt.date) -> str:
    """The FHIR status of one record: refused is `rejected`; withdrawn, and consent given but
    since expired or followed by a later response (3.21), is `inactive`; else `active`."""
    if record.response == Response.REFUSED:
        return "rejected"
    if record.response == Response.WITHDRAWN:
        return "inactive"
    if superseded or (record.expires is not None and record.expires < today):
        return "inactive"
    return "active"


def consent_resource(
    record: ConsentRecord, *, person: Person, superseded: bool, today: dt.date
) -> dict[str, Any]:
    """One consent record as a FHIR R4 Consent, as a dict ready for validation."""
    given = record.response == Response.GIVEN
    period: dict[str, Any] = {"start": timezone.localdate(record.given_at).isoformat()}
    if record.expires is not None:
        period["end"] = record.expires.isoformat()
    provision: dict[str, Any] = {"type": "permit" if given else "deny", "period": period}
    if record.purposes:
        # The purposes are the practitioner's words: there is no code list of safeguarding
        # purposes to bind them to, so each is a Coding with its text only.
        provision["purpose"] = [{"display": purpose} for purpose in record.purposes]
    if record.recipients:
        provision["actor"] = [
            {
                "role": {
                    "coding": [
                        {
                            "system": PARTICIPATION_SYSTEM,
                            "code": "IRCP",
                            "display": "information recipient",
                        }
                    ]
                },
                "reference": {"display": recipient},
            }
            for recipient in record.recipients
        ]
    if record.information:
        provision["class"] = [{"display": kind} for kind in record.information]
    opt = ("OPTIN", "opt-in") if given else ("OPTOUT", "opt-out")
    return {
        "resourceType": "Consent",
        "id": _uuid("consent", record.pk),
        "status": consent_status(record, superseded=superseded, today=today),
        "scope": {
            "coding": [
                {
                    "system": CONSENT_SCOPE_SYSTEM,
                    "code": "patient-privacy",
                    "display": "Privacy Consent",
                }
            ]
        },
        "category": [
            {
                "coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}],
                "text": "Information sharing",
            }
        ],
        "patient": _person_reference(person),
        "dateTime": timezone.localtime(record.given_at).isoformat(timespec="seconds"),
        "performer": [_performer(record, person)],
        "organization": [{"type": "Organization", "display": record.agency.name}],
        # A privacy consent needs a policy or a policy rule (invariant ppc-1): whether
        # the person opted in to or out of the sharing.
        "policyRule": {
            "coding": [{"system": ACT_CODE_SYSTEM, "code": opt[0], "display": opt[1]}],
            "text": "Information sharing for safeguarding (HM Government advice for practitioners)",
        },
        "provision": provision,
    }


def _models() -> tuple[Any, Any]:
    try:
        from fhir.resources.R4B.bundle import Bundle
        from fhir.resources.R4B.consent import Consent
    except ImportError as exc:  # pragma: no cover - depends on how Sharewise was installed
        raise ServiceError(
            "The FHIR export needs the 'fhir' extra of Sharewise (pip install sharewise[fhir])"
        ) from exc
    return Bundle, Consent


def consent_validate(resource: dict[str, Any]) -> dict[str, Any]:
    """`resource` checked against the FHIR R4B Consent model, as the model serialises it."""
    _, consent_model = _models()
    validated: dict[str, Any] = consent_model.model_validate(resource).model_dump(mode="json")
    return validated


def consents_bundle(
    *, person: Person, records: Sequence[ConsentRecord], today: dt.date | None = None
) -> str:
    """Every consent record of `person` as a FHIR R4 Bundle (a collection, with the person
    as a Patient), validated, as JSON text."""
    bundle_model, _ = _models()
    today = today or timezone.localdate()
    followed = {record.follows_id for record in records if record.follows_id is not None}
    entries = [
        {
            "fullUrl": f"urn:uuid:{_uuid('person', person.pk)}",
            "resource": patient_resource(person),
        }
    ]
    entries += [
        {
            "fullUrl": f"urn:uuid:{_uuid('consent', record.pk)}",
            "resource": consent_resource(
                record, person=person, superseded=record.pk in followed, today=today
            ),
        }
        for record in records
    ]
    bundle = bundle_model.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": timezone.localtime().isoformat(timespec="seconds"),
            "entry": entries,
        }
    )
    text: str = bundle.model_dump_json()
    return text
