"""People's rights and exchange: the subject access export, consent records as FHIR, and a
decision exported to, or imported from, another Sharewise.

Every export is audited, one entry each, in the words of the audit log (verb, object,
counts; never the records' text). An import goes through the decisions services, so an
imported decision is checked, stored and audited exactly as one made on the pages, and is
left a draft: the importing practitioner signs it themself, knowingly, or not at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from sharewise.agencies.selectors import agency_ids_for_user, roles_for_user
from sharewise.audit.models import Outcome
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.selectors import consents_for_person
from sharewise.decisions import services as decision_services
from sharewise.decisions.models import Decision
from sharewise.guidance.decide import decide
from sharewise.guidance.errors import GuidanceError
from sharewise.guidance.packs import pack_get, packs_dirs
from sharewise.people.models import Person

from .exchange import (
    FORMAT_VERSION,
    DecisionDocument,
    decision_document,
    document_differences,
    document_read,
    outcome_of,
)
from .fhir import consents_bundle
from .models import ImportedDecision, SubjectAccessRequest, SubjectAccessStatus
from .pdf import subject_access_pdf
from .selectors import section_counts, subject_access_allowed, subject_access_document

NO_SUCH_PERSON = "There is no such person in your agency's records"
PDF = "application/pdf"
# How long a prepared subject access PDF is kept for download (docs/rights.md says why).
SUBJECT_ACCESS_KEPT_FOR = dt.timedelta(days=7)


def _require_agency(user: Any, person: Person) -> None:
    if person.agency_id not in agency_ids_for_user(user=user):
        raise NotFound(NO_SUCH_PERSON)


@dataclass(frozen=True)
class SubjectAccessExport:
    document: dict[str, Any]
    body: bytes
    content_type: str
    filename: str


def _subject_access_refuse(
    user: Any, person: Person, verb: str, details: dict[str, Any], request: HttpRequest | None
) -> NoReturn:
    # Recorded in a transaction of its own: the refusal is raised after it commits.
    with transaction.atomic():
        audit_append(
            actor=user,
            verb=verb,
            obj=person,
            outcome=Outcome.DENIED,
            request=request,
            details=details,
        )
    raise PermissionDenied(
        "Only the agency's safeguarding leads and auditors can make a subject access export"
    )


def _subject_access_make(
    *, user: Any, person: Person, file_format: str, request: HttpRequest | None
) -> SubjectAccessExport:
    """The export, made and not yet audited: the body of both the download of the JSON and
    the background job that prepares the PDF, which audit it each when it is handed over."""
    _require_agency(user, person)
    if file_format not in ("json", "pdf"):
        raise ServiceError("Choose JSON or PDF", field="format")
    if not subject_access_allowed(user=user, person=person):
        _subject_access_refuse(
            user, person, "person.subject_access", {"format": file_format}, request
        )
    document = subject_access_document(user=user, person=person)
    if file_format == "pdf":
        body = subject_access_pdf(document)
        content_type = PDF
    else:
        body = json.dumps(document, ensure_ascii=False, indent=2).encode()
        content_type = "application/json; charset=utf-8"
    day = timezone.localdate().isoformat()
    return SubjectAccessExport(
        document=document,
        body=body,
        content_type=content_type,
        filename=f"sharewise-subject-access-{person.pk}-{day}.{file_format}",
    )


def subject_access_export(
    *, user: Any, person: Person, file_format: str, request: HttpRequest | None = None
) -> SubjectAccessExport:
    """Everything held about `person`, as JSON or PDF, for their subject access request
    (UK GDPR Article 15), made now. Only the agency's safeguarding leads and auditors may
    make it; a refused attempt is audited as refused, an export as `person.subject_access`.

    The pages and the API make the JSON this way, which takes a second or two even for a
    person with hundreds of decisions; they ask for the PDF, which can take a minute, with
    `subject_access_request_create` and a background job instead."""
    export = _subject_access_make(
        user=user, person=person, file_format=file_format, request=request
    )
    # Recorded once the export is made, as it is handed over.
    with transaction.atomic():
        audit_append(
            actor=user,
            verb="person.subject_access",
            obj=person,
            request=request,
            details={"format": file_format, "records": section_counts(export.document)},
        )
    return export


def subject_access_request_create(
    *, user: Any, person: Person, request: HttpRequest | None = None
) -> SubjectAccessRequest:
    """Ask for the subject access PDF of `person`, to be prepared by the background job
    (`tasks.subject_access_prepare`, run by `sharewise manage db_worker`). The same people
    as for the JSON may ask; the request is audited (`person.subject_access_request`), a
    refusal as refused."""
    _require_agency(user, person)
    if not subject_access_allowed(user=user, person=person):
        _subject_access_refuse(
            user, person, "person.subject_access_request", {"format": "pdf"}, request
        )
    # Imported here: the task module imports this one, whose functions it calls.
    from .tasks import subject_access_prepare

    with transaction.atomic():
        asked = SubjectAccessRequest.objects.create(person=person, requested_by=user)
        audit_append(
            actor=user,
            verb="person.subject_access_request",
            obj=asked,
            request=request,
            details={"format": "pdf", "request": asked.pk},
        )
        # Queued in the same transaction: on the database backend the job is a row, so the
        # request and its job are committed together or not at all, and the worker, which
        # reads committed rows only, never finds a job whose request is not there yet.
        subject_access_prepare.enqueue(subject_access_request_id=asked.pk)
    asked.refresh_from_db()
    return asked


def _prepare_fail(asked: SubjectAccessRequest, failure: str) -> SubjectAccessRequest:
    with transaction.atomic():
        SubjectAccessRequest.objects.filter(pk=asked.pk, status=SubjectAccessStatus.QUEUED).update(
            status=SubjectAccessStatus.FAILED, failure=failure[:300]
        )
    asked.refresh_from_db()
    return asked


def subject_access_request_prepare(*, subject_access_request_id: int) -> SubjectAccessRequest:
    """The background job's work: make the PDF asked for, as the user who asked it (their
    agency and role are checked again now: someone who has left the agency since gets
    nothing), store it encrypted, and audit it as made (`person.subject_access`, with the
    counts of records, as for the JSON).

    Run twice, or on two workers at once, it prepares the PDF once: a request that is no
    longer queued is left as it is. The PDF is made outside any transaction, since it can
    take a minute, and stored in a short one that checks the request is still queued."""
    try:
        asked = SubjectAccessRequest.objects.select_related("person__agency", "requested_by").get(
            pk=subject_access_request_id
        )
    except SubjectAccessRequest.DoesNotExist:
        raise NotFound("There is no such subject access request") from None
    if asked.status != SubjectAccessStatus.QUEUED:
        return asked
    try:
        export = _subject_access_make(
            user=asked.requested_by, person=asked.person, file_format="pdf", request=None
        )
    except ServiceError as exc:
        return _prepare_fail(asked, exc.message)
    except Exception:
        # The job's result records the error for whoever runs the service; the lead is
        # told in plain words.
        _prepare_fail(asked, "Sharewise could not make the PDF. Ask for it again.")
        raise
    now = timezone.now()
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=asked.pk)
        if locked.status != SubjectAccessStatus.QUEUED:
            return locked
        locked.pdf = base64.b64encode(export.body).decode("ascii")
        locked.pdf_size = len(export.body)
        locked.status = SubjectAccessStatus.READY
        locked.prepared_at = now
        locked.expires_at = now + SUBJECT_ACCESS_KEPT_FOR
        locked.save(update_fields=["pdf", "pdf_size", "status", "prepared_at", "expires_at"])
        audit_append(
            actor=asked.requested_by,
            verb="person.subject_access",
            obj=locked,
            details={
                "format": "pdf",
                "request": locked.pk,
                "records": section_counts(export.document),
            },
        )
    return locked


@dataclass(frozen=True)
class SubjectAccessFile:
    body: bytes
    content_type: str
    filename: str


def subject_access_request_download(
    *,
    user: Any,
    subject_access_request: SubjectAccessRequest,
    request: HttpRequest | None = None,
) -> SubjectAccessFile:
    """The prepared PDF, to the agency's safeguarding leads and auditors, each download
    audited (`person.subject_access_download`). `subject_access_request` must come from
    `subject_access_request_get_for_user`. Refused, with the reason, while it is being
    prepared, when it could not be, and once it has expired."""
    asked = subject_access_request
    person = asked.person
    _require_agency(user, person)
    if not subject_access_allowed(user=user, person=person):
        _subject_access_refuse(
            user,
            person,
            "person.subject_access_download",
            {"format": "pdf", "request": asked.pk},
            request,
        )
    if asked.expired(now=timezone.now()):
        raise ServiceError(
            "The PDF was deleted 7 days after it was prepared. Ask for it again.",
            field="subject_access_request",
        )
    if asked.status == SubjectAccessStatus.QUEUED:
        raise ServiceError(
            "The PDF is still being prepared. Try again in a minute.",
            field="subject_access_request",
        )
    if asked.status != SubjectAccessStatus.READY:
        raise ServiceError(
            f"The PDF could not be prepared: {asked.failure} Ask for it again.",
            field="subject_access_request",
        )
    body = base64.b64decode(asked.pdf)
    with transaction.atomic():
        audit_append(
            actor=user,
            verb="person.subject_access_download",
            obj=asked,
            request=request,
            details={"format": "pdf", "request": asked.pk},
        )
    assert asked.prepared_at is not None
    day = timezone.localdate(asked.prepared_at).isoformat()
    return SubjectAccessFile(
        body=body,
        content_type=PDF,
        filename=f"sharewise-subject-access-{person.pk}-{day}.pdf",
    )


def subject_access_requests_expire(*, today: dt.date) -> int:
    """The daily sweep that deletes the PDFs that expired before `today` began (they are
    already refused for download from the moment they expire). The request stays, as the
    record that the export was made, with its PDF emptied. Idempotent: an emptied request
    is not found again. Returns how many PDFs it deleted."""
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    due = SubjectAccessRequest.objects.filter(
        status=SubjectAccessStatus.READY, expires_at__lte=start_of_today
    ).order_by("id")
    deleted = 0
    for asked in due.only("id", "person_id", "expires_at"):
        with transaction.atomic():
            changed = SubjectAccessRequest.objects.filter(
                pk=asked.pk, status=SubjectAccessStatus.READY
            ).update(status=SubjectAccessStatus.EXPIRED, pdf="", pdf_size=0)
            if not changed:
                continue
            deleted += 1
            audit_append(
                actor=None,
                verb="person.subject_access_expire",
                obj=asked,
                details={"request": asked.pk},
            )
    return deleted


@transaction.atomic
def consents_fhir_export(*, user: Any, person: Person, request: HttpRequest | None = None) -> str:
    """Every consent record of `person` as a FHIR R4 Bundle of Consent resources (fhir.py)."""
    _require_agency(user, person)
    records = list(consents_for_person(user=user, person=person).select_related("agency"))
    bundle = consents_bundle(person=person, records=records)
    audit_append(
        actor=user,
        verb="consent.fhir_export",
        obj=person,
        request=request,
        details={"consents": [record.pk for record in records]},
    )
    return bundle


@transaction.atomic
def decision_export(
    *, user: Any, decision: Decision, request: HttpRequest | None = None
) -> dict[str, Any]:
    """A signed decision as the exchange document (exchange.py). `decision` must come from
    `decision_get_for_user`."""
    if decision.agency_id not in agency_ids_for_user(user=user):
        raise NotFound("There is no such decision in your agency's records")
    if not decision.is_signed:
        raise NotFound("Only a signed decision is exported: sign it first")
    document = decision_document(decision)
    audit_append(
        actor=user,
        verb="decision.export",
        obj=decision,
        request=request,
        details={"format_version": FORMAT_VERSION},
    )
    return document


def _parse(document: bytes | str | dict[str, Any]) -> tuple[Any, str]:
    """The document as JSON, and the SHA-256 of what was received."""
    if isinstance(document, dict):
        text = json.dumps(document, ensure_ascii=False, sort_keys=True)
        return document, hashlib.sha256(text.encode()).hexdigest()
    raw = document.encode() if isinstance(document, str) else document
    if not raw.strip():
        raise ServiceError("Choose the decision document to import", field="document")
    try:
        return json.loads(raw), hashlib.sha256(raw).hexdigest()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ServiceError(
            "The file is not a decision document: it is not JSON text", field="document"
        ) from None


def _replay(document: DecisionDocument) -> dict[str, Any]:
    """The document's answers replayed under the shipped pack, as the engine decides them
    today: the day the imported decision is made (decisions.services.decision_evaluate)."""
    if document.pack_id not in packs_dirs():
        raise ServiceError(
            f"The decision was made under the pack {document.pack_id}, which this Sharewise "
            "does not have. It cannot be imported: make a new decision instead.",
            field="pack",
        )
    pack = pack_get(document.pack_id)
    if (pack.version, pack.hash) != (document.pack_version, document.pack_hash):
        # Replaying under other guidance text could take another path and would not be the
        # decision that was made; see docs/rights.md for why this is refused, not marked.
        raise ServiceError(
            f"The decision was made under {pack.id} version {document.pack_version} (content "
            f"hash {document.pack_hash[:12]}), and this Sharewise has version {pack.version} "
            f"(content hash {pack.hash[:12]}). A decision is imported only under the exact "
            "guidance it was made with: make a new decision instead.",
            field="pack",
        )
    raw: dict[str, Any] = {
        "pack": pack.id,
        **document.facts,
        "date": timezone.localdate().isoformat(),
        "reasons": document.reasons,
    }
    try:
        return outcome_of(decide(raw))
    except GuidanceError as exc:
        raise ServiceError(
            f"The decision's answers cannot be replayed: {exc.message}", field="facts"
        ) from exc


def _refuse_if_different(document: DecisionDocument, replayed: dict[str, Any]) -> None:
    differences = document_differences(document, replayed)
    if differences:
        raise ServiceError(
            "The document does not match its own answers: "
            + "; ".join(differences)
            + ". It has been changed since it was exported, or was not made by Sharewise, "
            "and is not imported.",
            field="outcome",
        )


def _refuse_if_too_long(document: DecisionDocument) -> None:
    """Refuse a document whose agency or signer is longer than the import record keeps:
    cut short, the record would name someone else as the source of the decision."""
    for value, column, key, what in (
        (document.agency_name, "source_agency", "agency.name", "The agency's name"),
        (document.signed_by, "source_signed_by", "signed_by", "The name of who signed it"),
    ):
        stored = ImportedDecision._meta.get_field(column)
        longest = stored.max_length if isinstance(stored, models.CharField) else None
        if longest is not None and len(value) > longest:
            raise ServiceError(
                f"{what} in the document ('{key}') is {len(value)} characters long, and at "
                f"most {longest} can be recorded: the decision is not imported.",
                field=key,
            )


def _provenance(document: DecisionDocument, user: Any) -> str:
    signed = timezone.localtime(document.signed_at) if document.signed_at else None
    when = f" on {signed.day} {signed:%B %Y}" if signed else ""
    by = f" by {document.signed_by}" if document.signed_by else ""
    line = (
        f"Imported from {document.agency_name}, where it was signed{by}{when}, by "
        f"{user.get_username()} on {timezone.localdate():%d %B %Y}. Its answers were replayed "
        f"under {document.pack_id} version {document.pack_version} and gave the same outcome."
    )
    return f"{line}\n\n{document.notes}".strip()


@transaction.atomic
def decision_import(
    *,
    user: Any,
    person: Person,
    document: bytes | str | dict[str, Any],
    request: HttpRequest | None = None,
) -> Decision:
    """Import a decision exported by another Sharewise as a draft decision about `person`
    (a person of the importing user's agency, chosen by them).

    Refused, with the reason, when the document is not one, when the pack it was made under
    is not exactly the pack shipped here (same version and content hash), or when replaying
    its answers does not give the outcome, trace and citations it records: a changed
    document is never imported. The decision is made through the decisions services and
    left a draft, recorded as imported (`ImportedDecision` and the `decision.import` audit
    entry); it is never signed in the importing user's name without them signing it."""
    _require_agency(user, person)
    roles = roles_for_user(user=user, agency=person.agency)
    if not roles & decision_services.DECIDING_ROLES:
        raise PermissionDenied("Your role can read decisions but not make them")
    raw, sha256 = _parse(document)
    read = document_read(raw)
    _refuse_if_too_long(read)
    replayed = _replay(read)
    _refuse_if_different(read, replayed)
    try:
        decision = decision_services.decision_start(
            user=user,
            person=person,
            purpose=read.purpose,
            recipient=read.recipient,
            information=read.information,
            pack_id=read.pack_id,
        )
        decision = decision_services.decision_answer(
            user=user,
            decision=decision,
            answers=read.facts,
            reasons=read.reasons,
            proportionality=read.proportionality,
        )
        decision = decision_services.decision_details_update(
            user=user,
            decision=decision,
            details={**read.details, "notes": _provenance(read, user)},
        )
    except PermissionDenied:
        raise
    except ServiceError as exc:
        raise ServiceError(
            f"The decision cannot be imported: {exc.message}", field=exc.field
        ) from exc
    # Once more as stored: the person's own consent records in this agency must not have
    # changed the path the document took.
    stored = outcome_of(decision_services.decision_evaluate(decision))
    _refuse_if_different(read, stored)
    ImportedDecision.objects.create(
        decision=decision,
        document_sha256=sha256,
        format_version=FORMAT_VERSION,
        source_agency=read.agency_name,
        source_signed_by=read.signed_by,
        source_signed_at=read.signed_at,
        source_started_at=read.started_at,
        imported_by=user,
    )
    audit_append(
        actor=user,
        verb="decision.import",
        obj=decision,
        request=request,
        details={
            "document_sha256": sha256,
            "format_version": FORMAT_VERSION,
            "pack": read.pack_id,
            "pack_version": read.pack_version,
            "outcome": stored["outcome"]["outcome"],
        },
    )
    return decision
