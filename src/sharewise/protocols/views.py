"""The register's pages: the list, a protocol, drafting and editing, submitting for
sign-off, signing for a party, a new version, withdrawing, and the administrators' list of
protocols due for review.

Each page reads through `protocols.selectors` and writes through `protocols.services`,
which check who may do what; the pages only turn the form into the service's arguments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.models import Agency
from sharewise.common import NotFound, PermissionDenied
from sharewise.decisions.models import Article6Basis, SpecialCategoryCondition
from sharewise.web.access import PROTOCOL_ADMIN, PROTOCOL_READ, PROTOCOL_SIGN, SIGNED_IN, access
from sharewise.web.forms import FormErrors, date_from_parts, lines, submitted, text

from . import services
from .models import Protocol, State, Status
from .selectors import (
    agencies_user_signs_for,
    protocol_get_for_admin,
    protocol_get_for_user,
    protocol_later_version,
    protocols_for_user,
    protocols_review_list,
    user_is_partnership_admin,
)

TERMS_CHOICES = {
    "article6_choices": Article6Basis.choices,
    "special_choices": SpecialCategoryCondition.choices,
}


def _protocol_or_404(request: HttpRequest, protocol_id: int) -> Protocol:
    try:
        return protocol_get_for_user(user=request.user, protocol_id=protocol_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _require_admin(request: HttpRequest) -> None:
    if not user_is_partnership_admin(user=request.user):
        raise HttpForbidden(
            "Only a partnership administrator can manage information sharing protocols"
        )


def _managed_or_404(request: HttpRequest, protocol_id: int) -> Protocol:
    try:
        return protocol_get_for_admin(user=request.user, protocol_id=protocol_id)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc


@access(SIGNED_IN)
@require_safe
@login_required
def protocol_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    protocols = list(protocols_for_user(user=request.user).order_by("title", "-version"))
    rows = [(p, p.state_on(today)) for p in protocols]
    context = {
        "rows": rows,
        "is_admin": user_is_partnership_admin(user=request.user),
        "past_review": sum(1 for _, state in rows if state == State.PAST_REVIEW),
    }
    return render(request, "protocols/protocol_list.html", context)


@access(PROTOCOL_ADMIN)
@require_safe
@login_required
def protocol_review(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    today = timezone.localdate()
    rows = [(p, p.state_on(today)) for p in protocols_review_list(today=today)]
    return render(request, "protocols/protocol_review.html", {"rows": rows, "today": today})


def _terms_from_post(request: HttpRequest, errors: FormErrors) -> services.ProtocolTerms:
    party_ids: list[int] = []
    for value in request.POST.getlist("parties"):
        try:
            party_ids.append(int(value))
        except ValueError:
            errors.add("parties", "Choose the parties from the agencies listed")
    return services.ProtocolTerms(
        title=text(request, "title"),
        party_ids=party_ids,
        purposes=lines(request, "purposes"),
        data_items=lines(request, "data_items"),
        article6_bases=request.POST.getlist("article6"),
        special_category_conditions=request.POST.getlist("special_category"),
        legal_powers=text(request, "legal_powers"),
        retention=text(request, "retention"),
        security=text(request, "security"),
        individuals_rights=text(request, "individuals_rights"),
        review_date=date_from_parts(request, "review_date", errors, "The review date"),
    )


def _values_of(protocol: Protocol) -> dict[str, Any]:
    review = protocol.review_date
    return {
        "title": protocol.title,
        "parties": [str(a.pk) for a in protocol.parties.all()],
        "purposes": "\n".join(protocol.purposes),
        "data_items": "\n".join(protocol.data_items),
        "article6": list(protocol.article6_bases),
        "special_category": list(protocol.special_category_conditions),
        "legal_powers": protocol.legal_powers,
        "retention": protocol.retention,
        "security": protocol.security,
        "individuals_rights": protocol.individuals_rights,
        "review_date": {
            "day": review.day if review else "",
            "month": review.month if review else "",
            "year": review.year if review else "",
        },
    }


def _values_posted(request: HttpRequest) -> dict[str, Any]:
    return {
        **{
            name: request.POST.get(name, "")
            for name in (
                "title",
                "purposes",
                "data_items",
                "legal_powers",
                "retention",
                "security",
                "individuals_rights",
            )
        },
        "parties": request.POST.getlist("parties"),
        "article6": request.POST.getlist("article6"),
        "special_category": request.POST.getlist("special_category"),
        "review_date": {
            part: request.POST.get(f"review_date-{part}", "") for part in ("day", "month", "year")
        },
    }


def _form_page(
    request: HttpRequest, protocol: Protocol | None, errors: FormErrors, values: dict[str, Any]
) -> HttpResponse:
    context = {
        "protocol": protocol,
        "errors": errors,
        "values": values,
        "agency_choices": [(str(a.pk), a.name) for a in Agency.objects.order_by("name")],
        **TERMS_CHOICES,
    }
    return render(request, "protocols/protocol_form.html", context, status=400 if errors else 200)


@access(PROTOCOL_ADMIN)
@require_http_methods(["GET", "POST"])
@login_required
def protocol_new(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    errors = FormErrors()
    if request.method == "POST":
        terms = _terms_from_post(request, errors)
        if not errors:
            protocol = submitted(
                errors, lambda: services.protocol_create(user=request.user, terms=terms)
            )
            if protocol is not None:
                messages.success(request, "The draft protocol has been saved")
                return redirect("protocols:detail", protocol_id=protocol.pk)
        return _form_page(request, None, errors, _values_posted(request))
    return _form_page(request, None, errors, {})


@access(PROTOCOL_ADMIN)
@require_http_methods(["GET", "POST"])
@login_required
def protocol_edit(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _managed_or_404(request, protocol_id)
    if protocol.status != Status.DRAFT:
        return redirect("protocols:detail", protocol_id=protocol.pk)
    errors = FormErrors()
    if request.method == "POST":
        terms = _terms_from_post(request, errors)
        if not errors:
            saved = submitted(
                errors,
                lambda: services.protocol_update(user=request.user, protocol=protocol, terms=terms),
            )
            if saved is not None:
                messages.success(request, "The draft protocol has been saved")
                return redirect("protocols:detail", protocol_id=saved.pk)
        return _form_page(request, protocol, errors, _values_posted(request))
    return _form_page(request, protocol, errors, _values_of(protocol))


def _detail_context(request: HttpRequest, protocol: Protocol) -> dict[str, Any]:
    today = timezone.localdate()
    signatures = {s.agency_id: s for s in protocol.signatures.all()}
    is_admin = user_is_partnership_admin(user=request.user)
    signs_for = agencies_user_signs_for(user=request.user, protocol=protocol)
    return {
        "protocol": protocol,
        "state": protocol.state_on(today),
        "parties": [(agency, signatures.get(agency.pk)) for agency in protocol.parties.all()],
        "article6_labels": [Article6Basis(v).label for v in protocol.article6_bases],
        "special_labels": [
            SpecialCategoryCondition(v).label for v in protocol.special_category_conditions
        ],
        "later_version": protocol_later_version(protocol=protocol),
        "is_admin": is_admin,
        "may_sign": protocol.status == Status.AWAITING_SIGNOFF
        and any(a.pk not in signatures for a in signs_for),
        "submit_problems": services.protocol_submit_problems(protocol)
        if is_admin and protocol.status == Status.DRAFT
        else [],
        "errors": FormErrors(),
    }


@access(PROTOCOL_READ)
@require_safe
@login_required
def protocol_detail(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _protocol_or_404(request, protocol_id)
    return render(request, "protocols/protocol_detail.html", _detail_context(request, protocol))


def _detail_with_error(
    request: HttpRequest, protocol: Protocol, errors: FormErrors
) -> HttpResponse:
    context = {**_detail_context(request, protocol), "errors": errors}
    return render(request, "protocols/protocol_detail.html", context, status=400)


@access(PROTOCOL_ADMIN)
@require_POST
@login_required
def protocol_submit_page(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _managed_or_404(request, protocol_id)
    errors = FormErrors()
    done = submitted(errors, lambda: services.protocol_submit(user=request.user, protocol=protocol))
    if done is None:
        return _detail_with_error(request, protocol, errors)
    messages.success(request, "The protocol has been sent to the parties for sign-off")
    return redirect("protocols:detail", protocol_id=protocol.pk)


@access(PROTOCOL_ADMIN)
@require_POST
@login_required
def protocol_new_version(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _managed_or_404(request, protocol_id)
    errors = FormErrors()
    revision = submitted(
        errors, lambda: services.protocol_new_version(user=request.user, protocol=protocol)
    )
    if revision is None:
        return _detail_with_error(request, protocol, errors)
    messages.success(
        request,
        f"Version {revision.version} has been started. Version {protocol.version} stays in "
        "force until every party has signed the new one.",
    )
    return redirect("protocols:edit", protocol_id=revision.pk)


@access(PROTOCOL_ADMIN)
@require_http_methods(["GET", "POST"])
@login_required
def protocol_withdraw(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _managed_or_404(request, protocol_id)
    errors = FormErrors()
    if request.method == "POST":
        done = submitted(
            errors,
            lambda: services.protocol_withdraw(
                user=request.user, protocol=protocol, reason=text(request, "reason")
            ),
        )
        if done is not None:
            messages.success(request, "The protocol has been withdrawn. It stays in the register.")
            return redirect("protocols:detail", protocol_id=protocol.pk)
    context = {"protocol": protocol, "errors": errors, "reason": request.POST.get("reason", "")}
    return render(
        request, "protocols/protocol_withdraw.html", context, status=400 if errors else 200
    )


@access(PROTOCOL_SIGN)
@require_http_methods(["GET", "POST"])
@login_required
def protocol_sign_page(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = _protocol_or_404(request, protocol_id)
    signs_for = agencies_user_signs_for(user=request.user, protocol=protocol)
    if not signs_for:
        raise HttpForbidden(
            "Only a manager or safeguarding lead of a party agency can sign this protocol"
        )
    signed = {s.agency_id for s in protocol.signatures.all()}
    unsigned = [a for a in signs_for if a.pk not in signed]
    if protocol.status != Status.AWAITING_SIGNOFF or not unsigned:
        return redirect("protocols:detail", protocol_id=protocol.pk)
    errors = FormErrors()
    if request.method == "POST":
        signed_on = date_from_parts(request, "signed_on", errors, "The date of signing")
        chosen = next((a for a in unsigned if str(a.pk) == request.POST.get("agency")), None)
        if len(unsigned) > 1 and chosen is None:
            errors.add("agency", "Choose the agency you are signing for")
        if not errors:
            signature = submitted(
                errors,
                lambda: services.protocol_sign(
                    user=request.user,
                    protocol=protocol,
                    agency=chosen or unsigned[0],
                    signatory_name=text(request, "signatory_name"),
                    signatory_role=text(request, "signatory_role"),
                    signed_on=signed_on,
                ),
            )
            if signature is not None:
                messages.success(request, f"Signed for {signature.agency.name}")
                return redirect("protocols:detail", protocol_id=protocol.pk)
    user: Any = request.user
    values = {
        "signatory_name": request.POST.get("signatory_name", user.get_full_name()),
        "signatory_role": request.POST.get("signatory_role", ""),
        "agency": request.POST.get("agency", ""),
        "signed_on": {
            part: request.POST.get(f"signed_on-{part}", "") for part in ("day", "month", "year")
        },
    }
    context = {
        "protocol": protocol,
        "unsigned": unsigned,
        "agency_choices": [(str(a.pk), a.name) for a in unsigned],
        "errors": errors,
        "values": values,
    }
    return render(request, "protocols/protocol_sign.html", context, status=400 if errors else 200)
