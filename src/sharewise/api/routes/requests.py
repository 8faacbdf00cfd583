"""Requests for information over the API: send one to another agency, record one received
by phone or letter, list, read, match to a person, answer with a decision, respond, reply,
close.

Each handler calls the service the web pages call (`sharewise.requests.services`). A
request is seen by the agency asked and the agency asking; to anyone else it is "not
found". The receiving agency's own record of it (the person matched, the decision) is in
the answer only for the receiving agency's members: `person_id` and `decision_id` are null
for the requester (003 3.15).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sharewise.agencies.models import Agency
from sharewise.agencies.selectors import primary_agency_for_user
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.selectors import person_get_for_user
from sharewise.requests import services
from sharewise.requests.models import InformationRequest, Urgency
from sharewise.requests.selectors import (
    request_get_for_user,
    request_is_receiver,
    request_require_receiver,
    requests_for_user,
)
from sharewise.web.access import (
    API_AGENCY_DECIDE,
    API_ANY_TOKEN,
    API_REQUEST_PARTIES,
    API_REQUEST_RECEIVER,
    API_REQUEST_REQUESTER,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import AgencyOut, DecisionOut, StrictInput
from .shared import (
    MAX_LIST_LIMIT,
    REVISED_WRITE_ERRORS,
    LenientDate,
    LenientDateTime,
    ListLimit,
    ListOffset,
)

router = Router(tags=["Requests for information"])


class RequestFieldsIn(StrictInput):
    requester_role: str = Field(description="The requester's role")
    subject_name: str = Field(description="The name of the person the request is about")
    subject_date_of_birth: LenientDate | None = None
    subject_address: str = ""
    subject_nhs_number: str = Field("", description="Checked with its check digit")
    subject_upn: str = Field("", description="Unique Pupil Number")
    information_requested: str = Field(description="What is asked for, one kind a line")
    purpose: str = Field(description="What the information is needed for (003 3.3)")
    necessity: str = Field(description="Why it is necessary for that purpose")
    lawful_basis: str = Field("", description="The lawful basis relied on")
    urgency: str = Field(Urgency.ROUTINE, description="immediate, within_24_hours or routine")
    due_on: LenientDate | None = Field(
        None, description="Needed by (a routine request); an urgent one is due at once"
    )
    statutory: bool = Field(
        False,
        description="A statutory request from a safeguarding partner (Children Act 2004 "
        "section 16H)",
    )
    safeguarding_partner: str = Field(
        "", description="local_authority, police or integrated_care_board (section 16E)"
    )


class RequestSendIn(RequestFieldsIn):
    to_agency_id: int = Field(description="The agency asked")
    from_agency_id: int | None = Field(
        None, description="The agency asking, of those you belong to (default: your first)"
    )


class RequestRecordIn(RequestFieldsIn):
    agency_id: int | None = Field(
        None, description="Your agency, which received it (default: your first)"
    )
    channel: str = Field(description="How it arrived: phone, letter, email or meeting")
    requester_name: str
    requester_agency_name: str
    received_at: LenientDateTime | None = Field(None, description="Default: now")


class MatchIn(StrictInput):
    person_id: int = Field(description="The person in your agency's records it is about")


class DecisionIn(StrictInput):
    pack: str | None = Field(None, description="The pack to decide under (default: the latest)")
    decision_id: int | None = Field(
        None, description="Answer with this decision about the matched person instead"
    )


class RespondIn(StrictInput):
    outcome: str = Field(description="shared, shared_in_part, not_shared or not_yet")
    reasons: str = Field(description="The reasons the requester is told (004 'Record')")
    told_via: str = Field("", description="For a recorded request: phone, letter, email or meeting")
    told_at: LenientDateTime | None = Field(None, description="For a recorded request")


class ReplyIn(StrictInput):
    information: str = Field(description="The new information")
    channel: str = Field("", description="For a recorded request: how the reply came")
    received_at: LenientDateTime | None = Field(None, description="For a recorded request")


class CloseIn(StrictInput):
    reason: str = Field(description="Why the request is closed, or withdrawn")


class ResponseOut(Schema):
    id: int
    outcome: str = Field(description="shared, shared_in_part, not_shared or not_yet")
    reasons: str
    told_via: str
    told_at: dt.datetime


class ReplyOut(Schema):
    id: int
    information: str
    channel: str
    received_at: dt.datetime


class RequestSummaryOut(Schema):
    id: int
    to_agency: AgencyOut
    from_agency: AgencyOut | None = Field(description="Null for a request recorded by phone")
    channel: str
    requester_name: str
    requester_role: str
    requester_agency_name: str
    subject_name: str
    urgency: str
    due_on: dt.date | None
    statutory: bool
    safeguarding_partner: str
    received_at: dt.datetime
    status: str = Field(
        description="received, in_progress, answered, reopened, closed or withdrawn"
    )
    status_changed_at: dt.datetime


class RequestOut(RequestSummaryOut):
    subject_date_of_birth: dt.date | None
    subject_address: str
    subject_nhs_number: str
    subject_upn: str
    information_requested: str
    purpose: str
    necessity: str
    lawful_basis: str
    closed_reason: str
    person_id: int | None = Field(
        description="The person matched in the receiving agency's records; null for the "
        "requester, who never sees it"
    )
    decision_id: int | None = Field(
        description="The decision answering it now; null for the requester"
    )
    responses: list[ResponseOut] = Field(description="What the requester was told, oldest first")
    replies: list[ReplyOut] = Field(description="New information from the requester")


class PagedRequestSummaryOut(Schema):
    items: list[RequestSummaryOut]
    count: int = Field(description="How many requests there are in all, on every page")


def _request_json(user: Any, info_request: InformationRequest) -> dict[str, Any]:
    receiver = request_is_receiver(user=user, info_request=info_request)
    fields = {name: getattr(info_request, name) for name in RequestOut.model_fields}
    fields.update(
        {
            "person_id": info_request.person_id if receiver else None,
            "decision_id": info_request.decision_id if receiver else None,
            "responses": list(info_request.responses.all()),
            "replies": list(info_request.replies.all()),
        }
    )
    return fields


def _agency(user: Any, agency_id: int | None, field: str) -> Agency:
    agency = (
        primary_agency_for_user(user=user)
        if agency_id is None
        else Agency.objects.filter(pk=agency_id).first()
    )
    if agency is None:
        raise NotFound("You are not a member of that agency", field=field)
    return agency


@router.get(
    "/requests",
    response={200: PagedRequestSummaryOut, 401: ErrorOut, 422: ErrorOut},
    summary="Requests your agencies sent or were asked, newest first",
    description=(
        "Paginated with `limit` and `offset`, as `/people` is; `count` is how many there are "
        f"in all. The answer was a bare list of at most {MAX_LIST_LIMIT} before: the "
        "requests are now under `items`."
    ),
)
@access(API_ANY_TOKEN)
def api_info_request_list(
    request: HttpRequest, limit: ListLimit = 50, offset: ListOffset = 0
) -> Any:
    user = token_user(request)
    found = requests_for_user(user=user)
    page = list(found[offset : offset + limit])
    count = found.count()
    audit_append(
        actor=user,
        verb="request.list",
        request=request,
        details={"shown": len(page), "count": count},
    )
    return {"items": page, "count": count}


@router.post(
    "/requests",
    response={201: RequestOut, **REVISED_WRITE_ERRORS},
    summary="Ask another agency for information",
    description=(
        "Say who it is about, what is asked for, the purpose, why it is necessary and the "
        "lawful basis (004 golden rule 4). Mark a statutory request from a safeguarding "
        "partner (Children Act 2004 sections 16E and 16H)."
    ),
)
@access(API_AGENCY_DECIDE)
def api_info_request_send(request: HttpRequest, payload: RequestSendIn) -> Any:
    user = token_user(request)
    fields = payload.model_dump(exclude={"to_agency_id", "from_agency_id"})
    from_agency = _agency(user, payload.from_agency_id, "from_agency_id")
    to_agency = Agency.objects.filter(pk=payload.to_agency_id).first()
    if to_agency is None:
        raise NotFound("There is no such agency", field="to_agency_id")
    try:
        sent = services.request_send(
            user=user,
            from_agency=from_agency,
            to_agency=to_agency,
            details=services.RequestDetails(**fields),
        )
    except ServiceError as exc:
        if exc.field == "to_agency":
            exc.field = "to_agency_id"
        raise
    return Status(201, _request_json(user, sent))


@router.post(
    "/requests/received",
    response={201: RequestOut, **REVISED_WRITE_ERRORS},
    summary="Record a request your agency received by phone, letter, e-mail or at a meeting",
)
@access(API_AGENCY_DECIDE)
def api_info_request_record(request: HttpRequest, payload: RequestRecordIn) -> Any:
    user = token_user(request)
    how = {"channel", "requester_name", "requester_agency_name", "received_at"}
    fields = payload.model_dump(exclude={"agency_id", *how})
    agency = _agency(user, payload.agency_id, "agency_id")
    recorded = services.request_record(
        user=user,
        agency=agency,
        channel=payload.channel,
        requester_name=payload.requester_name,
        requester_agency_name=payload.requester_agency_name,
        received_at=payload.received_at,
        details=services.RequestDetails(**fields),
    )
    return Status(201, _request_json(user, recorded))


@router.get(
    "/requests/{info_request_id}",
    response={200: RequestOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One request for information, with its responses and replies",
)
@access(API_REQUEST_PARTIES)
def api_info_request_detail(request: HttpRequest, info_request_id: int) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    audit_append(
        actor=user,
        verb="api.read",
        obj=info_request,
        agency=info_request.to_agency,
        request=request,
    )
    return _request_json(user, info_request)


@router.post(
    "/requests/{info_request_id}/match",
    response={200: RequestOut, **REVISED_WRITE_ERRORS},
    summary="Match the request to the person in your records it is about",
)
@access(API_REQUEST_RECEIVER)
def api_info_request_match(request: HttpRequest, info_request_id: int, payload: MatchIn) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    # The requester is refused before the person is looked up in the receiver's records.
    request_require_receiver(user=user, info_request=info_request)
    try:
        person = person_get_for_user(user=user, person_id=payload.person_id)
    except ServiceError as exc:
        exc.field = "person_id"
        raise
    matched = services.request_match(user=user, info_request=info_request, person=person)
    return _request_json(user, matched)


@router.post(
    "/requests/{info_request_id}/decision",
    response={201: DecisionOut, **REVISED_WRITE_ERRORS},
    summary="Answer the request with a decision",
    description=(
        "Starts a decision about the matched person filled in from the request: its purpose, "
        "the requester as recipient, what is asked for as the information. With "
        "`decision_id`, answers it with a decision already made about that person instead."
    ),
)
@access(API_REQUEST_RECEIVER)
def api_info_request_decision(
    request: HttpRequest, info_request_id: int, payload: DecisionIn
) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    if payload.decision_id is not None:
        request_require_receiver(user=user, info_request=info_request)
        try:
            decision = decision_get_for_user(user=user, decision_id=payload.decision_id)
        except ServiceError as exc:
            exc.field = "decision_id"
            raise
        services.request_decision_link(user=user, info_request=info_request, decision=decision)
        return Status(201, decision)
    try:
        started = services.request_decision_start(
            user=user, info_request=info_request, pack_id=payload.pack
        )
    except ServiceError as exc:
        if exc.field == "pack_id":
            exc.field = "pack"
        raise
    return Status(201, started)


@router.post(
    "/requests/{info_request_id}/responses",
    response={201: ResponseOut, **REVISED_WRITE_ERRORS},
    summary="Tell the requester the outcome of the signed decision and the reasons",
    description=(
        "A decision not to share is told too, with its reasons (004 'Record'). The outcome "
        "must be the decision's. For a recorded request, say how and when the requester was "
        "told."
    ),
)
@access(API_REQUEST_RECEIVER)
def api_info_request_respond(request: HttpRequest, info_request_id: int, payload: RespondIn) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    response = services.request_respond(
        user=user, info_request=info_request, **payload.model_dump()
    )
    return Status(201, response)


@router.post(
    "/requests/{info_request_id}/replies",
    response={201: ReplyOut, **REVISED_WRITE_ERRORS},
    summary="Reply with new information, which reopens an answered request",
)
@access(API_REQUEST_REQUESTER)
def api_info_request_reply(request: HttpRequest, info_request_id: int, payload: ReplyIn) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    reply = services.request_reply(user=user, info_request=info_request, **payload.model_dump())
    return Status(201, reply)


@router.post(
    "/requests/{info_request_id}/close",
    response={200: RequestOut, **REVISED_WRITE_ERRORS},
    summary="Close the request (the agency asked) or withdraw it (the requester)",
)
@access(API_REQUEST_PARTIES)
def api_info_request_close(request: HttpRequest, info_request_id: int, payload: CloseIn) -> Any:
    user = token_user(request)
    info_request = request_get_for_user(user=user, info_request_id=info_request_id)
    closed = services.request_close(user=user, info_request=info_request, reason=payload.reason)
    return _request_json(user, closed)
