"""Pages for people's rights and exchange: the person's exports page, the downloads (subject
access as JSON or PDF, consent records as FHIR, a decision as an exchange document) and the
import of a decision. Each calls one service, which checks, audits and does the work."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sharewise.agencies.selectors import roles_for_user
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied
from sharewise.decisions.models import Status
from sharewise.decisions.selectors import decision_get_for_user, decisions_for_person
from sharewise.decisions.services import DECIDING_ROLES
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import AGENCY_DECIDE, AGENCY_READ, LEAD_OR_AUDITOR, access
from sharewise.web.forms import FormErrors, submitted

from . import services
from .fhir import FHIR_CONTENT_TYPE
from .selectors import subject_access_allowed


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
    # The page lists the person's signed decisions by purpose: a read of their record.
    audit_append(actor=request.user, verb="person.rights_view", obj=person, request=request)
    context = {
        "person": person,
        "may_export": subject_access_allowed(user=request.user, person=person),
        "may_import": bool(roles & DECIDING_ROLES),
        "decisions": signed,
    }
    return render(request, "rights/person_rights.html", context)


def _subject_access(request: HttpRequest, person_id: int, file_format: str) -> HttpResponse:
    person = _person_or_404(request, person_id)
    try:
        export = services.subject_access_export(
            user=request.user, person=person, file_format=file_format, request=request
        )
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    return _download(export.body, export.content_type, export.filename)


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def subject_access_json(request: HttpRequest, person_id: int) -> HttpResponse:
    return _subject_access(request, person_id, "json")


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def subject_access_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    return _subject_access(request, person_id, "pdf")


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
