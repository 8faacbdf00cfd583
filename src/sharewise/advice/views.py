"""Advice pages: write the request, review what the redaction took out, send; the lead's
list and answer; the practitioner's outcome (golden rule 3; 003 3.45).

Every write goes through `advice.services`; the lead's pages never show the person, the
decision or the practitioner's own words.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.selectors import primary_agency_for_user
from sharewise.audit.services import audit_append
from sharewise.common import NotFound
from sharewise.decisions.models import Decision
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import (
    ADVICE_ASKER,
    ADVICE_LEAD,
    ADVICE_READ,
    AGENCY_MEMBER,
    SIGNED_IN,
    access,
)
from sharewise.web.forms import FormErrors, lines, submitted, text
from sharewise.web.pages import page_of

from . import services
from .models import AdviceRequest, Outcome, Status
from .selectors import (
    advice_request_get_for_user,
    advice_requests_asked_by,
    advice_requests_to_answer,
    viewer_asked,
    viewer_may_answer,
)


def _advice_or_404(request: HttpRequest, advice_id: int) -> AdviceRequest:
    try:
        return advice_request_get_for_user(user=request.user, advice_id=advice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _detail_context(
    request: HttpRequest, advice_request: AdviceRequest, errors: FormErrors | None = None
) -> dict[str, Any]:
    asked = viewer_asked(user=request.user, advice_request=advice_request)
    decision = advice_request.decision if asked else None
    return {
        "advice": advice_request,
        "asked": asked,
        "may_answer": viewer_may_answer(user=request.user, advice_request=advice_request),
        # Only the practitioner who asked sees which decision and person it is about.
        "decision": decision,
        "may_copy": bool(
            asked
            and decision is not None
            and not decision.is_signed
            and advice_request.status in (Status.ANSWERED, Status.CLOSED)
        ),
        "outcome_choices": Outcome.choices,
        "errors": errors or FormErrors(),
        "values": request.POST,
        "extra_terms": "\n".join(advice_request.extra_terms) if asked else "",
    }


def _render_detail(
    request: HttpRequest, advice_request: AdviceRequest, errors: FormErrors | None = None
) -> HttpResponse:
    context = _detail_context(request, advice_request, errors)
    return render(request, "advice/detail.html", context, status=400 if errors else 200)


@access(SIGNED_IN)
@require_safe
@login_required
def advice_list(request: HttpRequest) -> HttpResponse:
    # Each list turns its own pages, so that reading further down one keeps the other
    # where it was.
    asked = page_of(request, advice_requests_asked_by(user=request.user), "asked_page")
    to_answer = page_of(request, advice_requests_to_answer(user=request.user), "to_answer_page")
    return render(request, "advice/list.html", {"asked": asked, "to_answer": to_answer})


@access(AGENCY_MEMBER)
@require_http_methods(["GET", "POST"])
@login_required
def advice_new(request: HttpRequest) -> HttpResponse:
    if primary_agency_for_user(user=request.user) is None:
        raise HttpForbidden("Only members of an agency can ask its safeguarding leads")
    about = request.POST if request.method == "POST" else request.GET
    decision: Decision | None = None
    person: Person | None = None
    try:
        if about.get("decision", "").isdigit():
            decision = decision_get_for_user(user=request.user, decision_id=int(about["decision"]))
        elif about.get("person", "").isdigit():
            person = person_get_for_user(user=request.user, person_id=int(about["person"]))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    errors = FormErrors()
    if request.method == "POST":
        created = submitted(
            errors,
            lambda: services.advice_request_create(
                user=request.user,
                text=text(request, "text"),
                decision=decision,
                person=person,
                extra_terms=lines(request, "extra_terms"),
            ),
        )
        if created is not None:
            return redirect("advice:detail", advice_id=created.pk)
    context = {
        "decision": decision,
        "person": decision.person if decision is not None else person,
        "errors": errors,
        "values": request.POST,
    }
    return render(request, "advice/new.html", context, status=400 if errors else 200)


@access(ADVICE_READ)
@require_safe
@login_required
def advice_detail(request: HttpRequest, advice_id: int) -> HttpResponse:
    advice_request = _advice_or_404(request, advice_id)
    audit_append(actor=request.user, verb="advice.view", obj=advice_request, request=request)
    return _render_detail(request, advice_request)


def _write(request: HttpRequest, advice_id: int, write: Any) -> HttpResponse | AdviceRequest:
    """Run one write for the request's page: the page again with the error beside its
    field (400), the 403 page for what the user may not do, 404 for what they may not see."""
    advice_request = _advice_or_404(request, advice_id)
    errors = FormErrors()

    def guarded() -> Any:
        # NotFound is a ServiceError: it must become the 404 page, not a form error.
        try:
            return write(advice_request)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    result = submitted(errors, guarded)
    if result is None:
        return _render_detail(request, advice_request, errors)
    return advice_request


@access(ADVICE_ASKER)
@require_POST
@login_required
def advice_review(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_request_review(
            user=request.user,
            advice_request=advice_request,
            text=text(request, "text"),
            extra_terms=lines(request, "extra_terms"),
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return redirect("advice:detail", advice_id=advice_id)


@access(ADVICE_ASKER)
@require_POST
@login_required
def advice_send(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_request_send(
            user=request.user,
            advice_request=advice_request,
            reviewed_text=request.POST.get("reviewed_text", ""),
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return redirect("advice:detail", advice_id=advice_id)


@access(ADVICE_ASKER)
@require_POST
@login_required
def advice_discard(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_request_discard(
            user=request.user, advice_request=advice_request
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return redirect("advice:list")


@access(ADVICE_LEAD)
@require_POST
@login_required
def advice_answer(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_request_answer(
            user=request.user, advice_request=advice_request, answer=text(request, "answer")
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return redirect("advice:detail", advice_id=advice_id)


@access(ADVICE_ASKER)
@require_POST
@login_required
def advice_outcome(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_outcome_record(
            user=request.user,
            advice_request=advice_request,
            outcome=text(request, "outcome"),
            reason=text(request, "reason"),
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return redirect("advice:detail", advice_id=advice_id)


@access(ADVICE_ASKER)
@require_POST
@login_required
def advice_copy(request: HttpRequest, advice_id: int) -> HttpResponse:
    outcome = _write(
        request,
        advice_id,
        lambda advice_request: services.advice_request_copy_to_decision(
            user=request.user, advice_request=advice_request
        ),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    advice_request = _advice_or_404(request, advice_id)
    if advice_request.decision_id is None:
        return redirect("advice:detail", advice_id=advice_id)
    return redirect("decisions:detail", decision_id=advice_request.decision_id)
