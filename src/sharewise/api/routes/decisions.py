"""Decision records over the API: start, answer, record the details, sign, correct.

Each handler calls the same service the web wizard calls (`sharewise.decisions.services`),
which checks the user's agency and role: a decision of another agency is "not found", and
a role that may only read (an auditor) is refused with 403.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from sharewise.audit.services import audit_append
from sharewise.common import ServiceError
from sharewise.decisions.selectors import decision_for_change, decision_get_for_user
from sharewise.decisions.services import (
    decision_answer,
    decision_correct,
    decision_details_update,
    decision_sign,
    decision_sign_problems,
    decision_start,
)
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import API_AGENCY_DECIDE, API_AGENCY_READ, access

from ..auth import token_user
from ..errors import REVISION_FIELD, ErrorOut, SignRefused, SignRefusedOut
from ..schemas import AnswersIn, DecisionOut, DecisionStartIn, DetailsUpdateIn, RevisionIn
from .shared import REVISED_WRITE_ERRORS

router = Router(tags=["Decisions"])


@contextmanager
def fields_under(prefix: str, names: Collection[str]) -> Iterator[None]:
    """Name a service's field by its place in the request body: the service says
    "purpose", the caller sent it as "answers.purpose"."""
    try:
        yield
    except ServiceError as exc:
        if exc.field in names:
            exc.field = f"{prefix}.{exc.field}"
        raise


@router.post(
    "/decisions",
    response={201: DecisionOut, **REVISED_WRITE_ERRORS},
    summary="Start a decision about a person",
    description=(
        "Starts a draft under the chosen pack (recorded with its version and hash, so the "
        "decision can be replayed). Where consent records are held, the consent answer is "
        "worked out from them (3.22 to 3.35) and shown in `consent_source`."
    ),
)
@access(API_AGENCY_DECIDE)
def decision_create(request: HttpRequest, payload: DecisionStartIn) -> Any:
    user = token_user(request)
    try:
        person = person_get_for_user(user=user, person_id=payload.person_id)
    except ServiceError as exc:
        # Not found is 404 as for any record, naming the field that pointed at it.
        exc.field = "person_id"
        raise
    try:
        decision = decision_start(
            user=user,
            person=person,
            purpose=payload.purpose,
            recipient=payload.recipient,
            information=payload.information,
            pack_id=payload.pack,
        )
    except ServiceError as exc:
        # The service names the pack by its column; the caller sent it as "pack".
        if exc.field == "pack_id":
            exc.field = "pack"
        raise
    return Status(201, decision)


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One decision record",
)
@access(API_AGENCY_READ)
def decision_detail(request: HttpRequest, decision_id: int) -> Any:
    decision = decision_get_for_user(user=token_user(request), decision_id=decision_id)
    audit_append(actor=token_user(request), verb="api.read", obj=decision, request=request)
    return decision


@router.post(
    "/decisions/{decision_id}/answers",
    response={200: DecisionOut, **REVISED_WRITE_ERRORS},
    summary="Answer questions of a draft and decide again",
    description=(
        "Answers are facts of the decision contract. A judgement (public_interest, "
        "lawful_basis) needs its reasons in `reasons` (3.41, 3.51). A signed decision is "
        "never changed: 400 naming `status`; make a correction instead."
    ),
)
@access(API_AGENCY_DECIDE)
def decision_answers(request: HttpRequest, decision_id: int, payload: AnswersIn) -> Any:
    user = token_user(request)
    decision = decision_for_change(decision_id=decision_id)
    with fields_under("answers", payload.answers):
        return decision_answer(
            user=user,
            decision=decision,
            answers=payload.answers,
            reasons=payload.reasons,
            revision=payload.revision,
        )


@router.patch(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **REVISED_WRITE_ERRORS},
    summary="Record the lawful basis, whether the person was told, advice and notes",
    description=(
        "The lawful basis under UK GDPR Article 6 and, for special category data, the "
        "Article 9 condition (with DPA 2018 Schedule 1 paragraph 18 and the reason consent "
        "was not sought); whether the person was told and if not why (3.36, 3.48); the "
        "advice taken (3.51). Only the details sent are changed."
    ),
)
@access(API_AGENCY_DECIDE)
def decision_update(request: HttpRequest, decision_id: int, payload: DetailsUpdateIn) -> Any:
    user = token_user(request)
    decision = decision_for_change(decision_id=decision_id)
    details = payload.details.model_dump(exclude_unset=True) if payload.details else {}
    proportionality = (
        [p.model_dump() for p in payload.proportionality]
        if payload.proportionality is not None
        else None
    )
    with fields_under("details", details):
        return decision_details_update(
            user=user,
            decision=decision,
            details=details,
            proportionality=proportionality,
            revision=payload.revision,
        )


@router.post(
    "/decisions/{decision_id}/sign",
    response={200: DecisionOut, **REVISED_WRITE_ERRORS, 400: SignRefusedOut},
    summary="Sign a draft: from now on it is the record",
    description=(
        "400 lists in `problems` everything to put right first (unanswered questions, "
        "reasons for judgements, the lawful basis, whether the person was told). 409 when "
        "the decision changed since `revision`: read it again."
    ),
)
@access(API_AGENCY_DECIDE)
def decision_sign_endpoint(request: HttpRequest, decision_id: int, payload: RevisionIn) -> Any:
    user = token_user(request)
    decision = decision_for_change(decision_id=decision_id)
    try:
        return decision_sign(user=user, decision=decision, revision=payload.revision)
    except ServiceError as exc:
        if type(exc) is not ServiceError or exc.field in (REVISION_FIELD, "status"):
            raise
        # decision_sign names the first problem; the caller is given all of them.
        # Read whole again for the list: the row the endpoint holds has its id only.
        whole = decision_get_for_user(user=user, decision_id=decision_id)
        raise SignRefused(
            exc.message, field=exc.field, problems=decision_sign_problems(whole)
        ) from exc


@router.post(
    "/decisions/{decision_id}/correct",
    response={201: DecisionOut, **REVISED_WRITE_ERRORS},
    summary="Correct a signed decision: a new draft version that keeps the old",
)
@access(API_AGENCY_DECIDE)
def decision_correct_endpoint(request: HttpRequest, decision_id: int) -> Any:
    user = token_user(request)
    decision = decision_for_change(decision_id=decision_id)
    return Status(201, decision_correct(user=user, decision=decision))
