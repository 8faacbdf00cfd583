"""The "who has viewed this record" page of a person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sharewise.common import NotFound, PermissionDenied
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import LEAD_OR_AUDITOR, access

from .models import Outcome
from .selectors import audit_entries_for_person
from .services import audit_append

# What each verb means to a reader of the page.
VERB_LABELS = {
    "person.view": "Opened the person's record",
    "person.views": "Looked at who has viewed the record",
    "person.create": "Added the person",
    "person.relationship_add": "Recorded a relationship",
    "person.competence_assess": "Assessed competence to consent",
    "person.capacity_assess": "Assessed capacity to consent",
    "consent.record": "Recorded a consent response",
    "decision.start": "Started a decision",
    "decision.answer": "Answered questions of a decision",
    "decision.details": "Recorded a decision's lawful basis and details",
    "decision.sign": "Signed a decision",
    "decision.correct": "Started a correction of a decision",
    "decision.view": "Opened a decision",
    "decision.pdf": "Downloaded a decision as PDF",
    "api.read": "Read the record through the API",
}


@access(LEAD_OR_AUDITOR)
@require_safe
@login_required
def person_views(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = person_get_for_user(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        entries = list(audit_entries_for_person(user=request.user, person=person))
    except PermissionDenied as exc:
        # A refused look at the audit trail is itself worth recording.
        audit_append(
            actor=request.user,
            verb="person.views",
            obj=person,
            outcome=Outcome.DENIED,
            request=request,
        )
        raise HttpForbidden(exc.message) from exc
    audit_append(actor=request.user, verb="person.views", obj=person, request=request)
    rows = [
        {
            "at": entry.at,
            "who": entry.actor_username or "Sharewise (no signed-in user)",
            "what": VERB_LABELS.get(entry.verb, entry.verb),
            "record": f"{entry.object_type} {entry.object_id}".strip(),
            "denied": entry.outcome == Outcome.DENIED,
        }
        for entry in entries
    ]
    return render(request, "audit/person_views.html", {"person": person, "rows": rows})
