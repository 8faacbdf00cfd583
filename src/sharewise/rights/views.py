"""Pages for people's rights and exchange: the person's exports page, the downloads (subject
access as JSON, consent records as FHIR, a decision as an exchange document), the subject
access PDF (asked for, prepared in the background, then downloaded) and the import of a
decision. Each calls one service, which checks, audits and does the work."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.selectors import roles_for_user
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Status
from sharewise.decisions.selectors import decision_get_for_user, decisions_for_person
from sharewise.decisions.services import DECIDING_ROLES
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import AGENCY_DECIDE, AGENCY_READ, LEAD_OR_AUDITOR, access
from sharewise.web.forms import FormErrors, submitted

from . import services
from .fhir import FHIR_CONTENT_TYPE
from .models import SubjectAccessRequest, SubjectAccessStatus
from .selectors import (
    subject_access_allowed,
    subject_access_request_get_for_user,
    subject_access_requests_for_person,
)


def _person_or_404(request: HttpRequest, person_id: int) -> Person:
    try:
        return person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _download(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(AGENCY_READ)
@require_safe
@login_required
def person_rights(request: HttpRequest, person_id: int) -> HttpResponse:
    """What can be exported about a person, or imported for them."""
    person = _person_or_404(request, person_id)
    roles = roles_for_user(user=request.user, agency=person.agency)
    signed = list(
        decisions_for_person(user=request.user, person=person)
        .filter(status=Status.SIGNED)
        .order_by("-signed_at", "-id")
    )
    now = timezone.now()
    # The page lists the person's signed decisions by purpose: a read of their record.
    audit_append(actor=request.user, verb="person.rights_view", obj=person, request=request)
    context = {
        "person": person,
        "may_export": subject_access_allowed(user=request.user, person=person),
        # The latest PDFs asked for, each with whether it has expired.
        "subject_access_requests": [
            (asked, asked.expired(now=now))
            for asked in subject_access_requests_for_person(user=request.user, person=person)[:10]
        ],
        "may_import": bool(roles & DECIDING_ROLES),
        "decisions": signed,
    }
    return render(request, "rights/person_rights.html", context)


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def subject_access_json(request: HttpRequest, person_id: int) -> HttpResponse:
    """The JSON export, made in the request: it takes a second or two even for a person
    with hundreds of decisions (docs/rights.md)."""
    person = _person_or_404(request, person_id)
    try:
        export = services.subject_access_export(
            user=request.user, person=person, file_format="json", request=request
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    return _download(export.body, export.content_type, export.filename)


@access(LEAD_OR_AUDITOR)
@require_POST
@login_required
def subject_access_request(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ask for the PDF, which a background job prepares; then the page that says how it is
    getting on."""
    person = _person_or_404(request, person_id)
    try:
        asked = services.subject_access_request_create(
            user=request.user, person=person, request=request
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    return redirect("rights:subject_access_status", request_id=asked.pk)


def _request_or_error(request: HttpRequest, request_id: int) -> SubjectAccessRequest:
    try:
        return subject_access_request_get_for_user(user=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def subject_access_status(request: HttpRequest, request_id: int) -> HttpResponse:
    """Whether the PDF is ready. The page does not refresh itself (no script, and a page
    that reloads on its own is hard to use with a screen reader): it says to refresh it.
    It shows no more than the person's name and the request's state, so it is not audited;
    asking for the PDF, its preparation and each download are."""
    asked = _request_or_error(request, request_id)
    context = {
        "asked": asked,
        "person": asked.person,
        "expired": asked.expired(now=timezone.now()),
        "statuses": SubjectAccessStatus,
    }
    return render(request, "rights/subject_access_status.html", context)


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def subject_access_download(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request_or_error(request, request_id)
    try:
        prepared = services.subject_access_request_download(
            user=request.user, subject_access_request=asked, request=request
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except ServiceError:
        # Not ready, failed or expired: the status page says which, and what to do.
        return redirect("rights:subject_access_status", request_id=asked.pk)
    return _download(prepared.body, prepared.content_type, prepared.filename)


@access(AGENCY_READ)
@require_safe
@login_required
def consents_fhir(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    bundle = services.consents_fhir_export(user=request.user, person=person, request=request)
    return _download(bundle, FHIR_CONTENT_TYPE, f"sharewise-consents-{person.pk}.fhir.json")


@access(AGENCY_READ)
@require_safe
@login_required
def decision_export(request: HttpRequest, decision_id: int) -> HttpResponse:
    try:
        decision = decision_get_for_user(user=request.user, decision_id=decision_id)
        document = services.decision_export(user=request.user, decision=decision, request=request)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    body = json.dumps(document, ensure_ascii=False, indent=2)
    filename = f"sharewise-decision-{decision.pk}-v{decision.version}.json"
    return _download(body, "application/json; charset=utf-8", filename)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def decision_import(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    errors = FormErrors()
    if request.method == "POST":
        upload = request.FILES.get("document")
        imported = submitted(
            errors,
            lambda: services.decision_import(
                user=request.user,
                person=person,
                document=upload.read() if upload is not None else b"",
                request=request,
            ),
        )
        if imported is not None:
            return redirect("decisions:check", decision_id=imported.pk)
        # Whatever part of the document is at fault, the field to put right is the file.
        if errors:
            errors = FormErrors({"document": next(iter(errors.by_field.values()))})
    return render(
        request,
        "rights/decision_import.html",
        {"person": person, "errors": errors},
        status=400 if errors else 200,
    )
