"""The disclosure pages: share from a signed decision, the inbox and the sent list, a
disclosure as its sender and its recipient see it, and the people whose identity must be
protected.

Views only read input and call one selector or service; who may see a disclosure is
decided in `selectors`, and its content is reached only through `services.disclosure_read`,
which records every read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.models import Agency, Team
from sharewise.agencies.selectors import RECORDING_ROLES, user_has_role
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Decision
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import (
    AGENCY_DECIDE,
    DISCLOSURE_PARTIES,
    DISCLOSURE_RECIPIENT,
    DISCLOSURE_SENDER,
    SIGNED_IN,
    access,
)
from sharewise.web.forms import FormErrors, date_from_parts, submitted, text
from sharewise.web.pages import page_of

from . import services
from .models import (
    Channel,
    Disclosure,
    IdentityRelease,
    IdentityRole,
    ItemKind,
    ProtectedIdentity,
    Readers,
)
from .selectors import (
    disclosure_get_for_user,
    disclosure_is_addressed_to,
    disclosure_limits,
    disclosures_received_for_user,
    disclosures_sent_for_user,
    protected_identities_for_person,
    recipient_choices,
)

# How many rows for items the form offers: a disclosure shares what is necessary, and a
# longer one can be made over the API or as a second disclosure.
ITEM_ROWS = 5


def _disclosure_or_404(request: HttpRequest, disclosure_id: int) -> Disclosure:
    try:
        return disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _decision_or_404(request: HttpRequest, decision_id: int) -> Decision:
    try:
        return decision_get_for_user(user=request.user, decision_id=decision_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _form_field(service_field: str | None) -> str:
    """The form's name for a field the service named: "items.0.text" is item-1-text."""
    field = service_field or "form"
    parts = field.split(".")
    if parts[0] == "items":
        if len(parts) == 3 and parts[1].isdigit():
            return f"item-{int(parts[1]) + 1}-{parts[2]}"
        return "item-1-text"
    if parts[0] == "identities" and len(parts) == 2:
        return f"include-{parts[1]}-reason"
    return field


def _recipient(value: str) -> tuple[Agency | None, Any | None, Team | None]:
    """The agency, named user and team of the recipient select's value: "user:AGENCY:USER",
    "team:TEAM" or "agency:AGENCY"."""
    kind, *keys = value.split(":")
    if not keys or not all(key.isdigit() for key in keys):
        return None, None, None
    if kind == "user" and len(keys) == 2:
        agency = Agency.objects.filter(pk=int(keys[0])).first()
        return agency, get_user_model().objects.filter(pk=int(keys[1])).first(), None
    if kind == "team" and len(keys) == 1:
        team = Team.objects.select_related("agency").filter(pk=int(keys[0])).first()
        return (team.agency if team else None), None, team
    if kind == "agency" and len(keys) == 1:
        return Agency.objects.filter(pk=int(keys[0])).first(), None, None
    return None, None, None


def _recipient_groups(decision: Decision) -> list[dict[str, Any]]:
    """The recipient select's options, grouped by agency."""
    groups = []
    for group in recipient_choices(sender_agency=decision.agency):
        agency = group["agency"]
        options = [
            (
                f"user:{agency.pk}:{user.pk}",
                f"{user.get_full_name() or user.username}, {agency.name}",
            )
            for user in group["users"]
        ]
        options += [
            (f"team:{team.pk}", f"{team.name} (team), {agency.name}") for team in group["teams"]
        ]
        options.append(
            (f"agency:{agency.pk}", f"Someone without a Sharewise account at {agency.name}")
        )
        groups.append({"label": agency.name, "options": options})
    return groups


def _items(request: HttpRequest, errors: FormErrors) -> list[services.ItemInput]:
    items = []
    for n in range(1, ITEM_ROWS + 1):
        body = text(request, f"item-{n}-text")
        source = text(request, f"item-{n}-source")
        dated = date_from_parts(request, f"item-{n}-dated", errors, f"The date of item {n}")
        if not (body or source):
            continue
        items.append(
            services.ItemInput(
                text=body,
                kind=text(request, f"item-{n}-kind"),
                source=source,
                dated=dated,
                historical=request.POST.get(f"item-{n}-historical") == "yes",
                information_kind=text(request, f"item-{n}-information_kind"),
            )
        )
    return items


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def disclosure_new(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, decision_id)
    identities = list(protected_identities_for_person(user=request.user, person=decision.person))
    errors = FormErrors()
    if request.method == "POST":
        items = _items(request, errors)
        expires_on = date_from_parts(
            request, "expires_on", errors, "The date it stops being visible"
        )
        shared_on = date_from_parts(request, "sent_at", errors, "The date it was shared")
        if not errors:
            agency, recipient_user, team = _recipient(text(request, "recipient"))
            include = {
                identity.pk: text(request, f"include-{identity.pk}-reason")
                for identity in identities
                if request.POST.get(f"include-{identity.pk}") == "yes"
            }
            sent_at = (
                timezone.make_aware(dt.datetime.combine(shared_on, dt.time(12)))
                if shared_on and shared_on < timezone.localdate()
                else None
            )

            try:
                disclosure = services.disclosure_send(
                    user=request.user,
                    decision=decision,
                    recipient_agency=agency,
                    recipient_user=recipient_user,
                    recipient_team=team,
                    recipient_name=text(request, "recipient_name"),
                    purpose=text(request, "purpose"),
                    channel=text(request, "channel"),
                    channel_details=text(request, "channel_details"),
                    identity_check=text(request, "identity_check"),
                    items=items,
                    include_identities=include,
                    expires_on=expires_on,
                    sent_at=sent_at,
                    readers=text(request, "readers") or Readers.NAMED,
                )
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except ServiceError as exc:
                errors.add(_form_field(exc.field), exc.message)
            else:
                return redirect("disclosures:detail", disclosure_id=disclosure.pk)
    context = {
        "decision": decision,
        "cannot_share": services.disclosure_refusal_for(decision=decision),
        "errors": errors,
        "values": request.POST,
        "purpose": request.POST.get("purpose", decision.purpose),
        "recipient_groups": _recipient_groups(decision),
        "dates": {
            name: {
                part: request.POST.get(f"{name}-{part}", "") for part in ("day", "month", "year")
            }
            for name in ("sent_at", "expires_on")
        },
        "channel_choices": Channel.choices,
        "readers_choices": Readers.choices,
        "readers": request.POST.get("readers", Readers.NAMED),
        "kind_choices": ItemKind.choices,
        "item_rows": [
            {
                "n": n,
                "date_name": f"item-{n}-dated",
                "error_text": errors.get(f"item-{n}-text"),
                "error_kind": errors.get(f"item-{n}-kind"),
                "error_source": errors.get(f"item-{n}-source"),
                "error_dated": errors.get(f"item-{n}-dated"),
                "error_information_kind": errors.get(f"item-{n}-information_kind"),
                "text": request.POST.get(f"item-{n}-text", ""),
                "kind": request.POST.get(f"item-{n}-kind", ""),
                "source": request.POST.get(f"item-{n}-source", ""),
                "information_kind": request.POST.get(f"item-{n}-information_kind", ""),
                "historical": request.POST.get(f"item-{n}-historical") == "yes",
                "day": request.POST.get(f"item-{n}-dated-day", ""),
                "month": request.POST.get(f"item-{n}-dated-month", ""),
                "year": request.POST.get(f"item-{n}-dated-year", ""),
            }
            for n in range(1, ITEM_ROWS + 1)
        ],
        "identities": [
            {
                "identity": identity,
                "included": request.POST.get(f"include-{identity.pk}") == "yes",
                "reason": request.POST.get(f"include-{identity.pk}-reason", ""),
                "error": errors.get(f"include-{identity.pk}-reason"),
            }
            for identity in identities
        ],
    }
    # The form shows the person and the names of those whose identity is protected: a
    # read of personal data, audited as the decision's other pages are.
    audit_append(
        actor=request.user,
        verb="decision.view",
        obj=decision,
        request=request,
        details={"page": "disclosure_new"},
    )
    return render(request, "disclosures/new.html", context, status=400 if errors else 200)


def _detail_context(
    request: HttpRequest, disclosure: Disclosure, errors: FormErrors | None = None
) -> dict[str, Any]:
    reading = services.disclosure_read(user=request.user, disclosure=disclosure, request=request)
    disclosure.refresh_from_db(
        fields=["opened_at", "read_at", "read_by", "acknowledged_at", "acknowledged_by"]
    )
    context: dict[str, Any] = {
        "disclosure": disclosure,
        "reading": reading,
        "items": reading.items or [],
        "as_sender": reading.as_sender,
        "addressed_to_me": disclosure_is_addressed_to(user=request.user, disclosure=disclosure),
        "limits": disclosure_limits(disclosure=disclosure),
        "errors": errors or FormErrors(),
        "values": request.POST,
    }
    if reading.items is not None:
        context["person"] = disclosure.person
    if reading.as_sender:
        context["releases"] = list(
            IdentityRelease.objects.filter(disclosure=disclosure).select_related("identity")
        )
        context["withheld"] = list(
            ProtectedIdentity.objects.filter(pk__in=disclosure.withheld_identities)
        )
        context["decision"] = disclosure.decision
        context["can_record"] = user_has_role(
            user=request.user, roles=RECORDING_ROLES, agency=disclosure.agency
        )
    return context


@access(DISCLOSURE_PARTIES)
@require_safe
@login_required
def detail(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    disclosure = _disclosure_or_404(request, disclosure_id)
    return render(request, "disclosures/detail.html", _detail_context(request, disclosure))


def _after_write(
    request: HttpRequest, disclosure: Disclosure, errors: FormErrors, done: Any
) -> HttpResponse:
    if done is not None:
        return redirect("disclosures:detail", disclosure_id=disclosure.pk)
    context = _detail_context(request, disclosure, errors)
    return render(request, "disclosures/detail.html", context, status=400)


@access(DISCLOSURE_RECIPIENT)
@require_POST
@login_required
def acknowledge(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    disclosure = _disclosure_or_404(request, disclosure_id)
    errors = FormErrors()
    done = submitted(
        errors, lambda: services.disclosure_acknowledge(user=request.user, disclosure=disclosure)
    )
    return _after_write(request, disclosure, errors, done)


@access(DISCLOSURE_SENDER)
@require_POST
@login_required
def withdraw(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    disclosure = _disclosure_or_404(request, disclosure_id)
    errors = FormErrors()
    done = submitted(
        errors,
        lambda: services.disclosure_withdraw(
            user=request.user, disclosure=disclosure, reason=text(request, "reason")
        ),
    )
    return _after_write(request, disclosure, errors, done)


@access(DISCLOSURE_SENDER)
@require_POST
@login_required
def subject_told(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    disclosure = _disclosure_or_404(request, disclosure_id)
    errors = FormErrors()
    told_on = date_from_parts(request, "told_at", errors, "The date the person was told")
    done = None
    if not errors:
        # A day before today is taken as noon that day; today is now.
        when = (
            timezone.make_aware(dt.datetime.combine(told_on, dt.time(12)))
            if told_on and told_on < timezone.localdate()
            else None
        )
        done = submitted(
            errors,
            lambda: services.disclosure_subject_told(
                user=request.user, disclosure=disclosure, how=text(request, "how"), told_at=when
            ),
        )
    return _after_write(request, disclosure, errors, done)


@access(SIGNED_IN)
@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = page_of(request, disclosures_received_for_user(user=request.user))
    received = list(page.object_list)
    audit_append(
        actor=request.user,
        verb="disclosure.inbox",
        request=request,
        details={"shown": len(received), "count": page.paginator.count, "page": page.number},
    )
    rows = [
        {
            "disclosure": d,
            "for_me": d.recipient_user_id == request.user.pk,
        }
        for d in received
    ]
    context = {"rows": rows, "page": page}
    return render(request, "disclosures/inbox.html", context)


@access(SIGNED_IN)
@require_safe
@login_required
def sent(request: HttpRequest) -> HttpResponse:
    page = page_of(request, disclosures_sent_for_user(user=request.user))
    disclosures = list(page.object_list)
    audit_append(
        actor=request.user,
        verb="disclosure.sent_list",
        request=request,
        details={"shown": len(disclosures), "count": page.paginator.count, "page": page.number},
    )
    context = {"disclosures": disclosures, "page": page}
    return render(request, "disclosures/sent.html", context)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def protected_identities(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person: Person = person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    decision_id = request.GET.get("decision", "")
    back = (
        reverse("disclosures:new", args=[int(decision_id)])
        if decision_id.isdigit()
        else reverse("people:person_detail", args=[person.pk])
    )
    errors = FormErrors()
    if request.method == "POST":
        added = submitted(
            errors,
            lambda: services.protected_identity_add(
                user=request.user,
                person=person,
                name=text(request, "name"),
                role=text(request, "role"),
                details=request.POST.get("details", ""),
            ),
        )
        if added is not None:
            return redirect(back)
    audit_append(
        actor=request.user,
        verb="protected_identity.list",
        obj=person,
        request=request,
    )
    context = {
        "person": person,
        "identities": list(protected_identities_for_person(user=request.user, person=person)),
        "role_choices": IdentityRole.choices,
        "errors": errors,
        "values": request.POST,
        "back": back,
    }
    return render(
        request, "disclosures/protected_identities.html", context, status=400 if errors else 200
    )
