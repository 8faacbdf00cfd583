"""Reads of requests for information, always through the user's agencies (003 3.15).

A request is seen by the two agencies it is between: the agency asked (the receiver) and,
for a request sent through Sharewise, the agency asking (the requester). To anyone else it
does not exist. The receiver's own record of it (the person matched, the decision) is the
receiver's alone: `RequestView.receiver` says whether the reader may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound, PermissionDenied
from sharewise.decisions.models import Decision
from sharewise.decisions.services import SHARING
from sharewise.people.models import Person

from .models import InformationRequest, RequestReply, RequestResponse, ResponseOutcome

NOT_FOUND = "There is no such request for information in your agency's records"


def request_get_for_user(*, user: Any, info_request_id: int) -> InformationRequest:
    agencies = agency_ids_for_user(user=user)
    try:
        return InformationRequest.objects.select_related(
            "to_agency", "from_agency", "person", "decision", "recorded_by"
        ).get(Q(to_agency_id__in=agencies) | Q(from_agency_id__in=agencies), pk=info_request_id)
    except InformationRequest.DoesNotExist:
        raise NotFound(NOT_FOUND) from None


def request_is_receiver(*, user: Any, info_request: InformationRequest) -> bool:
    """Whether `user` reads `info_request` as a member of the agency asked."""
    return info_request.to_agency_id in agency_ids_for_user(user=user)


def request_is_requester(*, user: Any, info_request: InformationRequest) -> bool:
    """Whether `user` is of the agency that sent `info_request` through Sharewise."""
    return (
        info_request.from_agency_id is not None
        and info_request.from_agency_id in agency_ids_for_user(user=user)
    )


def _require_party(user: Any, info_request: InformationRequest) -> None:
    # Someone of neither agency is told the request does not exist, as by
    # `request_get_for_user`, whichever way the request reached them.
    if not (
        request_is_receiver(user=user, info_request=info_request)
        or request_is_requester(user=user, info_request=info_request)
    ):
        raise NotFound(NOT_FOUND)


def request_require_receiver(*, user: Any, info_request: InformationRequest) -> None:
    """Refuse (PermissionDenied) a requester on a page where the receiving agency answers:
    they may see their request, not the receiving agency's records."""
    _require_party(user, info_request)
    if not request_is_receiver(user=user, info_request=info_request):
        raise PermissionDenied("Only the agency that was asked can answer this request")


def request_require_replier(*, user: Any, info_request: InformationRequest) -> None:
    """Refuse (PermissionDenied) anyone but the requester on the reply page. A request
    recorded from a phone call or letter has no requester in Sharewise: the receiving
    agency records the requester's replies."""
    _require_party(user, info_request)
    if info_request.through_sharewise:
        if not request_is_requester(user=user, info_request=info_request):
            raise PermissionDenied("Only the agency that made the request can reply to it")
    elif not request_is_receiver(user=user, info_request=info_request):
        raise NotFound(NOT_FOUND)


def requests_incoming_for_user(*, user: Any) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(
        to_agency_id__in=agency_ids_for_user(user=user)
    ).select_related("to_agency", "from_agency")


def requests_outgoing_for_user(*, user: Any) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(
        from_agency_id__in=agency_ids_for_user(user=user)
    ).select_related("to_agency", "from_agency")


def requests_for_user(*, user: Any) -> QuerySet[InformationRequest]:
    """Every request the user's agencies sent or were asked, newest first."""
    agencies = agency_ids_for_user(user=user)
    return InformationRequest.objects.filter(
        Q(to_agency_id__in=agencies) | Q(from_agency_id__in=agencies)
    ).select_related("to_agency", "from_agency")


def requests_answered_by_decision(*, user: Any, decision: Decision) -> QuerySet[InformationRequest]:
    """The requests `decision` answers, or answered before the requester came back: for the
    decision's page, so only the receiving agency's (the decision's agency's) members."""
    return (
        InformationRequest.objects.filter(to_agency_id__in=agency_ids_for_user(user=user))
        .filter(Q(decision=decision) | Q(responses__decision=decision))
        .select_related("to_agency", "from_agency")
        .distinct()
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One event in the life of a request, for its page: a response or a reply."""

    kind: str  # "response" or "reply"
    at: Any
    response: RequestResponse | None = None
    reply: RequestReply | None = None


def request_history(*, info_request: InformationRequest) -> list[HistoryEntry]:
    """Responses and replies, oldest first. `info_request` must come from
    `request_get_for_user`. Both parties see all of it: a response is what the requester
    was told, a reply what they told the receiver."""
    entries = [
        HistoryEntry("response", r.created_at, response=r)
        for r in info_request.responses.select_related("responded_by")
    ]
    entries += [
        HistoryEntry("reply", r.created_at, reply=r)
        for r in info_request.replies.select_related("recorded_by")
    ]
    return sorted(entries, key=lambda e: (e.at, e.kind))


def people_to_match(
    *, user: Any, info_request: InformationRequest, search: str = ""
) -> QuerySet[Person]:
    """People of the receiving agency who could be the person asked about: by the words
    searched for, else by the NHS number, UPN or name the requester gave."""
    request_require_receiver(user=user, info_request=info_request)
    people = Person.objects.filter(agency_id=info_request.to_agency_id)
    if search:
        for word in search.split():
            people = people.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(aliases__name__icontains=word)
                | Q(nhs_number=word)
                | Q(upn__iexact=word)
                | Q(case_reference__iexact=word)
            )
        return people.distinct()
    found = Q()
    if info_request.subject_nhs_number:
        found |= Q(nhs_number=info_request.subject_nhs_number)
    if info_request.subject_upn:
        found |= Q(upn__iexact=info_request.subject_upn)
    words = info_request.subject_name.split()
    if words:
        found |= Q(family_name__iexact=words[-1]) | Q(given_name__iexact=words[0])
    if info_request.subject_date_of_birth:
        found |= Q(date_of_birth=info_request.subject_date_of_birth)
    return people.filter(found).distinct() if found else people.none()


def response_outcome_for_decision(decision: Decision) -> str:
    """The outcome a requester is told for a signed decision: a share, a decision not to
    share, or not decided yet (consent or advice being sought)."""
    if decision.outcome in SHARING:
        return ResponseOutcome.SHARED
    if decision.outcome == "do_not_share":
        return ResponseOutcome.NOT_SHARED
    return ResponseOutcome.NOT_YET


def response_reasons_draft(decision: Decision) -> str:
    """The reasons a response starts from, written from the decision: its outcome, the
    basis and the practitioner's reasons for each judgement. The practitioner edits it:
    what the requester is told is theirs to word, and may leave out what would harm
    someone (3.50)."""
    outcome = ResponseOutcome(response_outcome_for_decision(decision)).label
    lines = [f"{outcome}."]
    if decision.basis:
        lines.append(f"Basis: {decision.basis.replace('_', ' ')}.")
    if decision.article6_basis:
        lines.append(f"Lawful basis: {decision.get_article6_basis_display()}.")
    for reason in decision.reasons.values():
        if isinstance(reason, str) and reason.strip():
            lines.append(reason.strip())
    return "\n".join(lines)
