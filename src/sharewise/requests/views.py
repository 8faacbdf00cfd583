"""The pages of requests for information: the list of incoming and outgoing requests, send
a request through Sharewise, record one that came by phone or letter, the request with its
history, and the receiving agency's and the requester's actions on it.

Views only read input and call one selector or service; which side of a request a user is
on, and what that lets them see, is decided in the selectors and services (003 3.15).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.models import Agency
from sharewise.agencies.selectors import primary_agency_for_user
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied
from sharewise.decisions.services import decision_evaluate
from sharewise.people.models import Person
from sharewise.web.access import (
    AGENCY_MEMBER,
    REQUEST_PARTIES,
    REQUEST_RECEIVER,
    REQUEST_REQUESTER,
    access,
)
from sharewise.web.forms import FormErrors, date_from_parts, submitted, text
from sharewise.web.pages import page_of

from . import services
from .models import (
    RECORDED_CHANNELS,
    Channel,
    InformationRequest,
    ResponseOutcome,
    SafeguardingPartner,
    Status,
    Urgency,
)
from .selectors import (
    people_to_match,
    request_get_for_user,
    request_history,
    request_is_receiver,
    request_is_requester,
    request_require_receiver,
    request_require_replier,
    requests_incoming_for_user,
    requests_outgoing_for_user,
    response_outcome_for_decision,
    response_reasons_draft,
)

RECORDED_CHANNEL_CHOICES = [(c.value, c.label) for c in RECORDED_CHANNELS]


def _request_or_404(request: HttpRequest, info_request_id: int) -> InformationRequest:
    try:
        return request_get_for_user(user=request.user, info_request_id=info_request_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _refuse(check: Any, **kwargs: Any) -> None:
    """Run a selector's side check: refused is the 403 page, not found the 404."""
    try:
        check(**kwargs)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _agency_or_403(request: HttpRequest) -> Agency:
    agency = primary_agency_for_user(user=request.user)
    if agency is None:
        raise HttpForbidden("Only members of an agency can send or receive requests")
    return agency


def _number(value: str) -> int:
    """A posted id as a number; 0, which no record has, for anything else."""
    return int(value) if value.isdigit() and len(value) < 12 else 0


def _at_noon(day: dt.date | None) -> dt.datetime | None:
    # A time recorded by its day is taken as noon, London time, so that the day shown never
    # shifts across a clock change (as consent responses are).
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else None


@access(AGENCY_MEMBER)
@require_safe
@login_required
def info_request_list(request: HttpRequest) -> HttpResponse:
    _agency_or_403(request)
    # Each list turns its own pages, so that reading further down one keeps the other
    # where it was.
    incoming = page_of(request, requests_incoming_for_user(user=request.user), "incoming_page")
    outgoing = page_of(request, requests_outgoing_for_user(user=request.user), "outgoing_page")
    # The list names the people asked about: a read of personal data.
    audit_append(
        actor=request.user,
        verb="request.list",
        request=request,
        details={
            "incoming": len(incoming),
            "incoming_count": incoming.paginator.count,
            "outgoing": len(outgoing),
            "outgoing_count": outgoing.paginator.count,
        },
    )
    context = {
        "incoming": incoming,
        "outgoing": outgoing,
        "today": timezone.localdate(),
    }
    return render(request, "requests/request_list.html", context)


def _form_context(
    request: HttpRequest, errors: FormErrors, agency: Agency, recorded: bool
) -> dict[str, Any]:
    return {
        "agency": agency,
        "recorded": recorded,
        "errors": errors,
        "values": request.POST,
        "agencies": Agency.objects.exclude(pk=agency.pk).order_by("name"),
        "urgency_choices": Urgency.choices,
        "partner_choices": SafeguardingPartner.choices,
        "channel_choices": RECORDED_CHANNEL_CHOICES,
    }


def _common_fields(request: HttpRequest, errors: FormErrors) -> dict[str, Any]:
    return {
        "subject_name": text(request, "subject_name"),
        "subject_date_of_birth": date_from_parts(
            request, "subject_date_of_birth", errors, "The date of birth"
        ),
        "subject_address": request.POST.get("subject_address", ""),
        "subject_nhs_number": text(request, "subject_nhs_number"),
        "subject_upn": text(request, "subject_upn"),
        "information_requested": request.POST.get("information_requested", ""),
        "purpose": request.POST.get("purpose", ""),
        "necessity": request.POST.get("necessity", ""),
        "lawful_basis": text(request, "lawful_basis"),
        "urgency": text(request, "urgency") or Urgency.ROUTINE,
        "due_on": date_from_parts(request, "due_on", errors, "The date it is needed by"),
        "statutory": request.POST.get("statutory") == "yes",
        "safeguarding_partner": text(request, "safeguarding_partner"),
        "requester_role": text(request, "requester_role"),
    }


@access(AGENCY_MEMBER)
@require_http_methods(["GET", "POST"])
@login_required
def info_request_send(request: HttpRequest) -> HttpResponse:
    agency = _agency_or_403(request)
    errors = FormErrors()
    if request.method == "POST":
        fields = _common_fields(request, errors)
        to_agency = Agency.objects.filter(pk=_number(text(request, "to_agency"))).first()
        if to_agency is None:
            errors.add("to_agency", "Select the agency you are asking")
        if not errors and to_agency is not None:
            sent = submitted(
                errors,
                lambda: services.request_send(
                    user=request.user,
                    from_agency=agency,
                    to_agency=to_agency,
                    details=services.RequestDetails(**fields),
                ),
            )
            if sent is not None:
                return redirect("requests:detail", info_request_id=sent.pk)
    context = _form_context(request, errors, agency, recorded=False)
    return render(request, "requests/request_form.html", context, status=400 if errors else 200)


@access(AGENCY_MEMBER)
@require_http_methods(["GET", "POST"])
@login_required
def info_request_record(request: HttpRequest) -> HttpResponse:
    agency = _agency_or_403(request)
    errors = FormErrors()
    if request.method == "POST":
        fields = _common_fields(request, errors)
        received = date_from_parts(request, "received_at", errors, "The date it arrived")
        if not errors:
            recorded = submitted(
                errors,
                lambda: services.request_record(
                    user=request.user,
                    agency=agency,
                    channel=text(request, "channel"),
                    requester_name=text(request, "requester_name"),
                    requester_agency_name=text(request, "requester_agency_name"),
                    received_at=_at_noon(received),
                    details=services.RequestDetails(**fields),
                ),
            )
            if recorded is not None:
                return redirect("requests:detail", info_request_id=recorded.pk)
    context = _form_context(request, errors, agency, recorded=True)
    return render(request, "requests/request_form.html", context, status=400 if errors else 200)


def _detail_context(request: HttpRequest, info_request: InformationRequest) -> dict[str, Any]:
    receiver = request_is_receiver(user=request.user, info_request=info_request)
    return {
        "info_request": info_request,
        "receiver": receiver,
        "requester": request_is_requester(user=request.user, info_request=info_request),
        # The receiving agency's own record of the request, for its members only: the
        # requester never sees whom it was matched to, nor the decision (003 3.15).
        "person": info_request.person if receiver else None,
        "decision": info_request.decision if receiver else None,
        "history": request_history(info_request=info_request),
        "open": info_request.is_open,
        "can_start_decision": receiver
        and info_request.person_id is not None
        and info_request.status in (Status.RECEIVED, Status.REOPENED),
        "can_respond": receiver and info_request.status == Status.IN_PROGRESS,
        "errors": FormErrors(),
    }


@access(REQUEST_PARTIES)
@require_safe
@login_required
def info_request_detail(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    audit_append(
        actor=request.user,
        verb="request.view",
        obj=info_request,
        agency=info_request.to_agency,
        request=request,
    )
    return render(request, "requests/request_detail.html", _detail_context(request, info_request))


@access(REQUEST_RECEIVER)
@require_http_methods(["GET", "POST"])
@login_required
def info_request_match(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    _refuse(request_require_receiver, user=request.user, info_request=info_request)
    errors = FormErrors()
    if request.method == "POST":
        person = Person.objects.filter(
            pk=_number(text(request, "person_id")), agency_id=info_request.to_agency_id
        ).first()
        matched = submitted(
            errors,
            lambda: services.request_match(
                user=request.user, info_request=info_request, person=person
            ),
        )
        if matched is not None:
            return redirect("requests:detail", info_request_id=info_request.pk)
    search = request.GET.get("q", "").strip()
    page = page_of(
        request, people_to_match(user=request.user, info_request=info_request, search=search)
    )
    candidates = list(page.object_list)
    audit_append(
        actor=request.user,
        verb="request.view",
        obj=info_request,
        agency=info_request.to_agency,
        request=request,
        details={
            "page": "match",
            "candidates": len(candidates),
            "candidates_count": page.paginator.count,
            "candidates_page": page.number,
        },
    )
    context = {
        "info_request": info_request,
        "candidates": candidates,
        "page": page,
        "search": search,
        "errors": errors,
    }
    return render(request, "requests/request_match.html", context, status=400 if errors else 200)


@access(REQUEST_RECEIVER)
@require_POST
@login_required
def info_request_decision(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    errors = FormErrors()
    decision = submitted(
        errors,
        lambda: services.request_decision_start(
            user=request.user, info_request=info_request, pack_id=text(request, "pack_id") or None
        ),
    )
    if decision is None:
        context = _detail_context(request, info_request)
        context["errors"] = errors
        return render(request, "requests/request_detail.html", context, status=400)
    outcome = decision_evaluate(decision)
    if outcome.outcome == "ask" and outcome.question is not None:
        return redirect("decisions:question", decision_id=decision.pk, fact=outcome.question["id"])
    return redirect("decisions:check", decision_id=decision.pk)


@access(REQUEST_RECEIVER)
@require_http_methods(["GET", "POST"])
@login_required
def info_request_respond(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    _refuse(request_require_receiver, user=request.user, info_request=info_request)
    errors = FormErrors()
    if request.method == "POST":
        told_on = None
        if not info_request.through_sharewise:
            told_on = date_from_parts(request, "told_at", errors, "The date they were told")
        if not errors:
            response = submitted(
                errors,
                lambda: services.request_respond(
                    user=request.user,
                    info_request=info_request,
                    outcome=text(request, "outcome"),
                    reasons=request.POST.get("reasons", ""),
                    told_via=text(request, "told_via"),
                    told_at=_at_noon(told_on),
                ),
            )
            if response is not None:
                return redirect("requests:detail", info_request_id=info_request.pk)
    decision = info_request.decision
    signed = decision is not None and decision.is_signed
    values: dict[str, Any] = {"outcome": "", "reasons": ""}
    if decision is not None and signed:
        values = {
            "outcome": response_outcome_for_decision(decision),
            "reasons": response_reasons_draft(decision),
        }
    if request.method == "POST":
        values = {**values, **request.POST.dict()}
    audit_append(
        actor=request.user,
        verb="request.view",
        obj=info_request,
        agency=info_request.to_agency,
        request=request,
        details={"page": "respond"},
    )
    context = {
        "info_request": info_request,
        "decision": decision,
        "signed": signed,
        "errors": errors,
        "values": values,
        "outcome_choices": ResponseOutcome.choices,
        "channel_choices": RECORDED_CHANNEL_CHOICES,
    }
    return render(request, "requests/request_respond.html", context, status=400 if errors else 200)


@access(REQUEST_REQUESTER)
@require_http_methods(["GET", "POST"])
@login_required
def info_request_reply(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    _refuse(request_require_replier, user=request.user, info_request=info_request)
    errors = FormErrors()
    if request.method == "POST":
        received = None
        if not info_request.through_sharewise:
            received = date_from_parts(request, "received_at", errors, "The date it came")
        if not errors:
            reply = submitted(
                errors,
                lambda: services.request_reply(
                    user=request.user,
                    info_request=info_request,
                    information=request.POST.get("information", ""),
                    channel=text(request, "channel"),
                    received_at=_at_noon(received),
                ),
            )
            if reply is not None:
                return redirect("requests:detail", info_request_id=info_request.pk)
    context = {
        "info_request": info_request,
        "errors": errors,
        "values": request.POST,
        "channel_choices": RECORDED_CHANNEL_CHOICES,
        "sharewise": Channel.SHAREWISE,
    }
    return render(request, "requests/request_reply.html", context, status=400 if errors else 200)


@access(REQUEST_PARTIES)
@require_POST
@login_required
def info_request_close(request: HttpRequest, info_request_id: int) -> HttpResponse:
    info_request = _request_or_404(request, info_request_id)
    errors = FormErrors()
    closed = submitted(
        errors,
        lambda: services.request_close(
            user=request.user, info_request=info_request, reason=request.POST.get("reason", "")
        ),
    )
    if closed is None:
        context = _detail_context(request, info_request)
        context["errors"] = errors
        return render(request, "requests/request_detail.html", context, status=400)
    return redirect(reverse("requests:detail", args=[info_request.pk]))
