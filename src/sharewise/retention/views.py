"""Retention's pages: the schedules (partnership administrators), the review queue and the
dry run (managers and safeguarding leads), a person's records with their due dates and
holds, keeping records for another period, disposing of them after a confirmation, and
placing and releasing legal holds.

The pages read through `retention.selectors` and write through `retention.services`;
a page that shows people's names is a read of personal data and is audited.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.agencies.models import Role
from sharewise.agencies.selectors import user_has_role
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied
from sharewise.people.models import Person
from sharewise.web.access import (
    PARTNERSHIP_ADMIN,
    RETENTION_DECIDE,
    RETENTION_REVIEW,
    access,
)
from sharewise.web.forms import FormErrors, submitted, text

from . import erasure, selectors, services
from .models import Action, Basis, RecordKind


def _or_http(read: Any) -> Any:
    try:
        return read()
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _person(request: HttpRequest, person_id: int) -> Person:
    person: Person = _or_http(
        lambda: selectors.person_for_reviewer(user=request.user, person_id=person_id)
    )
    return person


def _kind(kind: str) -> str:
    if kind not in RecordKind.values:
        raise Http404("There is no such kind of record")
    return kind


def _audit_person_read(request: HttpRequest, person: Person, page: str) -> None:
    audit_append(
        actor=request.user,
        verb="retention.person_view",
        obj=person,
        request=request,
        details={"page": page},
    )


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@access(RETENTION_REVIEW)
@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    groups = _or_http(lambda: selectors.retention_queue_for_user(user=request.user, today=today))
    # The queue names people: a read of personal data, audited without the names.
    audit_append(
        actor=request.user,
        verb="retention.queue",
        request=request,
        details={"shown": len(groups)},
    )
    return render(request, "retention/queue.html", {"groups": groups, "today": today})


@access(RETENTION_REVIEW)
@require_safe
@login_required
def dry_run(request: HttpRequest) -> HttpResponse:
    # Ids, dates and counts only: no personal data is shown, and nothing is written, the
    # audit log included, so that a dry run changes nothing at all.
    today = timezone.localdate()
    result = _or_http(lambda: selectors.retention_dry_run_for_user(user=request.user, today=today))
    return render(request, "retention/dry_run.html", {"result": result})


@access(PARTNERSHIP_ADMIN)
@require_safe
@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    schedules = _or_http(lambda: selectors.schedules_list_for_user(user=request.user))
    return render(request, "retention/schedules.html", {"schedules": schedules})


@access(PARTNERSHIP_ADMIN)
@require_http_methods(["GET", "POST"])
@login_required
def schedule_edit(request: HttpRequest, schedule_id: int) -> HttpResponse:
    if not user_has_role(user=request.user, roles={Role.PARTNERSHIP_ADMIN}):
        raise HttpForbidden("Only a partnership administrator can manage retention schedules")
    schedule = _or_http(lambda: selectors.schedule_get(schedule_id=schedule_id))
    errors = FormErrors()
    values = {"basis": schedule.basis, "years": str(schedule.years), "action": schedule.action}
    if request.method == "POST":
        values = {name: text(request, name) for name in ("basis", "years", "action")}
        years = _int_or_none(values["years"])
        saved = submitted(
            errors,
            lambda: services.retention_schedule_update(
                user=request.user,
                schedule=schedule,
                basis=values["basis"],
                years=years,
                action=values["action"],
            ),
        )
        if saved is not None:
            messages.success(request, f"The schedule for {saved.get_kind_display()} is saved")
            return redirect("retention:schedules")
    context = {
        "schedule": schedule,
        "values": values,
        "errors": errors,
        "basis_choices": Basis.choices,
        "action_choices": Action.choices,
    }
    return render(request, "retention/schedule_edit.html", context, status=400 if errors else 200)


def _person_page(
    request: HttpRequest, person: Person, errors: FormErrors, values: dict[str, str]
) -> HttpResponse:
    today = timezone.localdate()
    retention = _or_http(
        lambda: selectors.retention_person_for_user(
            user=request.user, person_id=person.pk, today=today
        )
    )
    _audit_person_read(request, person, "person")
    context = {
        "retention": retention,
        "person": person,
        "errors": errors,
        "values": values,
        "holdable": [s for s in retention.states if not s.disposed],
    }
    return render(request, "retention/person.html", context, status=400 if errors else 200)


@access(RETENTION_DECIDE)
@require_safe
@login_required
def person_retention(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, _person(request, person_id), FormErrors(), {})


@access(RETENTION_DECIDE)
@require_POST
@login_required
def hold_place(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    errors = FormErrors()
    values = {"record": text(request, "record"), "reason": text(request, "reason")}
    kind, object_id = "", None
    if values["record"] and values["record"] != "person":
        kind, _, raw_id = values["record"].partition(":")
        object_id = _int_or_none(raw_id)
        if object_id is None:
            errors.add("record", "Choose the person or one of their records")
    if not errors:
        hold = submitted(
            errors,
            lambda: services.legal_hold_place(
                user=request.user,
                person=person,
                reason=values["reason"],
                kind=kind,
                object_id=object_id,
            ),
        )
        if hold is not None:
            messages.success(request, "The legal hold is in force")
            return redirect("retention:person", person_id=person.pk)
    return _person_page(request, person, errors, values)


@access(RETENTION_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def hold_release(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = _or_http(lambda: selectors.legal_hold_get_for_user(user=request.user, hold_id=hold_id))
    errors = FormErrors()
    reason = text(request, "reason")
    if request.method == "POST":
        done = submitted(
            errors,
            lambda: services.legal_hold_release(user=request.user, hold=hold, reason=reason),
        )
        if done is not None:
            messages.success(request, "The legal hold has been released")
            return redirect("retention:person", person_id=hold.person_id)
    context = {"hold": hold, "errors": errors, "reason": reason}
    return render(request, "retention/hold_release.html", context, status=400 if errors else 200)


def _group_context(request: HttpRequest, person: Person, kind: str) -> dict[str, Any]:
    today = timezone.localdate()
    retention = _or_http(
        lambda: selectors.retention_person_for_user(
            user=request.user, person_id=person.pk, today=today
        )
    )
    due = [
        s
        for s in retention.states
        if s.ref.kind == kind
        and s.is_due(today)
        and s.review is not None
        and s.review.status == "due"
    ]
    return {
        "person": person,
        "kind": kind,
        "kind_label": RecordKind(kind).label,
        "due": due,
        "held": retention.held,
        "today": today,
    }


@access(RETENTION_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def keep(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    person = _person(request, person_id)
    kind = _kind(kind)
    errors = FormErrors()
    values = {"years": text(request, "years"), "reason": text(request, "reason")}
    if request.method == "POST":
        kept = submitted(
            errors,
            lambda: services.retention_keep(
                user=request.user,
                person=person,
                kind=kind,
                years=_int_or_none(values["years"]),
                reason=values["reason"],
            ),
        )
        if kept:
            messages.success(
                request,
                f"{len(kept)} records kept until {kept[0].kept_until:%-d %B %Y}",
            )
            return redirect("retention:queue")
    else:
        _audit_person_read(request, person, "keep")
    context = {**_group_context(request, person, kind), "errors": errors, "values": values}
    return render(request, "retention/keep.html", context, status=400 if errors else 200)


@access(RETENTION_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def dispose(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    person = _person(request, person_id)
    kind = _kind(kind)
    errors = FormErrors()
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            errors.add("confirm", "Confirm that these records are to be disposed of")
        else:
            disposal = submitted(
                errors,
                lambda: services.retention_dispose(user=request.user, person=person, kind=kind),
            )
            if disposal is not None:
                messages.success(
                    request,
                    f"{len(disposal.reviews)} records disposed of. The audit log keeps a "
                    "tombstone of the disposal.",
                )
                return redirect("retention:queue")
    else:
        _audit_person_read(request, person, "dispose")
    context = _group_context(request, person, kind)
    # Exactly what disposal would erase, counted with the querysets it runs.
    plan = sum(
        (
            erasure.steps_plan(erasure.record_steps(kind, s.ref.object_id, person.pk))
            for s in context["due"]
        ),
        start=Counter(),
    )
    context.update({"errors": errors, "plan": sorted(plan.items())})
    return render(request, "retention/dispose.html", context, status=400 if errors else 200)
