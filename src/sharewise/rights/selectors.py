"""Reads for people's rights: everything an agency holds about a person, gathered for a
subject access request (UK GDPR Article 15), and who may gather it.

Each area's records are read through that area's selectors, so the rule that a record is
confidential to the agency that holds it (003 3.15) is applied exactly as on its own pages.
Nothing here writes: `services.subject_access_export` audits the export.

Other people are protected in what comes out: anyone recorded as a protected identity of
the person (a referrer, a neighbour: 003 3.50) has their name and identifying details
replaced by a neutral label in every text of the document, and the protected identities
themselves are never listed (docs/rights.md, "What a subject access export withholds").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sharewise.advice.models import AdviceRequest
from sharewise.advice.models import Status as AdviceStatus
from sharewise.agencies.models import Role
from sharewise.agencies.selectors import agency_ids_for_user, user_has_role
from sharewise.audit.models import AuditEntry, Outcome
from sharewise.common import NotFound, PermissionDenied
from sharewise.consents.selectors import consents_for_person
from sharewise.decisions.models import Decision
from sharewise.decisions.selectors import decision_record, decisions_for_person
from sharewise.disclosures.identities import Protected, identities_withhold
from sharewise.disclosures.selectors import (
    disclosure_items,
    disclosures_sent_for_user,
    protected_identities_for_person,
)
from sharewise.followups.models import FollowUp
from sharewise.followups.selectors import (
    followup_contacts,
    meeting_get_for_user,
    meetings_for_person,
)
from sharewise.guidance.words import basis_words, refer_now_words
from sharewise.people.models import Person
from sharewise.people.selectors import relationships_for_user
from sharewise.requests.selectors import requests_incoming_for_user

from .models import ImportedDecision, SubjectAccessRequest

FORMAT = "sharewise.subject-access"
FORMAT_VERSION = 1

# Who may make a subject access export: those who answer for the confidentiality of the
# agency's records (the safeguarding lead: DSL, Caldicott Guardian, IG lead) and its
# auditors, as for "who has viewed this record". A practitioner may not: the export
# gathers colleagues' work and the audit trail of the record.
SUBJECT_ACCESS_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.AUDITOR})

# What the document says about itself, in the words a person reading it needs.
ABOUT_THE_DOCUMENT = [
    "This is everything the agency named above holds about you in Sharewise, the system it "
    "uses to decide whether to share information to keep children and adults safe, and to "
    "record those decisions (UK GDPR Article 15, the right of access).",
    "Details that could identify other people who might be harmed if they were identified "
    "(for example someone who reported a concern) have been replaced by neutral words such "
    "as [the referrer] or [a neighbour] (Data Protection Act 2018 Schedule 2 paragraph 16; "
    "information sharing guidance 3.50).",
    "Requests for advice are shown as the safeguarding lead saw them, with identifying "
    "details removed.",
    "Each decision shows every version: a signed decision is never changed, a correction is "
    "a new version that keeps the old one.",
]

VERB_LABELS = {
    "person.view": "Opened the record",
    "person.views": "Looked at who has viewed the record",
    "person.create": "Added the person",
    "person.subject_access": "Made a subject access export",
    "person.subject_access_request": "Asked for a subject access export (PDF)",
    "person.subject_access_download": "Downloaded a subject access export (PDF)",
    "person.subject_access_expire": "Deleted a subject access export after 7 days",
    "person.rights_view": "Looked at the exports page of the record",
    "person.relationship_add": "Recorded a relationship",
    "person.competence_assess": "Assessed competence to consent",
    "person.capacity_assess": "Assessed capacity to consent",
    "consent.record": "Recorded a consent response",
    "consent.fhir_export": "Exported the consent records (FHIR)",
    "decision.start": "Started a decision",
    "decision.answer": "Answered questions of a decision",
    "decision.details": "Recorded a decision's lawful basis and details",
    "decision.sign": "Signed a decision",
    "decision.correct": "Started a correction of a decision",
    "decision.view": "Opened a decision",
    "decision.pdf": "Downloaded a decision as PDF",
    "decision.export": "Exported a decision",
    "decision.import": "Imported a decision from another agency",
    "api.read": "Read the record through the API",
}


def subject_access_allowed(*, user: Any, person: Person) -> bool:
    """Whether `user` may export everything held about `person`. `person` must come from a
    selector that checked the user's agency (`person_get_for_user`)."""
    return user_has_role(user=user, roles=SUBJECT_ACCESS_ROLES, agency=person.agency)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _username(user: Any) -> str | None:
    if user is None:
        return None
    full = str(user.get_full_name() or "").strip()
    return full or str(user.get_username())


def _person(person: Person) -> dict[str, Any]:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": _iso(person.date_of_birth),
        "expected_date_of_birth": _iso(person.expected_date_of_birth),
        "nhs_number": person.nhs_number,
        "unique_pupil_number": person.upn,
        "case_reference": person.case_reference,
        "address": person.address,
        "postcode": person.postcode,
        "care_order": person.care_order,
        "recorded_at": _iso(person.created_at),
    }


def _relationships(user: Any, person: Person) -> list[dict[str, Any]]:
    # Only relatives the user's agencies hold (003 3.15), as the person page shows them.
    relatives, relative_of = relationships_for_user(user=user, person=person)
    rows = []
    for r in relatives:
        rows.append(
            {
                "name": r.relative.full_name,
                "is_your": r.get_kind_display().lower(),
                "called": r.party,
                "parental_responsibility": r.parental_responsibility,
                "you_live_with_them": r.lives_with,
            }
        )
    for r in relative_of:
        rows.append(
            {
                "name": r.person.full_name,
                "you_are_their": r.get_kind_display().lower(),
                "called": r.party,
                "parental_responsibility": r.parental_responsibility,
                "they_live_with_you": r.lives_with,
            }
        )
    return rows


def _assessments(person: Person) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    competence = [
        {
            "assessed_at": _iso(a.assessed_at),
            "assessed_by": _username(a.assessed_by),
            "competent": a.competent,
            "criteria_met": list(a.criteria_met),
            "notes": a.notes,
        }
        for a in person.competence_assessments.select_related("assessed_by")
    ]
    capacity = [
        {
            "assessed_at": _iso(a.assessed_at),
            "assessed_by": _username(a.assessed_by),
            "decision_assessed": a.decision,
            "lacks_capacity": a.lacks_capacity,
            "notes": a.notes,
        }
        for a in person.capacity_assessments.select_related("assessed_by")
    ]
    return competence, capacity


def _consents(user: Any, person: Person) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "given_at": _iso(c.given_at),
            "response": c.get_response_display(),
            "given_by": c.get_given_by_display(),
            "party": c.party,
            "form": c.get_form_display(),
            "medium": c.get_medium_display(),
            "informed_about": list(c.informed_points),
            "purposes": list(c.purposes),
            "recipients": list(c.recipients),
            "kinds_of_information": list(c.information),
            "expires": _iso(c.expires),
            "follows": c.follows_id,
            "notes": c.notes,
            "recorded_by": _username(c.recorded_by),
            "recorded_at": _iso(c.recorded_at),
        }
        for c in consents_for_person(user=user, person=person)
    ]


def _decision(d: Decision, imported: ImportedDecision | None) -> dict[str, Any]:
    record = decision_record(d)["outcome"]
    return {
        "id": d.pk,
        "version": d.version,
        "corrects": d.corrects_id,
        "status": d.get_status_display(),
        "purpose": d.purpose,
        "recipient": d.recipient,
        "kinds_of_information": list(d.information),
        "pack": {"id": d.pack_id, "version": d.pack_version, "hash": d.pack_hash},
        "why_this_pack": d.pack_reason,
        "answers": dict(d.facts),
        "reasons": dict(d.reasons),
        "proportionality": list(d.proportionality),
        # As signed (decisions.selectors.decision_record), in words where a person reads it.
        "outcome": record["outcome"],
        "outcome_in_words": record["title"],
        "basis": record["basis"] or "",
        "basis_in_words": basis_words(record["basis"]),
        "refer_now": record["refer_now"],
        "refer_now_in_words": refer_now_words(record),
        "inform_subject": record["inform_subject"] or "",
        "trace": list(record["trace"]),
        "citations": list(record["citations"]),
        "article6_basis": d.get_article6_basis_display() if d.article6_basis else "",
        "special_category_condition": (
            d.get_special_category_condition_display() if d.special_category_condition else ""
        ),
        "paragraph18_reason": (d.get_paragraph18_reason_display() if d.paragraph18_reason else ""),
        "person_told": d.get_person_told_display() if d.person_told else "",
        "person_told_confirmed": d.person_told_confirmed,
        "person_not_told_reason": d.person_not_told_reason,
        "advice_from": d.advice_from,
        "advice_given": d.advice_given,
        "notes": d.notes,
        "started_at": _iso(d.created_at),
        "started_by": _username(d.created_by),
        "signed_at": _iso(d.signed_at),
        "signed_by": _username(d.signed_by),
        "imported_from": (
            {
                "agency": imported.source_agency,
                "signed_by": imported.source_signed_by,
                "signed_at": _iso(imported.source_signed_at),
                "imported_at": _iso(imported.imported_at),
            }
            if imported is not None
            else None
        ),
    }


def _advice(a: AdviceRequest) -> dict[str, Any]:
    # The redacted text only: the practitioner's own words are erased when the request is
    # sent (advice app, ADR 10); a draft never left the practitioner and is not a record.
    return {
        "id": a.pk,
        "decision": a.decision_id,
        "status": a.get_status_display(),
        "sent_at": _iso(a.sent_at),
        "question_as_sent": a.redacted_text,
        "advice": a.answer,
        "advice_from": a.answered_as,
        "answered_at": _iso(a.answered_at),
        "outcome": a.get_outcome_display() if a.outcome else "",
        "outcome_reason": a.outcome_reason,
    }


def _advice_requests(user: Any, person: Person, decisions: list[Decision]) -> list[dict[str, Any]]:
    # The advice about any of the person's decisions, as `advice_requests_for_decision`
    # reads it for one (sent requests of the user's agencies), and advice asked about the
    # person before any decision was started: one query, not one per decision, which for
    # a person with hundreds of decisions was most of the time the document took.
    found = (
        AdviceRequest.objects.filter(agency_id__in=agency_ids_for_user(user=user))
        .filter(Q(decision__in=[d.pk for d in decisions]) | Q(person=person, decision__isnull=True))
        .exclude(status=AdviceStatus.DRAFT)
        .order_by("id")
    )
    return [_advice(a) for a in found]


def _disclosures(user: Any, person: Person) -> list[dict[str, Any]]:
    rows = []
    for d in disclosures_sent_for_user(user=user).filter(person=person).order_by("sent_at", "id"):
        rows.append(
            {
                "id": d.pk,
                "decision": d.decision_id,
                "purpose": d.purpose,
                "shared_with": d.recipient_label,
                "how": d.get_channel_display(),
                "sent_at": _iso(d.sent_at),
                "sent_by": _username(d.sent_by),
                "visible_until": _iso(d.expires_on),
                "opened_at": _iso(d.opened_at),
                "read_at": _iso(d.read_at),
                "acknowledged_at": _iso(d.acknowledged_at),
                "withdrawn_at": _iso(d.withdrawn_at),
                "withdrawn_reason": d.withdrawn_reason,
                "you_were_told_at": _iso(d.subject_told_at),
                "you_were_told_how": d.subject_told_how,
                "state": d.state,
                # The items as they were shared, which already have the protected
                # identities withheld unless the practitioner recorded a reason to
                # include them; the document's redaction takes those out again.
                "items": [
                    {
                        "position": item.position,
                        "kind": item.get_kind_display(),
                        "kind_of_information": item.information_kind,
                        "text": item.text,
                        "source": item.source,
                        "dated": _iso(item.dated),
                        "historical": item.historical,
                    }
                    for item in disclosure_items(disclosure=d)
                ],
            }
        )
    return rows


def _requests(user: Any, person: Person) -> list[dict[str, Any]]:
    rows = []
    requests = (
        requests_incoming_for_user(user=user)
        .filter(person=person)
        .prefetch_related("responses", "replies")
        .order_by("received_at", "id")
    )
    for r in requests:
        rows.append(
            {
                "id": r.pk,
                "received_at": _iso(r.received_at),
                "how_it_arrived": r.get_channel_display(),
                "requester": r.requester_name,
                "requester_role": r.requester_role,
                "requester_agency": r.requester_agency_name,
                "you_as_named_in_the_request": r.subject_name,
                "date_of_birth_given": _iso(r.subject_date_of_birth),
                "address_given": r.subject_address,
                "nhs_number_given": r.subject_nhs_number,
                "unique_pupil_number_given": r.subject_upn,
                "information_requested": r.information_requested,
                "purpose": r.purpose,
                "why_necessary": r.necessity,
                "lawful_basis": r.lawful_basis,
                "urgency": r.get_urgency_display(),
                "statutory": r.statutory,
                "safeguarding_partner": (
                    r.get_safeguarding_partner_display() if r.safeguarding_partner else ""
                ),
                "status": r.get_status_display(),
                "answered_by_decision": r.decision_id,
                "closed_reason": r.closed_reason,
                "responses": [
                    {
                        "decision": s.decision_id,
                        "outcome": s.get_outcome_display(),
                        "reasons": s.reasons,
                        "told_via": s.get_told_via_display(),
                        "told_at": _iso(s.told_at),
                    }
                    for s in r.responses.all()
                ],
                "replies": [
                    {
                        "received_at": _iso(reply.received_at),
                        "how": reply.get_channel_display(),
                        "information": reply.information,
                    }
                    for reply in r.replies.all()
                ],
            }
        )
    return rows


def _followups(user: Any, person: Person) -> list[dict[str, Any]]:
    # The followups app reads follow-ups by decision or by owner; a person's are all those
    # recorded against them in the user's agencies, whatever they were agreed with.
    followups = (
        FollowUp.objects.filter(person=person, agency_id__in=agency_ids_for_user(user=user))
        .select_related("owner", "stopped_by")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": f.pk,
            "decision": f.decision_id,
            "owner": _username(f.owner),
            "agencies_involved": list(f.agencies_involved),
            "how_often": f.how_often,
            "next_due": _iso(f.next_due),
            "what_would_trigger_action": f.trigger,
            "status": f.get_status_display(),
            "stopped_at": _iso(f.stopped_at),
            "stopped_reason": f.stopped_reason,
            "agreed_at": _iso(f.created_at),
            "contacts": [
                {
                    "contacted_on": _iso(c.contacted_on),
                    "made_by": _username(c.made_by),
                    "with_whom": c.with_whom,
                    "what_was_found": c.findings,
                    "trigger_met": c.trigger_met,
                }
                for c in followup_contacts(followup=f)
            ],
        }
        for f in followups
    ]


def _meetings(user: Any, person: Person) -> list[dict[str, Any]]:
    rows = []
    for listed in meetings_for_person(user=user, person=person).order_by("held_on", "id"):
        meeting = meeting_get_for_user(user=user, meeting_id=listed.pk)
        rows.append(
            {
                "id": meeting.pk,
                "kind": meeting.get_kind_display(),
                "held_on": _iso(meeting.held_on),
                "chair": meeting.chair,
                "attendees": [
                    {"name": a.name, "role": a.role, "agency": a.agency_label}
                    for a in meeting.attendees.all()
                ],
                # What was said about this person or about everyone discussed; what was
                # said about another person discussed is theirs, not this person's.
                "contributions": [
                    {"by": c.attendee.name, "kind": c.get_kind_display(), "text": c.text}
                    for c in meeting.contributions.all()
                    if c.person_id in (None, person.pk)
                ],
                "actions": [
                    {"action": a.action, "owner": a.owner_name, "due_on": _iso(a.due_on)}
                    for a in meeting.actions.all()
                    if a.person_id == person.pk
                ],
            }
        )
    return rows


def _record_views(person: Person) -> list[dict[str, Any]]:
    # The whole trail, oldest first: "who has viewed this record" shows the latest 500,
    # an export owes the person all of it.
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        target_type="person", target_id=str(person.pk)
    ).order_by("id")
    return [
        {
            "at": _iso(e.at),
            "who": e.actor_username or "Sharewise (no signed-in user)",
            "what": VERB_LABELS.get(e.verb, e.verb),
            "refused": e.outcome != Outcome.OK,
        }
        for e in entries.iterator()
    ]


def _withhold(value: Any, protected: list[Protected]) -> Any:
    """`value` with every protected identity's terms replaced in every string, at any depth."""
    if isinstance(value, str):
        return identities_withhold(value, protected)[0]
    if isinstance(value, list):
        return [_withhold(item, protected) for item in value]
    if isinstance(value, dict):
        return {key: _withhold(item, protected) for key, item in value.items()}
    return value


def protected_for_person(*, user: Any, person: Person) -> list[Protected]:
    """The protected identities recorded about `person`, as the pure withholding function
    takes them (disclosures.identities)."""
    return [
        Protected(key=p.pk, label=p.label, terms=tuple(p.identifying_terms))
        for p in protected_identities_for_person(user=user, person=person)
    ]


def subject_access_document(*, user: Any, person: Person) -> dict[str, Any]:
    """Everything the user's agencies hold about `person`, as one JSON-ready document.

    `person` must come from `person_get_for_user`; the role is checked here, so that no
    caller can gather the document for a practitioner."""
    if not subject_access_allowed(user=user, person=person):
        raise PermissionDenied(
            "Only the agency's safeguarding leads and auditors can make a subject access export"
        )
    decisions = list(decisions_for_person(user=user, person=person).order_by("created_at", "id"))
    imported = {i.decision_id: i for i in ImportedDecision.objects.filter(decision__in=decisions)}
    competence, capacity = _assessments(person)
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": _iso(timezone.now()),
        "agency": person.agency.name,
        "about_this_document": ABOUT_THE_DOCUMENT,
        "person": _person(person),
        "aliases": [a.name for a in person.aliases.all()],
        "relationships": _relationships(user, person),
        "competence_assessments": competence,
        "capacity_assessments": capacity,
        "consents": _consents(user, person),
        "decisions": [_decision(d, imported.get(d.pk)) for d in decisions],
        "disclosures": _disclosures(user, person),
        "requests_for_information": _requests(user, person),
        "advice_requests": _advice_requests(user, person, decisions),
        "followups": _followups(user, person),
        "meetings": _meetings(user, person),
        "record_views": _record_views(person),
    }
    return dict(_withhold(document, protected_for_person(user=user, person=person)))


def section_counts(document: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind a document holds, for the audit entry (never the
    records themselves: the audit log holds no personal free text)."""
    return {key: len(value) for key, value in document.items() if _is_record_list(value)}


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def subject_access_request_get_for_user(*, user: Any, request_id: int) -> SubjectAccessRequest:
    """A subject access request about a person of the user's agencies (anything else is not
    found, 003 3.15), for the agency's safeguarding leads and auditors only (anyone else
    of the agency is refused, as for the export itself)."""
    try:
        asked = SubjectAccessRequest.objects.select_related("person__agency", "requested_by").get(
            pk=request_id, person__agency_id__in=agency_ids_for_user(user=user)
        )
    except SubjectAccessRequest.DoesNotExist:
        raise NotFound("There is no such subject access request") from None
    if not subject_access_allowed(user=user, person=asked.person):
        raise PermissionDenied(
            "Only the agency's safeguarding leads and auditors can see subject access exports"
        )
    return asked


def subject_access_requests_for_person(
    *, user: Any, person: Person
) -> QuerySet[SubjectAccessRequest]:
    """The subject access PDFs asked for about `person`, newest first, for the exports
    page. `person` must come from `person_get_for_user`; empty for anyone who may not
    make the export."""
    if not subject_access_allowed(user=user, person=person):
        return SubjectAccessRequest.objects.none()
    return (
        SubjectAccessRequest.objects.filter(person=person)
        .select_related("requested_by")
        .defer("pdf")
        .order_by("-requested_at", "-id")
    )
