"""Writes of requests for information: send, record, match, answer with a decision,
respond, reply, close.

One function per write, used alike by the web pages and the JSON API. Each checks which
side of the request the user is on (the agency asked, or the agency asking) and their role,
and appends to the audit log in the same transaction. Nothing is overwritten: a response
and a reply are new rows, and a status change carries its time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.models import Agency, AgencyKind
from sharewise.agencies.selectors import agency_ids_for_user, require_recording_role
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.models import Decision
from sharewise.decisions.models import Status as DecisionStatus
from sharewise.decisions.services import decision_start
from sharewise.people.identifiers import nhs_number_clean, upn_clean
from sharewise.people.models import Person

from .models import (
    FINISHED_STATUSES,
    RECORDED_CHANNELS,
    Channel,
    InformationRequest,
    RequestReply,
    RequestResponse,
    ResponseOutcome,
    SafeguardingPartner,
    Status,
    Urgency,
)
from .selectors import (
    NOT_FOUND,
    request_is_receiver,
    request_require_receiver,
    request_require_replier,
    response_outcome_for_decision,
)

# The safeguarding partner an agency of each kind is, where its kind says (Children Act
# 2004 section 16E): a request it marks statutory is then made as that partner.
PARTNER_BY_KIND = {
    AgencyKind.POLICE: SafeguardingPartner.POLICE,
    AgencyKind.CHILDRENS_SOCIAL_CARE: SafeguardingPartner.LOCAL_AUTHORITY,
    AgencyKind.ADULT_SOCIAL_CARE: SafeguardingPartner.LOCAL_AUTHORITY,
}


def _require_member(user: Any, agency: Agency) -> None:
    if agency.pk not in agency_ids_for_user(user=user):
        raise NotFound("You are not a member of that agency")
    require_recording_role(user=user, agency_id=agency.pk)


def _due_on(urgency: str, received: dt.datetime, due_on: dt.date | None) -> dt.date | None:
    # An urgent request is due the day it arrives or the next; a routine one when the
    # requester said, if they did (004 "Timely").
    day = timezone.localdate(received)
    if urgency == Urgency.IMMEDIATE:
        return day
    if urgency == Urgency.WITHIN_24_HOURS:
        return day + dt.timedelta(days=1)
    return due_on


def _received_at(value: dt.datetime | None, field: str) -> dt.datetime:
    when = value or timezone.now()
    if when > timezone.now():
        raise ServiceError("The date it arrived cannot be in the future", field=field)
    return when


@dataclass(frozen=True)
class RequestDetails:
    """What a request for information says, however it arrived (the ICO request form's
    fields): who it is about, what is asked for, the purpose, why it is necessary, the lawful
    basis (004 golden rule 4), how urgent, and whether it is a statutory request from a
    safeguarding partner (Children Act 2004 sections 16E and 16H). Sending one and recording
    one received take the same, so the web, the API and the tests build it once."""

    requester_role: str
    subject_name: str
    information_requested: str
    purpose: str
    necessity: str
    lawful_basis: str = ""
    urgency: str = Urgency.ROUTINE
    due_on: dt.date | None = None
    subject_date_of_birth: dt.date | None = None
    subject_address: str = ""
    subject_nhs_number: str = ""
    subject_upn: str = ""
    statutory: bool = False
    safeguarding_partner: str = ""


def _request_fields(
    details: RequestDetails, *, requester_name: str, received_at: dt.datetime
) -> dict[str, Any]:
    """The checked fields of a request, sent or recorded: the ICO request form's."""
    d = details
    required = (
        (requester_name, "requester_name", "Enter the name of the person asking"),
        (d.requester_role, "requester_role", "Enter the requester's role"),
        (d.subject_name, "subject_name", "Enter the name of the person the request is about"),
        (d.information_requested, "information_requested", "Say what information is asked for"),
        # 003 3.3: sharing needs a clear and legitimate purpose; the request must say it.
        (d.purpose, "purpose", "Say what the information is needed for"),
        # 004 "Safeguarding partners": a request should be necessary and proportionate, and
        # say why the information is needed.
        (d.necessity, "necessity", "Say why the information is necessary for that purpose"),
    )
    for value, field, message in required:
        if not value.strip():
            raise ServiceError(message, field=field)
    if d.urgency not in Urgency.values:
        raise ServiceError("Say how urgent the request is", field="urgency")
    if d.subject_date_of_birth and d.subject_date_of_birth > timezone.localdate():
        raise ServiceError("The date of birth must be in the past", field="subject_date_of_birth")
    if d.due_on and d.due_on < timezone.localdate(received_at):
        raise ServiceError("The date it is needed by cannot be before it arrived", field="due_on")
    if d.safeguarding_partner and d.safeguarding_partner not in SafeguardingPartner.values:
        raise ServiceError("Select a safeguarding partner", field="safeguarding_partner")
    if d.statutory and not d.safeguarding_partner:
        raise ServiceError(
            "A statutory request comes from a safeguarding partner: say which (Children Act "
            "2004 section 16E)",
            field="safeguarding_partner",
        )
    try:
        nhs = nhs_number_clean(d.subject_nhs_number) if d.subject_nhs_number.strip() else ""
        upn = upn_clean(d.subject_upn) if d.subject_upn.strip() else ""
    except ServiceError as exc:
        exc.field = f"subject_{exc.field}"
        raise
    return {
        "requester_name": requester_name.strip(),
        "requester_role": d.requester_role.strip(),
        "subject_name": d.subject_name.strip(),
        "subject_date_of_birth": d.subject_date_of_birth,
        "subject_address": d.subject_address.strip(),
        "subject_nhs_number": nhs,
        "subject_upn": upn,
        "information_requested": d.information_requested.strip(),
        "purpose": d.purpose.strip(),
        "necessity": d.necessity.strip(),
        "lawful_basis": d.lawful_basis.strip(),
        "urgency": d.urgency,
        "due_on": _due_on(d.urgency, received_at, d.due_on),
        "statutory": d.statutory,
        "safeguarding_partner": d.safeguarding_partner if d.statutory else "",
        "received_at": received_at,
        "status_changed_at": received_at,
    }


@transaction.atomic
def request_send(
    *, user: Any, from_agency: Agency, to_agency: Agency, details: RequestDetails
) -> InformationRequest:
    """Send a request to another agency through Sharewise, as a member of `from_agency`."""
    _require_member(user, from_agency)
    if to_agency.pk == from_agency.pk:
        raise ServiceError(
            "Choose another agency: a request goes to an agency other than your own",
            field="to_agency",
        )
    # 004 golden rule 4: when requesting personal information, be clear of the basis on
    # which you are doing so.
    if not details.lawful_basis.strip():
        raise ServiceError("Say the lawful basis you rely on for the request", field="lawful_basis")
    if details.statutory and not details.safeguarding_partner:
        # A safeguarding partner's own kind says which partner it is.
        partner = PARTNER_BY_KIND.get(AgencyKind(from_agency.kind), "")
        details = replace(details, safeguarding_partner=partner)
    fields = _request_fields(
        details,
        requester_name=user.get_full_name() or user.get_username(),
        received_at=timezone.now(),
    )
    info_request = InformationRequest.objects.create(
        to_agency=to_agency,
        from_agency=from_agency,
        channel=Channel.SHAREWISE,
        requester_agency_name=from_agency.name,
        requested_by=user,
        recorded_by=user,
        **fields,
    )
    audit_append(
        actor=user,
        verb="request.send",
        obj=info_request,
        agency=from_agency,
        details={"to_agency": to_agency.pk, "statutory": details.statutory},
    )
    return info_request


@transaction.atomic
def request_record(
    *,
    user: Any,
    agency: Agency,
    channel: str,
    requester_name: str,
    requester_agency_name: str,
    details: RequestDetails,
    received_at: dt.datetime | None = None,
) -> InformationRequest:
    """Record a request `agency` received by phone, letter, e-mail or at a meeting."""
    _require_member(user, agency)
    if channel not in RECORDED_CHANNELS:
        raise ServiceError(
            "Say how the request arrived: by phone, letter, secure e-mail or at a meeting",
            field="channel",
        )
    if not requester_agency_name.strip():
        raise ServiceError("Enter the requester's agency", field="requester_agency_name")
    fields = _request_fields(
        details,
        requester_name=requester_name,
        received_at=_received_at(received_at, "received_at"),
    )
    info_request = InformationRequest.objects.create(
        to_agency=agency,
        channel=channel,
        requester_agency_name=requester_agency_name.strip(),
        recorded_by=user,
        **fields,
    )
    audit_append(
        actor=user,
        verb="request.record",
        obj=info_request,
        agency=agency,
        details={"channel": channel, "statutory": details.statutory},
    )
    return info_request


def _locked(info_request: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().get(pk=info_request.pk)


def _require_answerer(user: Any, info_request: InformationRequest) -> None:
    request_require_receiver(user=user, info_request=info_request)
    require_recording_role(user=user, agency_id=info_request.to_agency_id)


def _require_open(info_request: InformationRequest) -> None:
    if info_request.status in FINISHED_STATUSES:
        raise ServiceError(
            f"This request is {info_request.get_status_display().lower()}: nothing more can "
            "be done with it",
            field="status",
        )


def _move(info_request: InformationRequest, status: str) -> None:
    info_request.status = status
    info_request.status_changed_at = timezone.now()


@transaction.atomic
def request_match(
    *, user: Any, info_request: InformationRequest, person: Person | None
) -> InformationRequest:
    """Match the request to the person in the receiving agency's records it is about. The
    match is the receiving agency's record: the requester never sees it (003 3.15)."""
    info_request = _locked(info_request)
    _require_answerer(user, info_request)
    _require_open(info_request)
    if person is None:
        raise ServiceError("Select the person the request is about", field="person_id")
    if person.agency_id != info_request.to_agency_id:
        raise NotFound("There is no such person in your agency's records", field="person_id")
    if info_request.status == Status.IN_PROGRESS and info_request.person_id != person.pk:
        raise ServiceError(
            "A decision about the person matched is under way: finish it and respond before "
            "matching the request to someone else",
            field="person_id",
        )
    previous = info_request.person_id
    info_request.person = person
    info_request.save(update_fields=["person"])
    audit_append(
        actor=user,
        verb="request.match",
        obj=info_request,
        agency=info_request.to_agency,
        details={"previous_person": previous},
    )
    return info_request


def _require_can_decide(info_request: InformationRequest) -> None:
    _require_open(info_request)
    if info_request.person_id is None:
        raise ServiceError(
            "Match the request to a person in your records before deciding", field="person_id"
        )
    if info_request.status == Status.IN_PROGRESS:
        raise ServiceError(
            "A decision answering this request is already under way: continue it",
            field="decision",
        )


def _recipient(info_request: InformationRequest) -> str:
    return f"{info_request.requester_name}, {info_request.requester_role}, {info_request.requester_agency_name}"


@transaction.atomic
def request_decision_start(
    *, user: Any, info_request: InformationRequest, pack_id: str | None = None
) -> Decision:
    """Start the decision that answers the request, filled in from it: the purpose, the
    requesting agency as recipient, and what is asked for as the information (003 3.3)."""
    info_request = _locked(info_request)
    _require_answerer(user, info_request)
    _require_can_decide(info_request)
    assert info_request.person is not None
    information = [
        line.strip() for line in info_request.information_requested.splitlines() if line.strip()
    ]
    decision = decision_start(
        user=user,
        person=info_request.person,
        purpose=info_request.purpose,
        recipient=_recipient(info_request),
        information=information,
        pack_id=pack_id,
    )
    info_request.decision = decision
    _move(info_request, Status.IN_PROGRESS)
    info_request.save(update_fields=["decision", "status", "status_changed_at"])
    audit_append(
        actor=user,
        verb="request.decision",
        obj=info_request,
        agency=info_request.to_agency,
        details={"decision": decision.pk, "started": True},
    )
    return decision


@transaction.atomic
def request_decision_link(
    *, user: Any, info_request: InformationRequest, decision: Decision
) -> InformationRequest:
    """Answer the request with a decision already made about the matched person."""
    info_request = _locked(info_request)
    _require_answerer(user, info_request)
    _require_can_decide(info_request)
    if decision.agency_id != info_request.to_agency_id:
        raise NotFound("There is no such decision in your agency's records", field="decision_id")
    if decision.person_id != info_request.person_id:
        raise ServiceError(
            "That decision is about someone else than the person the request was matched to",
            field="decision_id",
        )
    info_request.decision = decision
    _move(info_request, Status.IN_PROGRESS)
    info_request.save(update_fields=["decision", "status", "status_changed_at"])
    audit_append(
        actor=user,
        verb="request.decision",
        obj=info_request,
        agency=info_request.to_agency,
        details={"decision": decision.pk, "started": False},
    )
    return info_request


# Which outcomes a response may report for the outcome of the decision behind it: the
# requester is told what was decided, never more.
OUTCOMES_ALLOWED = {
    ResponseOutcome.SHARED: (ResponseOutcome.SHARED, ResponseOutcome.SHARED_IN_PART),
    ResponseOutcome.NOT_SHARED: (ResponseOutcome.NOT_SHARED,),
    ResponseOutcome.NOT_YET: (ResponseOutcome.NOT_YET,),
}


@transaction.atomic
def request_respond(
    *,
    user: Any,
    info_request: InformationRequest,
    outcome: str,
    reasons: str,
    told_via: str = "",
    told_at: dt.datetime | None = None,
) -> RequestResponse:
    """Tell the requester the outcome of the signed decision and the reasons, a decision not
    to share included (004 "Record": record the reasons for not sharing and discuss them
    with the requester; 003 3.51).

    A request sent through Sharewise is answered through Sharewise: the requester's agency
    sees the response on the request's page. For a recorded request, say how and when the
    requester was told."""
    info_request = _locked(info_request)
    _require_answerer(user, info_request)
    _require_open(info_request)
    decision = info_request.decision
    if decision is None or info_request.status != Status.IN_PROGRESS:
        raise ServiceError(
            "Answer the request with a decision before telling the requester the outcome",
            field="decision",
        )
    if decision.status != DecisionStatus.SIGNED:
        raise ServiceError(
            "Sign the decision before telling the requester the outcome", field="decision"
        )
    if outcome not in ResponseOutcome.values:
        raise ServiceError("Select the outcome the requester is told", field="outcome")
    decided = response_outcome_for_decision(decision)
    if outcome not in OUTCOMES_ALLOWED[ResponseOutcome(decided)]:
        raise ServiceError(
            f"The decision's outcome is: {ResponseOutcome(decided).label.lower()}. Tell the "
            "requester what was decided.",
            field="outcome",
        )
    if not reasons.strip():
        raise ServiceError("Enter the reasons the requester is told", field="reasons")
    if info_request.through_sharewise:
        told_via, when = Channel.SHAREWISE, timezone.now()
    else:
        if told_via not in RECORDED_CHANNELS:
            raise ServiceError(
                "Say how the requester was told: by phone, letter, secure e-mail or at a meeting",
                field="told_via",
            )
        if told_at is None:
            raise ServiceError("Enter when the requester was told", field="told_at")
        when = _received_at(told_at, "told_at")
    response = RequestResponse.objects.create(
        info_request=info_request,
        decision=decision,
        outcome=outcome,
        reasons=reasons.strip(),
        told_via=told_via,
        told_at=when,
        responded_by=user,
    )
    _move(info_request, Status.ANSWERED)
    info_request.save(update_fields=["status", "status_changed_at"])
    audit_append(
        actor=user,
        verb="request.respond",
        obj=info_request,
        agency=info_request.to_agency,
        details={"response": response.pk, "outcome": outcome, "decision": decision.pk},
    )
    return response


@transaction.atomic
def request_reply(
    *,
    user: Any,
    info_request: InformationRequest,
    information: str,
    channel: str = "",
    received_at: dt.datetime | None = None,
) -> RequestReply:
    """The requester comes back with new information. An answered request is reopened, so
    that a new decision can be made with it; the earlier responses and decisions are kept.

    For a request sent through Sharewise the requester replies themself; for one recorded
    from a phone call or letter, the receiving agency records the reply and how it came."""
    info_request = _locked(info_request)
    request_require_replier(user=user, info_request=info_request)
    side = info_request.from_agency_id if info_request.through_sharewise else None
    require_recording_role(user=user, agency_id=side or info_request.to_agency_id)
    _require_open(info_request)
    if not information.strip():
        raise ServiceError("Enter the new information", field="information")
    if info_request.through_sharewise:
        channel, when = Channel.SHAREWISE, timezone.now()
    else:
        if channel not in RECORDED_CHANNELS:
            raise ServiceError(
                "Say how the reply came: by phone, letter, secure e-mail or at a meeting",
                field="channel",
            )
        when = _received_at(received_at, "received_at")
    reply = RequestReply.objects.create(
        info_request=info_request,
        information=information.strip(),
        channel=channel,
        received_at=when,
        recorded_by=user,
    )
    if info_request.status == Status.ANSWERED:
        _move(info_request, Status.REOPENED)
        info_request.save(update_fields=["status", "status_changed_at"])
    audit_append(
        actor=user,
        verb="request.reply",
        obj=info_request,
        agency=info_request.from_agency or info_request.to_agency,
        details={"reply": reply.pk, "status": info_request.status},
    )
    return reply


@transaction.atomic
def request_close(
    *, user: Any, info_request: InformationRequest, reason: str
) -> InformationRequest:
    """Close a request: the receiving agency closes it (no record of the person, answered
    and done), the requester withdraws it. Either way the reason is kept."""
    info_request = _locked(info_request)
    receiver = request_is_receiver(user=user, info_request=info_request)
    agency_id = info_request.to_agency_id if receiver else info_request.from_agency_id
    if agency_id is None or agency_id not in agency_ids_for_user(user=user):
        raise NotFound(NOT_FOUND)
    require_recording_role(user=user, agency_id=agency_id)
    _require_open(info_request)
    if not reason.strip():
        raise ServiceError(
            "Say why the request is closed" if receiver else "Say why you withdraw the request",
            field="reason",
        )
    if receiver and info_request.status == Status.IN_PROGRESS:
        raise ServiceError(
            "Respond to the requester with the decision's outcome before closing the request",
            field="status",
        )
    _move(info_request, Status.CLOSED if receiver else Status.WITHDRAWN)
    info_request.closed_reason = reason.strip()
    info_request.save(update_fields=["status", "status_changed_at", "closed_reason"])
    audit_append(
        actor=user,
        verb="request.close" if receiver else "request.withdraw",
        obj=info_request,
        agency=info_request.to_agency if receiver else info_request.from_agency,
    )
    return info_request
