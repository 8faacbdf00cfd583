"""The pages about people: find a person, their record and chronology, record consent.

Views only read input and call one selector or service; what a user may see is decided
in the selectors (003 3.15).
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
from django.views.decorators.http import require_http_methods, require_safe

from sharewise.agencies.selectors import primary_agency_for_user
from sharewise.audit.selectors import user_sees_record_views
from sharewise.audit.services import audit_append
from sharewise.common import NotFound
from sharewise.consents.models import INFORMED_POINTS, Form, GivenBy, Medium, Response
from sharewise.consents.selectors import consent_effective_for_person, consents_for_person
from sharewise.consents.services import consent_record
from sharewise.decisions.selectors import ChronologyEntry, chronology_for_person
from sharewise.guidance.consent import CAPACITY_POINTS, COMPETENCE_CRITERIA
from sharewise.web.access import AGENCY_DECIDE, AGENCY_MEMBER, AGENCY_READ, SIGNED_IN, access
from sharewise.web.forms import FormErrors, date_from_parts, lines, submitted, text
from sharewise.web.pages import page_of

from .models import Person
from .selectors import person_get_for_user, person_list_for_user, relationships_for_user
from .services import capacity_assess, competence_assess, person_create


def _person_or_404(request: HttpRequest, person_id: int) -> Person:
    try:
        return person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@access(SIGNED_IN)
@require_safe
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = page_of(request, person_list_for_user(user=request.user, search=search))
    people = list(page.object_list)
    # A list of names is a read of personal data. The search words are not kept (they may
    # be a name), only that a search was made and how many people it showed.
    audit_append(
        actor=request.user,
        verb="person.search" if search else "person.list",
        request=request,
        details={"shown": len(people), "count": page.paginator.count, "page": page.number},
    )
    context = {"people": people, "page": page, "search": search}
    return render(request, "people/person_list.html", context)


# How many chronology entries the person page opens with (benchmarks/pages.py: a person
# with 600 decisions took over a second to open at once).
CHRONOLOGY_FIRST_PAGE = 100


def _chronology_rows(entries: list[ChronologyEntry]) -> list[dict[str, Any]]:
    """The chronology as rows ready to show. A person can have hundreds of entries, and
    working out each row here rather than in the template keeps the page quick to open
    (benchmarks/pages.py)."""
    # One reverse() for the pattern, then the id put in: reversing a URL per row was a
    # large part of the page's time.
    pattern = reverse("decisions:detail", args=[0])
    rows = []
    for entry in entries:
        when = timezone.localtime(entry.at).strftime("%d %b %Y %H:%M")
        decision, consent = entry.decision, entry.consent
        if decision is not None:
            tags = [("Signed", "green") if decision.status == "signed" else ("Draft", "grey")]
            if decision.refer_now:
                tags.append(("Refer now", "red"))
            version = f" (version {decision.version})" if decision.version > 1 else ""
            rows.append(
                {
                    "when": when,
                    "url": pattern.replace("/0/", f"/{decision.pk}/"),
                    "title": f"Decision{version}: {decision.outcome.replace('_', ' ')}",
                    "tags": tags,
                    "detail": decision.purpose
                    if len(decision.purpose) <= 120
                    else decision.purpose[:119] + "…",
                    "by": str(decision.signed_by or decision.created_by),
                }
            )
        elif consent is not None:
            who = consent.party or consent.get_given_by_display()
            rows.append(
                {
                    "when": when,
                    "url": "",
                    "title": f"Consent {consent.get_response_display().lower()} by {who}",
                    "tags": [],
                    "detail": ("For: " + "; ".join(consent.purposes)) if consent.purposes else "",
                    "by": str(consent.recorded_by),
                }
            )
    return rows


@access(AGENCY_READ)
@require_safe
@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    audit_append(actor=request.user, verb="person.view", obj=person, request=request)
    effective, _ = consent_effective_for_person(user=request.user, person=person)
    # The newest entries open quickly however long the history; the whole chronology is
    # one link away, for the review that needs every entry.
    whole = request.GET.get("chronology") == "all"
    entries = chronology_for_person(
        user=request.user, person=person, latest=None if whole else CHRONOLOGY_FIRST_PAGE
    )
    more = not whole and len(entries) > CHRONOLOGY_FIRST_PAGE
    context = {
        "person": person,
        "show_record_views": user_sees_record_views(user=request.user, person=person),
        "aliases": list(person.aliases.all()),
        "relationships": relationships_for_user(user=request.user, person=person)[0],
        "chronology": _chronology_rows(entries[:CHRONOLOGY_FIRST_PAGE] if more else entries),
        "chronology_more": more,
        "effective_consent": effective,
        "competence": person.competence_assessments.first(),
        "capacity": person.capacity_assessments.first(),
    }
    return render(request, "people/person_detail.html", context)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def consent_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    errors = FormErrors()
    if request.method == "POST":
        given_at = date_from_parts(request, "given_at", errors, "The date of the response")
        expires = date_from_parts(request, "expires", errors, "The expiry date")
        if not errors:
            # A response recorded by its day is taken as given at noon, London time, so
            # that the day shown never shifts across a clock change.
            when = (
                timezone.make_aware(dt.datetime.combine(given_at, dt.time(12)))
                if given_at
                else None
            )
            recorded = submitted(
                errors,
                lambda: consent_record(
                    user=request.user,
                    person=person,
                    given_by=text(request, "given_by"),
                    party=text(request, "party"),
                    response=text(request, "response"),
                    form=text(request, "form") or Form.EXPLICIT,
                    medium=text(request, "medium") or Medium.VERBAL,
                    informed_points=request.POST.getlist("informed_points"),
                    purposes=lines(request, "purposes"),
                    recipients=lines(request, "recipients"),
                    information=lines(request, "information"),
                    expires=expires,
                    given_at=when,
                    notes=text(request, "notes"),
                ),
            )
            if recorded is not None:
                return redirect("people:person_detail", person_id=person.pk)
    context = {
        "person": person,
        "errors": errors,
        "values": request.POST,
        "given_by_choices": GivenBy.choices,
        "response_choices": Response.choices,
        "form_choices": Form.choices,
        "medium_choices": Medium.choices,
        "informed_points": INFORMED_POINTS.items(),
        "records": consents_for_person(user=request.user, person=person),
    }
    return render(request, "people/consent_new.html", context, status=400 if errors else 200)


@access(AGENCY_MEMBER)
@require_http_methods(["GET", "POST"])
@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    agency = primary_agency_for_user(user=request.user)
    if agency is None:
        raise HttpForbidden("Only members of an agency can add people to its records")
    errors = FormErrors()
    if request.method == "POST":
        born = date_from_parts(request, "date_of_birth", errors, "The date of birth")
        expected = date_from_parts(
            request, "expected_date_of_birth", errors, "The expected date of birth"
        )
        if not errors:
            person = submitted(
                errors,
                lambda: person_create(
                    user=request.user,
                    agency=agency,
                    given_name=text(request, "given_name"),
                    family_name=text(request, "family_name"),
                    date_of_birth=born,
                    expected_date_of_birth=expected,
                    nhs_number=text(request, "nhs_number"),
                    upn=text(request, "upn"),
                    case_reference=text(request, "case_reference"),
                    address=request.POST.get("address", ""),
                    postcode=text(request, "postcode"),
                    care_order=request.POST.get("care_order") == "yes",
                    aliases=lines(request, "aliases"),
                ),
            )
            if person is not None:
                return redirect("people:person_detail", person_id=person.pk)
    context = {"agency": agency, "errors": errors, "values": request.POST}
    return render(request, "people/person_new.html", context, status=400 if errors else 200)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def competence_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Assess a child's competence to consent against the criteria of 3.24."""
    person = _person_or_404(request, person_id)
    errors = FormErrors()
    if request.method == "POST":
        judgement = text(request, "competent")
        met = [request.POST.get(f"criterion-{i}") == "yes" for i in range(len(COMPETENCE_CRITERIA))]
        recorded = submitted(
            errors,
            lambda: competence_assess(
                user=request.user,
                person=person,
                criteria_met=met,
                competent={"yes": True, "no": False}.get(judgement),
                notes=request.POST.get("notes", ""),
            ),
        )
        if recorded is not None:
            return redirect("people:person_detail", person_id=person.pk)
    context = {
        "person": person,
        "errors": errors,
        "criteria": COMPETENCE_CRITERIA,
        "judgement_choices": [("yes", "Competent to decide"), ("no", "Not competent to decide")],
    }
    return render(request, "people/competence_new.html", context, status=400 if errors else 200)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def capacity_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record an assessment of an adult's capacity for one decision (3.31 to 3.35)."""
    person = _person_or_404(request, person_id)
    errors = FormErrors()
    if request.method == "POST":
        found = text(request, "lacks_capacity")
        recorded = submitted(
            errors,
            lambda: capacity_assess(
                user=request.user,
                person=person,
                decision=text(request, "decision"),
                lacks_capacity={"yes": True, "no": False}.get(found),
                notes=request.POST.get("notes", ""),
            ),
        )
        if recorded is not None:
            return redirect("people:person_detail", person_id=person.pk)
    context = {
        "person": person,
        "errors": errors,
        "points": CAPACITY_POINTS,
        "values": request.POST,
        "capacity_choices": [
            ("yes", "Yes, they lack capacity for it"),
            ("no", "No, they have capacity"),
        ],
    }
    return render(request, "people/capacity_new.html", context, status=400 if errors else 200)
