"""What disposal erases, table by table: the personal data of a record, blanked in place.

Rows are erased, not deleted (ADR 15): every record is held by PROTECT foreign keys and
named by id in the audit log, and a signed decision cannot be deleted at all. What stays
is the skeleton that holds nothing about the person: ids, dates, the agency, statuses,
the pack and outcome of a decision, so that counts and the audit log still read. Free
text, names, identifiers and the lists of what was shared are erased.

Each eraser is a list of (queryset, values) pairs, so that the dry run counts exactly the
rows that disposal would change, with the same querysets.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet

from sharewise.advice.models import AdviceRequest
from sharewise.audit.seals import seal_details
from sharewise.audit.services import audit_append
from sharewise.consents.models import ConsentRecord
from sharewise.crypto.rotation import sealed_updates_allowed
from sharewise.decisions.models import Decision, Status
from sharewise.decisions.sealing import ERASE_VERB
from sharewise.disclosures.models import (
    Disclosure,
    DisclosureItem,
    IdentityRelease,
    ProtectedIdentity,
)
from sharewise.disclosures.sealing import ERASE_VERB as DISCLOSURE_ERASE_VERB
from sharewise.followups.models import (
    FollowUp,
    FollowUpContact,
    MeetingAction,
    MeetingAttendee,
    MeetingContribution,
)
from sharewise.people.models import (
    Alias,
    CapacityAssessment,
    CompetenceAssessment,
    Person,
    Relationship,
)
from sharewise.requests.models import InformationRequest, RequestReply, RequestResponse
from sharewise.rights.models import SubjectAccessRequest, SubjectAccessStatus

from .models import LegalHold, RecordKind, RetentionReview

# What an erased person is called on the pages that still list the skeleton.
DISPOSED_NAME = "Record disposed"
# Rows removed rather than blanked: a name is all an alias is, and a relationship is
# nothing but the link between two people.
DELETE = "delete"

Step = tuple[QuerySet[Any], dict[str, Any] | str]


def _followup_steps(followups: Q) -> list[Step]:
    return [
        (FollowUp.objects.filter(followups), {"trigger": "", "stopped_reason": ""}),
        (
            FollowUpContact.objects.filter(
                followup__in=FollowUp.objects.filter(followups).values("pk")
            ),
            {"with_whom": "", "findings": ""},
        ),
    ]


def _subject_access_copies(person_id: int) -> Step:
    """A prepared subject access PDF is a copy of everything held about the person, the
    disposed record included: it goes with any of their records, not 7 days later."""
    return (
        SubjectAccessRequest.objects.filter(person_id=person_id, status=SubjectAccessStatus.READY),
        {"pdf": "", "pdf_size": 0, "status": SubjectAccessStatus.EXPIRED},
    )


def record_steps(kind: str, object_id: int, person_id: int) -> list[Step]:
    """The erasure of one record, and of any copy of it made for subject access."""
    return [*_one_record_steps(kind, object_id, person_id), _subject_access_copies(person_id)]


def _one_record_steps(kind: str, object_id: int, person_id: int) -> list[Step]:
    if kind in (RecordKind.CHILD_PROTECTION, RecordKind.ADULT_SAFEGUARDING):
        return [
            (
                Decision.objects.filter(pk=object_id),
                {
                    "purpose": "",
                    "recipient": "",
                    "information": [],
                    "reasons": {},
                    "proportionality": [],
                    "consent_source": None,
                    "person_not_told_reason": "",
                    "advice_from": "",
                    "advice_given": "",
                    "notes": "",
                },
            ),
            # The follow-ups agreed with the decision, and the requester's answers it
            # reported, are part of its record.
            *_followup_steps(Q(decision_id=object_id)),
            (RequestResponse.objects.filter(decision_id=object_id), {"reasons": ""}),
        ]
    if kind == RecordKind.CONSENT:
        return [
            (
                ConsentRecord.objects.filter(pk=object_id),
                {"party": "", "notes": "", "purposes": [], "recipients": [], "information": []},
            )
        ]
    if kind == RecordKind.DISCLOSURE:
        return [
            (
                Disclosure.objects.filter(pk=object_id),
                {
                    "purpose": "",
                    "recipient_name": "",
                    "channel_details": "",
                    "identity_check": "",
                    "withdrawn_reason": "",
                    "subject_told_how": "",
                },
            ),
            (
                DisclosureItem.objects.filter(disclosure_id=object_id),
                {"text": "", "source": "", "information_kind": ""},
            ),
            (IdentityRelease.objects.filter(disclosure_id=object_id), {"reason": ""}),
        ]
    if kind == RecordKind.ADVICE_REQUEST:
        return [
            (
                AdviceRequest.objects.filter(pk=object_id),
                {
                    "draft_text": "",
                    "extra_terms": [],
                    "redacted_text": "",
                    "answer": "",
                    "outcome_reason": "",
                },
            )
        ]
    if kind == RecordKind.MEETING:
        # What the meeting holds about this person; what it holds about everyone
        # discussed goes once no one discussed is left (`meeting_steps`).
        actions = Q(meeting_id=object_id, person_id=person_id)
        return [
            (MeetingContribution.objects.filter(actions), {"text": ""}),
            (MeetingAction.objects.filter(actions), {"action": "", "owner_name": ""}),
            *_followup_steps(
                Q(meeting_action__in=MeetingAction.objects.filter(actions).values("pk"))
            ),
        ]
    if kind == RecordKind.INFORMATION_REQUEST:
        return [
            (
                InformationRequest.objects.filter(pk=object_id),
                {
                    "subject_name": "",
                    "subject_date_of_birth": None,
                    "subject_address": "",
                    "subject_nhs_number": "",
                    "subject_upn": "",
                    "information_requested": "",
                    "purpose": "",
                    "necessity": "",
                    "closed_reason": "",
                },
            ),
            (RequestReply.objects.filter(info_request_id=object_id), {"information": ""}),
            (RequestResponse.objects.filter(info_request_id=object_id), {"reasons": ""}),
        ]
    raise ValueError(f"no eraser for records of kind {kind}")


def meeting_steps(meeting_id: int) -> list[Step]:
    """What a meeting holds about everyone discussed at once, and who attended (at a child
    protection conference, family members among them): erased when the last person
    discussed has been disposed of."""
    return [
        (
            MeetingContribution.objects.filter(meeting_id=meeting_id, person__isnull=True),
            {"text": ""},
        ),
        (MeetingAttendee.objects.filter(meeting_id=meeting_id), {"name": ""}),
    ]


def person_steps(person_id: int) -> list[Step]:
    """The person themself, once none of their records is left: identifying fields, other
    names, relationships, assessments, the people whose identity was protected in their
    case, and the reasons written in retention reviews and holds."""
    return [
        (
            Person.objects.filter(pk=person_id),
            {
                "given_name": DISPOSED_NAME,
                "family_name": "",
                "date_of_birth": None,
                "expected_date_of_birth": None,
                "nhs_number": "",
                "upn": "",
                "case_reference": "",
                "address": "",
                "postcode": "",
            },
        ),
        (Alias.objects.filter(person_id=person_id), DELETE),
        # Their own relationships go; where they are someone else's relative the link is
        # part of that person's record, and now points at an erased name.
        (Relationship.objects.filter(person_id=person_id), DELETE),
        (CompetenceAssessment.objects.filter(person_id=person_id), {"notes": ""}),
        (CapacityAssessment.objects.filter(person_id=person_id), {"decision": "", "notes": ""}),
        (ProtectedIdentity.objects.filter(person_id=person_id), {"name": "", "details": ""}),
        (RetentionReview.objects.filter(person_id=person_id), {"kept_reason": ""}),
        (LegalHold.objects.filter(person_id=person_id), {"reason": "", "release_reason": ""}),
        _subject_access_copies(person_id),
    ]


def _label(model: type[Model]) -> str:
    return str(model._meta.label)


def steps_plan(steps: list[Step]) -> Counter[str]:
    """How many rows of each table the steps would change: what the dry run shows."""
    counts: Counter[str] = Counter()
    for queryset, _ in steps:
        found = queryset.count()
        if found:
            counts[_label(queryset.model)] += found
    return counts


def steps_reseal(steps: list[Step], *, actor: Any) -> int:
    """Seal again, in the audit log, each sealed record the steps erased (audit/seals.py):
    disposal is the one change the product makes to a signed decision, and the entry that
    records it carries the hash of what is left, so `audit verify` still holds the record
    to it. Called after `steps_apply`, in the same transaction; returns how many."""
    records: dict[tuple[type[Model], int], Model] = {}
    for queryset, _ in steps:
        if queryset.model is Decision:
            for decision in queryset.filter(status=Status.SIGNED):
                records[(Decision, decision.pk)] = decision
        elif queryset.model in (Disclosure, DisclosureItem, IdentityRelease):
            ids = (
                queryset.values("pk")
                if queryset.model is Disclosure
                else queryset.values("disclosure_id")
            )
            for disclosure in Disclosure.objects.filter(pk__in=ids, acknowledged_at__isnull=False):
                records[(Disclosure, disclosure.pk)] = disclosure
    for (model, pk), record in records.items():
        verb = ERASE_VERB if model is Decision else DISCLOSURE_ERASE_VERB
        audit_append(
            actor=actor,
            verb=verb,
            obj=record,
            details=seal_details(str(model._meta.model_name), pk),
        )
    return len(records)


def steps_apply(steps: list[Step]) -> Counter[str]:
    """Erase: run each step in the caller's transaction; how many rows of each table."""
    if not connection.in_atomic_block:
        raise RuntimeError("disposal erases only inside the caller's transaction")
    counts: Counter[str] = Counter()
    for queryset, values in steps:
        if values == DELETE:
            changed = queryset.count()
            queryset.delete()
        else:
            # A sealed record (a signed decision, an acknowledged disclosure and what it
            # shared) is never changed, save by disposal at the end of its retention: the
            # one sanctioned way to lift its trigger, inside this transaction only
            # (crypto.rotation; ADR 15). `steps_reseal` then seals what is left.
            assert isinstance(values, dict)
            with sealed_updates_allowed(connection, queryset.model._meta.db_table):
                changed = queryset.update(**values)
        if changed:
            counts[_label(queryset.model)] += changed
    return counts
