"""People's rights and exchange over the API: the subject access export (JSON or PDF), a
person's consent records as a FHIR R4 Bundle, and a decision exported to, or imported
from, another Sharewise.

Each handler calls the service the web pages call (`sharewise.rights.services`), which
checks the agency and the role and audits the export: another agency's person or decision
is "not found" (003 3.15); a role that may not do this is refused with 403.
"""

# No `from __future__ import annotations`: ninja reads the parameters' annotations at run
# time.

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.selectors import person_get_for_user
from sharewise.rights import services
from sharewise.rights.fhir import FHIR_CONTENT_TYPE
from sharewise.web.access import (
    API_AGENCY_DECIDE,
    API_AGENCY_READ,
    API_LEAD_OR_AUDITOR,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..responses import json_response

router = Router(tags=["People's rights and exchange"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
EXPORT_ERRORS: dict[int, Any] = {403: ErrorOut, **READ_ERRORS}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 413: ErrorOut, **READ_ERRORS}


class ImportedOut(Schema):
    decision_id: int
    status: str
    outcome: str
    imported_from: str


def _subject_access(request: HttpRequest, person_id: int, file_format: str) -> HttpResponse:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    export = services.subject_access_export(
        user=user, person=person, file_format=file_format, request=request
    )
    return HttpResponse(export.body, content_type=export.content_type)


@router.get(
    "/people/{person_id}/subject-access",
    response={200: dict[str, Any], **EXPORT_ERRORS},
    summary="Everything held about a person (subject access, UK GDPR Article 15)",
    description=(
        "The person record, aliases, relationships, assessments, consent records, every "
        "version of every decision with its trace and reasons, disclosures with their items, "
        "requests for information, advice (redacted text), follow-ups, meetings and who has "
        "viewed the record. Protected identities (3.50) are replaced by neutral words. Only "
        "the agency's safeguarding leads and auditors; each export is audited "
        "(`person.subject_access`)."
    ),
)
@access(API_LEAD_OR_AUDITOR)
def subject_access_document(request: HttpRequest, person_id: int) -> Any:
    return _subject_access(request, person_id, "json")


@router.get(
    "/people/{person_id}/subject-access/pdf",
    response={200: None, **EXPORT_ERRORS},
    summary="Everything held about a person, as a PDF",
    description="The subject access export as `application/pdf`; the same content as JSON.",
    # The status as an int, as ninja keys its own responses: a "200" beside ninja's 200
    # made the document hold the key twice, which Swagger UI refuses to read.
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@access(API_LEAD_OR_AUDITOR)
def subject_access_pdf_document(request: HttpRequest, person_id: int) -> Any:
    return _subject_access(request, person_id, "pdf")


@router.get(
    "/people/{person_id}/consents/fhir",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="A person's consent records as a FHIR R4 Bundle of Consent resources",
    description=(
        "A `collection` Bundle: the person as a Patient (NHS number under "
        "`https://fhir.nhs.uk/Id/nhs-number` where known) and one Consent per consent "
        "response, validated against the FHIR R4B models of `fhir.resources` (Consent is "
        "unchanged from R4 4.0.1). Given is `active` (or `inactive` once expired or "
        "superseded), refused `rejected`, withdrawn `inactive`."
    ),
)
@access(API_AGENCY_READ)
def person_consents_fhir(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    bundle = services.consents_fhir_export(user=user, person=person, request=request)
    return HttpResponse(bundle, content_type=FHIR_CONTENT_TYPE)


@router.get(
    "/decisions/{decision_id}/export",
    response={200: dict[str, Any], **READ_ERRORS},
    summary="A signed decision as an exchange document",
    description=(
        "Format `sharewise.decision` version 1: the pack (id, version, hash), the facts, "
        "reasons, outcome, trace, citations, lawful basis and dates, without ids that mean "
        "nothing elsewhere and without naming the person. A draft is 404. Audited "
        "(`decision.export`)."
    ),
)
@access(API_AGENCY_READ)
def decision_export_endpoint(request: HttpRequest, decision_id: int) -> Any:
    user = token_user(request)
    decision = decision_get_for_user(user=user, decision_id=decision_id)
    return json_response(services.decision_export(user=user, decision=decision, request=request))


@router.post(
    "/people/{person_id}/decisions/import",
    response={201: ImportedOut, **WRITE_ERRORS},
    summary="Import a decision exported by another Sharewise, about a person of yours",
    description=(
        "The body is the exchange document as exported. Its answers are replayed under the "
        "pack shipped here: a different pack version or hash, or an outcome, trace or "
        "citations the replay does not give, is refused (400) with the reason. The decision "
        "is made as a draft about the person, recorded as imported (`decision.import`), for "
        "the importing practitioner to check and sign."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
@access(API_AGENCY_DECIDE)
def decision_import_endpoint(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    # The body as sent, so that the hash recorded is the hash of the document received;
    # the service checks the role before it reads it.
    decision = services.decision_import(
        user=user, person=person, document=request.body, request=request
    )
    return Status(
        201,
        {
            "decision_id": decision.pk,
            "status": decision.status,
            "outcome": decision.outcome,
            "imported_from": decision.imported_from.source_agency,
        },
    )
