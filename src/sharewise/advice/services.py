"""Writes of advice requests: draft and review the redaction, send, answer, record the
outcome, copy the advice into the decision.

Golden rule 3 and 003 3.45: seek advice "without disclosing the identity of the person
where possible", and record the outcome of the discussion (003 flowchart; 3.51). The
redaction runs in the service, never in a page or a client, so what is sent is always
what the records say must be taken out, run again at the moment of sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.selectors import (
    agency_ids_for_user,
    primary_agency_for_user,
    require_recording_role,
)
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .identifiers import Redaction
from .models import AdviceRequest, Outcome, Status
from .selectors import (
    LEAD_ROLES,
    READER_ROLES,
    agency_has_lead,
    agency_ids_with_roles,
    known_identifiers_for,
    lead_title_for,
)

MAX_TEXT = 20_000
MAX_TERMS = 50


def _redact(text: str, person: Person | None, extra_terms: Sequence[str]) -> Redaction:
    # Imported here: loading Presidio and spaCy takes seconds, which no page or command
    # that never redacts should pay.
    from .redaction import redact

    return redact(text, known_identifiers_for(person=person, extra_terms=list(extra_terms)))


def _same_text(a: str, b: str) -> bool:
    """Equal but for line endings and surrounding space: a browser sends a form's line
    breaks as CRLF."""
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ServiceError("Enter what you want advice about", field="text")
    if len(text) > MAX_TEXT:
        raise ServiceError(
            f"Keep the request to {MAX_TEXT} characters: the lead can ask for more", field="text"
        )
    return text


def _clean_terms(terms: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
    if len(cleaned) > MAX_TERMS:
        raise ServiceError(f"Add at most {MAX_TERMS} terms to take out", field="extra_terms")
    return cleaned


def _require_asker(user: Any, advice_request: AdviceRequest) -> None:
    if advice_request.asked_by_id == user.pk:
        return
    if advice_request.status != Status.DRAFT and advice_request.agency_id in (
        agency_ids_with_roles(user, READER_ROLES)
    ):
        raise PermissionDenied("Only the practitioner who asked for the advice can do this")
    raise NotFound("There is no such advice request for you to see")


def _require_draft(advice_request: AdviceRequest) -> None:
    if advice_request.status != Status.DRAFT:
        raise ServiceError("This request has been sent and cannot be changed", field="status")


@transaction.atomic
def advice_request_create(
    *,
    user: Any,
    text: str,
    decision: Decision | None = None,
    person: Person | None = None,
    extra_terms: Sequence[str] = (),
) -> AdviceRequest:
    """A draft request with its redacted preview. About a decision (draft or signed) or a
    person, whose case's identifiers are taken out; or about neither, when only what the
    patterns find and the terms added are taken out."""
    if decision is not None:
        if person is not None and person.pk != decision.person_id:
            raise ServiceError("The decision is about someone else", field="person_id")
        person = decision.person
    agency_ids = agency_ids_for_user(user=user)
    if decision is not None and decision.agency_id not in agency_ids:
        raise NotFound("There is no such decision in your agency's records")
    if person is not None and person.agency_id not in agency_ids:
        raise NotFound("There is no such person in your agency's records")
    agency = (
        decision.agency
        if decision is not None
        else person.agency
        if person is not None
        else primary_agency_for_user(user=user)
    )
    if agency is None:
        raise PermissionDenied("Only members of an agency can ask its safeguarding leads")
    require_recording_role(user=user, agency_id=agency.pk)
    text = _clean_text(text)
    terms = _clean_terms(extra_terms)
    redaction = _redact(text, person, terms)
    advice_request = AdviceRequest(
        agency=agency,
        person=person,
        decision=decision,
        asked_by=user,
        draft_text=text,
        redacted_text=redaction.text,
        replaced_kinds=redaction.kinds,
    )
    advice_request.extra_terms = terms
    advice_request.save(force_insert=True)
    # The audit entry says what kinds were taken out, never the words.
    audit_append(
        actor=user,
        verb="advice.draft",
        obj=advice_request,
        details={"replaced": redaction.kinds},
    )
    return advice_request


@transaction.atomic
def advice_request_review(
    *,
    user: Any,
    advice_request: AdviceRequest,
    text: str | None = None,
    extra_terms: Sequence[str] | None = None,
) -> AdviceRequest:
    """Change the draft's text or the terms to take out, and redact again."""
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    _require_asker(user, advice_request)
    _require_draft(advice_request)
    if text is not None:
        advice_request.draft_text = _clean_text(text)
    if extra_terms is not None:
        advice_request.extra_terms = _clean_terms(extra_terms)
    redaction = _redact(
        advice_request.draft_text, advice_request.person, advice_request.extra_terms
    )
    advice_request.redacted_text = redaction.text
    advice_request.replaced_kinds = redaction.kinds
    advice_request.save()
    audit_append(
        actor=user, verb="advice.review", obj=advice_request, details={"replaced": redaction.kinds}
    )
    return advice_request


@transaction.atomic
def advice_request_send(
    *, user: Any, advice_request: AdviceRequest, reviewed_text: str
) -> AdviceRequest:
    """Send the request to the agency's safeguarding leads. `reviewed_text` is the redacted
    text the practitioner checked: the redaction is run again now, and if the records
    changed since (an alias added) the request is not sent until they check it again.
    The original words and the added terms are erased; only the redacted text stays."""
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    _require_asker(user, advice_request)
    _require_draft(advice_request)
    if not agency_has_lead(agency_id=advice_request.agency_id):
        raise ServiceError(
            "Your agency has no safeguarding lead in Sharewise to ask. Ask your manager who "
            "your nominated adviser is (003 3.45).",
            field="agency",
        )
    redaction = _redact(
        advice_request.draft_text, advice_request.person, advice_request.extra_terms
    )
    if not _same_text(redaction.text, reviewed_text):
        raise ServiceError(
            "What would be sent is not what you checked: the case's records or the request "
            "changed. Check the redacted text again before sending it.",
            field="reviewed_text",
        )
    advice_request.redacted_text = redaction.text
    advice_request.replaced_kinds = redaction.kinds
    advice_request.draft_text = ""
    advice_request.extra_terms = []
    advice_request.status = Status.SENT
    advice_request.sent_at = timezone.now()
    advice_request.save()
    audit_append(
        actor=user, verb="advice.send", obj=advice_request, details={"replaced": redaction.kinds}
    )
    return advice_request


@transaction.atomic
def advice_request_discard(*, user: Any, advice_request: AdviceRequest) -> AdviceRequest:
    """Throw away a draft that will not be sent, with the words it held. A draft was never
    a record: only the audit entry says it existed."""
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    _require_asker(user, advice_request)
    _require_draft(advice_request)
    audit_append(actor=user, verb="advice.discard", obj=advice_request)
    advice_request.delete()
    return advice_request


@transaction.atomic
def advice_request_answer(
    *, user: Any, advice_request: AdviceRequest, answer: str
) -> AdviceRequest:
    """A safeguarding lead of the agency gives their advice, once."""
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    asked = advice_request.asked_by_id == user.pk
    readable = asked or (
        advice_request.status != Status.DRAFT
        and advice_request.agency_id in agency_ids_with_roles(user, READER_ROLES)
    )
    if not readable:
        raise NotFound("There is no such advice request for you to see")
    if asked:
        raise PermissionDenied("Another safeguarding lead must answer your own request")
    if advice_request.agency_id not in agency_ids_with_roles(user, LEAD_ROLES):
        raise PermissionDenied("Only a safeguarding lead of the agency can give advice")
    if advice_request.status != Status.SENT:
        raise ServiceError("This request has already been answered", field="status")
    answer = answer.strip()
    if not answer:
        raise ServiceError("Enter your advice", field="answer")
    if len(answer) > MAX_TEXT:
        raise ServiceError(f"Keep the advice to {MAX_TEXT} characters", field="answer")
    advice_request.answer = answer
    advice_request.answered_by = user
    advice_request.answered_as = lead_title_for(user=user, agency_id=advice_request.agency_id)
    advice_request.answered_at = timezone.now()
    advice_request.status = Status.ANSWERED
    advice_request.save()
    audit_append(actor=user, verb="advice.answer", obj=advice_request)
    return advice_request


@transaction.atomic
def advice_outcome_record(
    *, user: Any, advice_request: AdviceRequest, outcome: str, reason: str = ""
) -> AdviceRequest:
    """The practitioner records what they did with the advice, and why where they did not
    follow it (003: "ensure that the outcome of the discussion is recorded")."""
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    _require_asker(user, advice_request)
    if advice_request.status != Status.ANSWERED:
        message = (
            "The outcome has already been recorded"
            if advice_request.status == Status.CLOSED
            else "Record the outcome once the advice has been given"
        )
        raise ServiceError(message, field="status")
    if outcome not in Outcome.values:
        raise ServiceError("Say whether you followed the advice", field="outcome")
    reason = reason.strip()
    if outcome != Outcome.FOLLOWED and not reason:
        raise ServiceError("Say why the advice was not followed in full", field="reason")
    advice_request.outcome = outcome
    advice_request.outcome_reason = reason
    advice_request.outcome_at = timezone.now()
    advice_request.status = Status.CLOSED
    advice_request.save()
    audit_append(
        actor=user, verb="advice.outcome", obj=advice_request, details={"outcome": outcome}
    )
    return advice_request


def advice_for_decision_text(advice_request: AdviceRequest) -> tuple[str, str]:
    """What goes into the decision's `advice_from` and `advice_given`."""
    lead = advice_request.answered_by
    name = (lead.get_full_name() or lead.get_username()) if lead is not None else ""
    advice_from = f"{advice_request.answered_as}: {name}".strip(": ")
    given = advice_request.answer
    if advice_request.outcome:
        given += f"\n\nOutcome: {Outcome(advice_request.outcome).label}"
        if advice_request.outcome_reason:
            given += f". {advice_request.outcome_reason}"
    return advice_from[:300], given


@transaction.atomic
def advice_request_copy_to_decision(*, user: Any, advice_request: AdviceRequest) -> Decision:
    """Copy the advice (and its outcome, once recorded) into the draft decision's record,
    through the decision's own service, which checks the draft and the user's role."""
    from sharewise.decisions.services import decision_details_update

    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    _require_asker(user, advice_request)
    decision = advice_request.decision
    if decision is None:
        raise ServiceError("This request is not about a decision", field="decision")
    if advice_request.status not in (Status.ANSWERED, Status.CLOSED):
        raise ServiceError("The advice has not been given yet", field="status")
    if decision.is_signed:
        raise ServiceError(
            "The decision is signed: the advice is shown with it. To add it to the record, "
            "make a correction and copy it into that.",
            field="decision",
        )
    advice_from, given = advice_for_decision_text(advice_request)
    decision = decision_details_update(
        user=user,
        decision=decision,
        details={"advice_from": advice_from, "advice_given": given},
    )
    advice_request.copied_to_decision_at = timezone.now()
    advice_request.save(update_fields=["copied_to_decision_at", "updated_at"])
    audit_append(actor=user, verb="advice.copy", obj=advice_request, target=decision.person)
    return decision
