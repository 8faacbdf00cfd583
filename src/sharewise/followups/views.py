"""The pages of follow-ups and meetings: agree a follow-up from a decision, its record and
history, record a contact, stop it; the follow-ups due and overdue; record a meeting,
its attendees, what they shared and the actions agreed.

Views only read input and call one selector or service (003 3.15 is decided there).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.models import Person, Relationship
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import AGENCY_DECIDE, AGENCY_READ, SIGNED_IN, access
from sharewise.web.forms import FormErrors, date_from_parts, lines, submitted, text
from sharewise.web.pages import page_of

from . import selectors, services
from .models import FollowUp, ItemKind, Meeting, MeetingKind

# How often, as offered on the form; "other" takes a number of days.
INTERVAL_CHOICES = [
    ("14", "Every 14 days (fortnightly)"),
    ("7", "Every 7 days (weekly)"),
    ("28", "Every 28 days"),
    ("once", "Once, on a date"),
    ("other", "Another number of days"),
]


def _or_404(read: Any, **kwargs: Any) -> Any:
    try:
        return read(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _interval(request: HttpRequest, errors: FormErrors) -> tuple[bool, int | None]:
    """The interval chosen on the form: (chosen at all, days or None for once)."""
    chosen = text(request, "how_often")
    if chosen == "once":
        return True, None
    if chosen == "other":
        try:
            return True, int(text(request, "interval_days"))
        except ValueError:
            errors.add("interval_days", "Enter how often as a whole number of days, like 21")
            return True, None
    if chosen.isdigit():
        return True, int(chosen)
    errors.add("how_often", "Choose how often the follow-up happens")
    return False, None


def _owner(request: HttpRequest, agency_id: int, errors: FormErrors) -> Any:
    username = text(request, "owner")
    if not username:
        return request.user
    try:
        return selectors.owner_for_username(agency_id=agency_id, username=username)
    except ServiceError as exc:
        errors.add_service_error(exc)
        return None


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def followup_new(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _or_404(decision_get_for_user, user=request.user, decision_id=decision_id)
    errors = FormErrors()
    if request.method == "POST":
        _, interval = _interval(request, errors)
        first_due = date_from_parts(request, "first_due", errors, "The first follow-up date")
        owner = _owner(request, decision.agency_id, errors)
        if not errors:
            followup = submitted(
                errors,
                lambda: services.followup_agree(
                    user=request.user,
                    decision=decision,
                    owner=owner,
                    interval_days=interval,
                    first_due=first_due,
                    agencies_involved=lines(request, "agencies_involved"),
                    trigger=text(request, "trigger"),
                ),
            )
            if followup is not None:
                return redirect("followups:detail", followup_id=followup.pk)
    context = {
        "decision": decision,
        "person": decision.person,
        "errors": errors,
        "values": request.POST if request.method == "POST" else {"how_often": "14"},
        "interval_choices": INTERVAL_CHOICES,
        "owners": selectors.owners_for_agency(agency_id=decision.agency_id),
        "agreed_on": services.agreed_on(decision=decision, meeting_action=None),
    }
    return render(request, "followups/followup_new.html", context, status=400 if errors else 200)


def _detail_context(request: HttpRequest, followup: FollowUp) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "followup": followup,
        "person": followup.person,
        "contacts": list(selectors.followup_contacts(followup=followup)),
        "overdue": followup.is_active
        and followup.next_due is not None
        and followup.next_due < today,
        "today": today,
    }


@access(AGENCY_READ)
@require_safe
@login_required
def followup_detail(request: HttpRequest, followup_id: int) -> HttpResponse:
    followup = _or_404(selectors.followup_get_for_user, user=request.user, followup_id=followup_id)
    audit_append(actor=request.user, verb="followup.view", obj=followup, request=request)
    return render(request, "followups/followup_detail.html", _detail_context(request, followup))


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def followup_contact(request: HttpRequest, followup_id: int) -> HttpResponse:
    followup = _or_404(selectors.followup_get_for_user, user=request.user, followup_id=followup_id)
    errors = FormErrors()
    if request.method == "POST":
        contacted_on = date_from_parts(request, "contacted_on", errors, "The date of the contact")
        next_due = date_from_parts(request, "next_due", errors, "The next contact date")
        if not errors:
            contact = submitted(
                errors,
                lambda: services.followup_record_contact(
                    user=request.user,
                    followup=followup,
                    contacted_on=contacted_on or timezone.localdate(),
                    with_whom=text(request, "with_whom"),
                    findings=text(request, "findings"),
                    trigger_met=request.POST.get("trigger_met") == "yes",
                    next_due=next_due,
                ),
            )
            if contact is not None:
                return redirect("followups:detail", followup_id=followup.pk)
    context = {
        **_detail_context(request, followup),
        "errors": errors,
        "values": request.POST,
    }
    return render(
        request, "followups/followup_contact.html", context, status=400 if errors else 200
    )


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def followup_stop(request: HttpRequest, followup_id: int) -> HttpResponse:
    followup = _or_404(selectors.followup_get_for_user, user=request.user, followup_id=followup_id)
    errors = FormErrors()
    if request.method == "POST":
        stopped = submitted(
            errors,
            lambda: services.followup_stop(
                user=request.user, followup=followup, reason=text(request, "reason")
            ),
        )
        if stopped is not None:
            return redirect("followups:detail", followup_id=followup.pk)
    context = {**_detail_context(request, followup), "errors": errors, "values": request.POST}
    return render(request, "followups/followup_stop.html", context, status=400 if errors else 200)


@access(SIGNED_IN)
@require_safe
@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    """The agency's follow-ups due within a week and overdue, overdue first; the user's
    own reminders and how many of theirs are overdue."""
    today = timezone.localdate()
    show_all = request.GET.get("show") == "all"
    due_within = None if show_all else selectors.DUE_SOON_DAYS
    page = page_of(
        request,
        selectors.followups_for_user(user=request.user, today=today, due_within=due_within),
    )
    followups = list(page.object_list)
    audit_append(
        actor=request.user,
        verb="followup.list",
        request=request,
        details={"shown": len(followups), "count": page.paginator.count, "page": page.number},
    )
    context = {
        "followups": followups,
        "page": page,
        "today": today,
        "show_all": show_all,
        "due_soon_days": selectors.DUE_SOON_DAYS,
        # Of the whole list, not of this page: the overdue may run on past it.
        "overdue_count": selectors.followups_for_user(
            user=request.user, today=today, overdue=True, due_within=due_within
        ).count(),
        "my_overdue": selectors.followups_overdue_count_for_owner(user=request.user, today=today),
        # The reminders turn their own pages, so that reading them keeps the follow-ups
        # where they were.
        "reminders": page_of(
            request, selectors.reminders_for_owner(user=request.user), "reminders_page"
        ),
    }
    return render(request, "followups/followup_list.html", context)


# --- Meetings ------------------------------------------------------------------------


def _relatives(person: Person) -> list[Person]:
    """The person's family in the same agency's records: those a meeting often discusses
    together (003 case example 5 discusses families)."""
    links = Relationship.objects.filter(person=person).select_related("relative")
    return [
        link.relative
        for link in links
        if link.relative.agency_id == person.agency_id and link.relative.pk != person.pk
    ]


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def meeting_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _or_404(person_get_for_user, user=request.user, person_id=person_id)
    relatives = _relatives(person)
    errors = FormErrors()
    if request.method == "POST":
        held_on = date_from_parts(request, "held_on", errors, "The date of the meeting")
        chosen = set(request.POST.getlist("also_discussed"))
        people = [person, *[r for r in relatives if str(r.pk) in chosen]]
        if not errors:
            meeting = submitted(
                errors,
                lambda: services.meeting_record(
                    user=request.user,
                    kind=text(request, "kind"),
                    held_on=held_on,
                    chair=text(request, "chair"),
                    people=people,
                ),
            )
            if meeting is not None:
                return redirect("followups:meeting_detail", meeting_id=meeting.pk)
    context = {
        "person": person,
        "relatives": relatives,
        "errors": errors,
        "values": request.POST,
        "kind_choices": MeetingKind.choices,
    }
    return render(request, "followups/meeting_new.html", context, status=400 if errors else 200)


def _meeting_context(
    request: HttpRequest, meeting: Meeting, errors: FormErrors | None = None
) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "people": list(meeting.people.all()),
        "attendees": list(meeting.attendees.all()),
        "contributions": list(meeting.contributions.all()),
        "actions": list(meeting.actions.all()),
        "agencies": selectors.agencies_all(),
        "kind_choices": ItemKind.choices,
        "errors": errors or FormErrors(),
        "values": request.POST,
    }


@access(AGENCY_READ)
@require_safe
@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _or_404(selectors.meeting_get_for_user, user=request.user, meeting_id=meeting_id)
    audit_append(
        actor=request.user,
        verb="meeting.view",
        obj=meeting,
        agency=meeting.agency,
        request=request,
    )
    return render(request, "followups/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_write(request: HttpRequest, meeting: Meeting, errors: FormErrors) -> HttpResponse:
    if not errors:
        return redirect("followups:meeting_detail", meeting_id=meeting.pk)
    # Read again through the selector, so the page shows what is now recorded.
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting.pk)
    return render(
        request,
        "followups/meeting_detail.html",
        _meeting_context(request, meeting, errors),
        status=400,
    )


def _person_of_meeting(request: HttpRequest, meeting: Meeting, errors: FormErrors) -> Any:
    chosen = text(request, "person")
    if not chosen:
        return None
    found = next((p for p in meeting.people.all() if str(p.pk) == chosen), None)
    if found is None:
        errors.add("person", "Choose one of the people discussed at the meeting")
    return found


@access(AGENCY_DECIDE)
@require_POST
@login_required
def meeting_attendee_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _or_404(selectors.meeting_get_for_user, user=request.user, meeting_id=meeting_id)
    errors = FormErrors()
    agency_id = text(request, "agency")
    agency = next((a for a in selectors.agencies_all() if str(a.pk) == agency_id), None)
    submitted(
        errors,
        lambda: services.meeting_attendee_add(
            user=request.user,
            meeting=meeting,
            attendee=services.AttendeeEntry(
                name=text(request, "name"),
                role=text(request, "role"),
                agency=agency,
                agency_name=text(request, "agency_name"),
            ),
        ),
    )
    return _meeting_write(request, meeting, errors)


@access(AGENCY_DECIDE)
@require_POST
@login_required
def meeting_contribution_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _or_404(selectors.meeting_get_for_user, user=request.user, meeting_id=meeting_id)
    errors = FormErrors()
    chosen = text(request, "attendee")
    attendee = next((a for a in meeting.attendees.all() if str(a.pk) == chosen), None)
    person = _person_of_meeting(request, meeting, errors)
    if attendee is None:
        errors.add("attendee", "Choose who shared it")
    if not errors:
        assert attendee is not None
        submitted(
            errors,
            lambda: services.meeting_contribution_add(
                user=request.user,
                meeting=meeting,
                attendee=attendee,
                contribution=services.ContributionEntry(
                    attendee=0,
                    text=text(request, "text"),
                    kind=text(request, "kind"),
                    person=person,
                ),
            ),
        )
    return _meeting_write(request, meeting, errors)


@access(AGENCY_DECIDE)
@require_POST
@login_required
def meeting_action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _or_404(selectors.meeting_get_for_user, user=request.user, meeting_id=meeting_id)
    errors = FormErrors()
    person = _person_of_meeting(request, meeting, errors)
    if person is None:
        errors.add("person", "Choose who the action is about")
    due_on = date_from_parts(request, "due_on", errors, "The date the action is due")
    if not errors:
        assert person is not None
        submitted(
            errors,
            lambda: services.meeting_action_agree(
                user=request.user,
                meeting=meeting,
                action=services.ActionEntry(
                    person=person,
                    action=text(request, "action"),
                    owner_name=text(request, "owner_name"),
                    due_on=due_on,
                ),
            ),
        )
    return _meeting_write(request, meeting, errors)


@access(AGENCY_DECIDE)
@require_http_methods(["GET", "POST"])
@login_required
def meeting_action_followup(request: HttpRequest, meeting_id: int, action_id: int) -> HttpResponse:
    """Turn an action agreed at a meeting into a follow-up with an owner in the agency."""
    action = _or_404(
        selectors.meeting_action_get_for_user,
        user=request.user,
        meeting_id=meeting_id,
        action_id=action_id,
    )
    errors = FormErrors()
    if request.method == "POST":
        _, interval = _interval(request, errors)
        first_due = date_from_parts(request, "first_due", errors, "The first follow-up date")
        owner = _owner(request, action.meeting.agency_id, errors)
        if not errors:
            followup = submitted(
                errors,
                lambda: services.followup_agree(
                    user=request.user,
                    meeting_action=action,
                    owner=owner,
                    interval_days=interval,
                    first_due=first_due,
                    agencies_involved=lines(request, "agencies_involved"),
                    trigger=text(request, "trigger"),
                ),
            )
            if followup is not None:
                return redirect("followups:detail", followup_id=followup.pk)
    values: Any = request.POST if request.method == "POST" else {"how_often": "once"}
    context = {
        "action": action,
        "meeting": action.meeting,
        "person": action.person,
        "errors": errors,
        "values": values,
        "interval_choices": INTERVAL_CHOICES,
        "owners": selectors.owners_for_agency(agency_id=action.meeting.agency_id),
        "agreed_on": action.meeting.held_on,
        "suggested_due": action.due_on,
    }
    return render(
        request, "followups/meeting_action_followup.html", context, status=400 if errors else 200
    )


@access(SIGNED_IN)
@require_safe
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.meetings_for_user(user=request.user))
    meetings = list(page.object_list)
    audit_append(
        actor=request.user,
        verb="meeting.list",
        request=request,
        details={"shown": len(meetings), "count": page.paginator.count, "page": page.number},
    )
    return render(request, "followups/meeting_list.html", {"meetings": meetings, "page": page})
