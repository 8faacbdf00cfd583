"""People's rights and exchange over the API: the subject access export (the JSON at once;
the PDF asked for, prepared in the background and then downloaded), a person's consent
records as a FHIR R4 Bundle, and a decision exported to, or imported from, another
Sharewise.

Each handler calls the service the web pages call (`sharewise.rights.services`), which
checks the agency and the role and audits the export: another agency's person or decision
is "not found" (003 3.15); a role that may not do this is refused with 403.
"""

# No `from __future__ import annotations`: ninja reads the parameters' annotations at run
# time.

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.selectors import person_get_for_user
from sharewise.rights import services
from sharewise.rights.fhir import FHIR_CONTENT_TYPE
from sharewise.rights.models import SubjectAccessRequest, SubjectAccessStatus
from sharewise.rights.selectors import subject_access_request_get_for_user
from sharewise.web.access import (
    API_AGENCY_DECIDE,
    API_AGENCY_READ,
    API_LEAD_OR_AUDITOR,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..responses import json_response
from .shared import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["People's rights and exchange"])

EXPORT_ERRORS: dict[int, Any] = {403: ErrorOut, **READ_ERRORS}
DOWNLOAD_ERRORS: dict[int, Any] = {400: ErrorOut, **EXPORT_ERRORS}


class ImportedOut(Schema):
    decision_id: int
    status: str
    outcome: str
    imported_from: str


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
        "(`person.subject_access`). For the PDF, ask for it with "
        "`POST .../subject-access/pdf`: it is prepared in the background."
    ),
)
@access(API_LEAD_OR_AUDITOR)
def subject_access_document(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    export = services.subject_access_export(
        user=user, person=person, file_format="json", request=request
    )
    return HttpResponse(export.body, content_type=export.content_type)


class SubjectAccessRequestOut(Schema):
    id: int
    person_id: int
    # queued (being prepared), ready, failed or expired (deleted 7 days after it was ready).
    status: str
    requested_at: datetime
    prepared_at: datetime | None
    expires_at: datetime | None
    failure: str
    status_url: str
    # Where the PDF is downloaded from, once it is ready and until it expires.
    download_url: str | None


def _request_out(asked: SubjectAccessRequest) -> dict[str, Any]:
    expired = asked.expired(now=timezone.now())
    status = SubjectAccessStatus.EXPIRED if expired else SubjectAccessStatus(asked.status)
    ready = status == SubjectAccessStatus.READY
    return {
        "id": asked.pk,
        "person_id": asked.person_id,
        "status": status.value,
        "requested_at": asked.requested_at,
        "prepared_at": asked.prepared_at,
        "expires_at": asked.expires_at,
        "failure": asked.failure,
        "status_url": reverse("api:subject_access_request_status", args=[asked.pk]),
        "download_url": (
            reverse("api:subject_access_request_pdf", args=[asked.pk]) if ready else None
        ),
    }


@router.post(
    "/people/{person_id}/subject-access/pdf",
    response={202: SubjectAccessRequestOut, 413: ErrorOut, **EXPORT_ERRORS},
    summary="Ask for everything held about a person as a PDF, prepared in the background",
    description=(
        "Answers 202 at once with the request and its `status_url` (also in `Location`); "
        "poll that until `status` is `ready`, then download `download_url`. A person with "
        "hundreds of decisions makes a PDF of hundreds of pages, which takes too long for "
        "one request. The same content as the JSON. The request, the preparation and each "
        "download are audited; the PDF is kept, encrypted, for 7 days."
    ),
)
@access(API_LEAD_OR_AUDITOR)
def subject_access_request_create_endpoint(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    asked = services.subject_access_request_create(user=user, person=person, request=request)
    out = _request_out(asked)
    return json_response(
        SubjectAccessRequestOut(**out).model_dump(mode="json"),
        status=202,
        Location=out["status_url"],
    )


@router.get(
    "/subject-access/{request_id}",
    response={200: SubjectAccessRequestOut, **EXPORT_ERRORS},
    url_name="subject_access_request_status",
    summary="Whether a subject access PDF asked for is ready",
)
@access(API_LEAD_OR_AUDITOR)
def subject_access_request_status(request: HttpRequest, request_id: int) -> Any:
    user = token_user(request)
    asked = subject_access_request_get_for_user(user=user, request_id=request_id)
    return _request_out(asked)


@router.get(
    "/subject-access/{request_id}/pdf",
    response={200: None, **DOWNLOAD_ERRORS},
    url_name="subject_access_request_pdf",
    summary="Download a subject access PDF once it is ready",
    description=(
        "The PDF as `application/pdf`, audited (`person.subject_access_download`). While it "
        "is being prepared, if it could not be, or once it has expired, 400 with the reason."
    ),
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
def subject_access_request_pdf(request: HttpRequest, request_id: int) -> Any:
    user = token_user(request)
    asked = subject_access_request_get_for_user(user=user, request_id=request_id)
    prepared = services.subject_access_request_download(
        user=user, subject_access_request=asked, request=request
    )
    return HttpResponse(prepared.body, content_type=prepared.content_type)


@router.get(
    "/people/{person_id}/consents/fhir",
    # The 200 is described below, not here: ninja would document it as application/json,
    # and a FHIR client negotiates on the FHIR media type it is sent.
    response=READ_ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "A FHIR R4 Bundle",
                "content": {FHIR_CONTENT_TYPE: {"schema": {"type": "object"}}},
            }
        }
    },
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
