"""Advice without naming the person, over the API: draft a request (the answer is the
redacted preview), change it, send it, list, read, answer, record the outcome, copy the
advice into the decision (golden rule 3; 003 3.45).

Each handler calls the service the web pages call (`sharewise.advice.services`). A lead
reading a request gets the redacted text only: `person_id`, `decision_id`, the draft's
words and the added terms are null or empty for anyone but the practitioner who asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, P, QueryEx, Router, Schema, Status

from sharewise.advice import services
from sharewise.advice.models import AdviceRequest
from sharewise.advice.selectors import (
    advice_request_get_for_user,
    advice_requests_asked_by,
    advice_requests_to_answer,
    viewer_asked,
)
from sharewise.audit.services import audit_append
from sharewise.common import ServiceError
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import (
    API_ADVICE_ASKER,
    API_ADVICE_LEAD,
    API_ADVICE_READ,
    API_AGENCY_DECIDE,
    API_ANY_TOKEN,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import StrictInput
from .shared import MAX_LIST_LIMIT, MAX_OFFSET, WRITE_ERRORS

router = Router(tags=["Advice"])


class AdviceCreateIn(StrictInput):
    text: str = Field(description="What the practitioner wants advice about, in their words")
    decision_id: int | None = Field(
        None, description="The decision (draft or signed) the advice is about, if any"
    )
    person_id: int | None = Field(
        None, description="The person it is about, when there is no decision yet"
    )
    extra_terms: list[str] = Field(
        default_factory=list,
        description="Further words to take out that the records do not hold",
    )


class AdviceReviewIn(StrictInput):
    text: str | None = Field(None, description="New words for the draft; left out, unchanged")
    extra_terms: list[str] | None = Field(
        None, description="The whole list of added terms; left out, unchanged"
    )


class AdviceSendIn(StrictInput):
    reviewed_text: str = Field(
        description="The redacted text the practitioner checked (`redacted_text` of the "
        "draft). If the redaction run again now differs, nothing is sent (400)."
    )


class AdviceAnswerIn(StrictInput):
    answer: str = Field(description="The safeguarding lead's advice")


class AdviceOutcomeIn(StrictInput):
    outcome: str = Field(description="followed, partly or not_followed")
    reason: str = Field("", description="Why, when the advice was not followed in full")


class AdviceOut(Schema):
    id: int
    status: str = Field(description="draft, sent, answered or closed")
    redacted_text: str = Field(
        description="A draft's preview, or what was sent: the only text a lead sees"
    )
    replaced_kinds: dict[str, int] = Field(
        description="How many identifiers of each kind were taken out"
    )
    draft_text: str = Field(
        description="The practitioner's own words: only for them, only while a draft"
    )
    extra_terms: list[str] = Field(description="Added terms: only for them, only while a draft")
    person_id: int | None = Field(description="Only for the practitioner who asked")
    decision_id: int | None = Field(description="Only for the practitioner who asked")
    asked_by: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    answer: str
    answered_by: str | None
    answered_as: str
    answered_at: dt.datetime | None
    outcome: str
    outcome_reason: str
    outcome_at: dt.datetime | None
    copied_to_decision_at: dt.datetime | None


class AdviceListOut(Schema):
    asked: list[AdviceOut] = Field(
        description="The requests the token's user asked: this page of them"
    )
    asked_count: int = Field(description="How many requests the user asked, in all")
    to_answer: list[AdviceOut] = Field(
        description="Sent requests to the agencies where the user is a lead or auditor: "
        "this page of them"
    )
    to_answer_count: int = Field(description="How many such requests there are, in all")


def _out(user: Any, advice_request: AdviceRequest) -> dict[str, Any]:
    asked = viewer_asked(user=user, advice_request=advice_request)
    lead = advice_request.answered_by
    return {
        "id": advice_request.pk,
        "status": advice_request.status,
        "redacted_text": advice_request.redacted_text,
        "replaced_kinds": advice_request.replaced_kinds,
        "draft_text": advice_request.draft_text if asked else "",
        "extra_terms": list(advice_request.extra_terms) if asked else [],
        "person_id": advice_request.person_id if asked else None,
        "decision_id": advice_request.decision_id if asked else None,
        "asked_by": advice_request.asked_by.get_username(),
        "created_at": advice_request.created_at,
        "sent_at": advice_request.sent_at,
        "answer": advice_request.answer,
        "answered_by": lead.get_username() if lead is not None else None,
        "answered_as": advice_request.answered_as,
        "answered_at": advice_request.answered_at,
        "outcome": advice_request.outcome,
        "outcome_reason": advice_request.outcome_reason,
        "outcome_at": advice_request.outcome_at,
        "copied_to_decision_at": advice_request.copied_to_decision_at,
    }


@router.post(
    "/advice",
    response={201: AdviceOut, **WRITE_ERRORS},
    summary="Draft an advice request and see it redacted",
    description=(
        "The names, aliases, dates of birth, NHS numbers, UPNs, addresses and postcodes "
        "held about the person and everyone related to them, the terms added, and what "
        "the pattern recognisers find (phone numbers, emails, other dates and names) are "
        "replaced by labels such as [NAME 1]. Nothing is sent: check `redacted_text`, "
        "change the draft if needed, then send it."
    ),
)
@access(API_AGENCY_DECIDE)
def api_advice_create(request: HttpRequest, payload: AdviceCreateIn) -> Any:
    user = token_user(request)
    decision = person = None
    try:
        if payload.decision_id is not None:
            decision = decision_get_for_user(user=user, decision_id=payload.decision_id)
        if payload.person_id is not None:
            person = person_get_for_user(user=user, person_id=payload.person_id)
    except ServiceError as exc:
        exc.field = "decision_id" if payload.decision_id is not None else "person_id"
        raise
    created = services.advice_request_create(
        user=user,
        text=payload.text,
        decision=decision,
        person=person,
        extra_terms=payload.extra_terms,
    )
    return Status(201, _out(user, created))


@router.get(
    "/advice",
    response={200: AdviceListOut, 401: ErrorOut, 422: ErrorOut},
    summary="Advice requests: those you asked, and those to your agency's leads",
    description=(
        "Both lists are paginated by the same `limit` and `offset`: each holds at most "
        "`limit` requests, from the `offset`-th on, and `asked_count` and `to_answer_count` "
        "say how many there are in all. Page on (offset + limit) until the offset reaches "
        "the larger count; a list already ended is empty. The default `limit` is "
        f"{MAX_LIST_LIMIT}, the most each list held before the counts were added, so a "
        "client that sends neither gets the same lists as it did, and now the counts that "
        "show whether there are more."
    ),
)
@access(API_ANY_TOKEN)
def api_advice_list(
    request: HttpRequest,
    # The default is the largest, unlike /people's 50: the lists kept their shape, so a
    # client written before the counts would not notice getting fewer than it used to.
    limit: QueryEx[
        int,
        P(
            ge=1,
            le=MAX_LIST_LIMIT,
            description=f"How many of each list to return (1 to {MAX_LIST_LIMIT})",
        ),
    ] = MAX_LIST_LIMIT,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET, description="How many of each list to skip")] = 0,
) -> Any:
    user = token_user(request)
    asked = advice_requests_asked_by(user=user)
    to_answer = advice_requests_to_answer(user=user)
    return {
        "asked": [_out(user, a) for a in asked[offset : offset + limit]],
        "asked_count": asked.count(),
        "to_answer": [_out(user, a) for a in to_answer[offset : offset + limit]],
        "to_answer_count": to_answer.count(),
    }


@router.get(
    "/advice/{advice_id}",
    response={200: AdviceOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One advice request",
)
@access(API_ADVICE_READ)
def api_advice_detail(request: HttpRequest, advice_id: int) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    audit_append(actor=user, verb="api.read", obj=advice_request, request=request)
    return _out(user, advice_request)


@router.post(
    "/advice/{advice_id}/review",
    response={200: AdviceOut, **WRITE_ERRORS},
    summary="Change a draft's words or added terms and redact again",
)
@access(API_ADVICE_ASKER)
def api_advice_review(request: HttpRequest, advice_id: int, payload: AdviceReviewIn) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    changed = services.advice_request_review(
        user=user,
        advice_request=advice_request,
        text=payload.text,
        extra_terms=payload.extra_terms,
    )
    return _out(user, changed)


@router.post(
    "/advice/{advice_id}/send",
    response={200: AdviceOut, **WRITE_ERRORS},
    summary="Send a checked draft to the agency's safeguarding leads",
    description=(
        "The practitioner's words and added terms are erased; only the redacted text and "
        "the count of what was taken out are kept."
    ),
)
@access(API_ADVICE_ASKER)
def api_advice_send(request: HttpRequest, advice_id: int, payload: AdviceSendIn) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    sent = services.advice_request_send(
        user=user, advice_request=advice_request, reviewed_text=payload.reviewed_text
    )
    return _out(user, sent)


@router.post(
    "/advice/{advice_id}/answer",
    response={200: AdviceOut, **WRITE_ERRORS},
    summary="Give advice (a safeguarding lead of the agency, once)",
)
@access(API_ADVICE_LEAD)
def api_advice_answer(request: HttpRequest, advice_id: int, payload: AdviceAnswerIn) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    answered = services.advice_request_answer(
        user=user, advice_request=advice_request, answer=payload.answer
    )
    return _out(user, answered)


@router.post(
    "/advice/{advice_id}/outcome",
    response={200: AdviceOut, **WRITE_ERRORS},
    summary="Record whether the advice was followed, and why not",
)
@access(API_ADVICE_ASKER)
def api_advice_outcome(request: HttpRequest, advice_id: int, payload: AdviceOutcomeIn) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    recorded = services.advice_outcome_record(
        user=user, advice_request=advice_request, outcome=payload.outcome, reason=payload.reason
    )
    return _out(user, recorded)


@router.post(
    "/advice/{advice_id}/copy-to-decision",
    response={200: AdviceOut, **WRITE_ERRORS},
    summary="Copy the advice into the draft decision's advice_from and advice_given",
)
@access(API_ADVICE_ASKER)
def api_advice_copy_to_decision(request: HttpRequest, advice_id: int) -> Any:
    user = token_user(request)
    advice_request = advice_request_get_for_user(user=user, advice_id=advice_id)
    services.advice_request_copy_to_decision(user=user, advice_request=advice_request)
    advice_request.refresh_from_db()
    return _out(user, advice_request)
