"""A known set of records, made through the real services at known times, for the
monitoring figures to be checked against.

Agency A (the personas' GP practice), in 2026, signed by practitioner A (team "Front
door") unless said otherwise:

- D1, 10 January: share without consent (public interest; public task)
- D3, 12 January: the same, answering a request received on 2 January (10 days)
- D2, 20 January: do not share (no clear purpose)
- D4, 5 February: share with consent (consent), by safeguarding lead A (no team)
- D5, 6 February: must share (a statutory duty; legal obligation)
- D6, 2 March: share without consent, then corrected on 3 March by D7, do not share: only
  D7 counts
- D8: a draft, never counted
- a second request, received 1 February, not yet decided
- advice sent 2 February 10:00, answered 16:00 (6 hours); advice sent 3 February, waiting
- a follow-up of D1 due 1 February 2026, overdue; another due a month from today
- disclosures of D1 to practitioner B: sent 15 January, unread; sent 16 January,
  acknowledged
- a protocol in force between A and C due for review in 30 days; one in a year

Agency B (police): DB1, 11 January, share without consent, by practitioner B.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from sharewise.advice import services as advice_services
from sharewise.agencies.models import AgencyKind, Membership, Role, Team
from sharewise.decisions import services as decision_services
from sharewise.disclosures import services as disclosure_services
from sharewise.followups import services as followup_services
from sharewise.protocols.services import (
    ProtocolTerms,
    protocol_create,
    protocol_sign,
    protocol_submit,
)
from sharewise.requests import services as request_services
from sharewise.requests.services import RequestDetails
from tests.factories import AgencyFactory, Personas, PersonFactory, member, personas

UTC = dt.UTC

SHARE_WITHOUT_CONSENT: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
PUBLIC_TASK: dict[str, Any] = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}
SHARE_WITH_CONSENT: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "given",
    "consent_covers": "yes",
}
CONSENT: dict[str, Any] = {
    "article6_basis": "consent",
    "special_category_condition": "not_special",
    "person_told": "yes",
}
MUST_SHARE: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "statutory_duty",
    "reasons_not_to_seek_consent": [],
}
LEGAL_OBLIGATION: dict[str, Any] = {
    "article6_basis": "legal_obligation",
    "special_category_condition": "not_special",
    "person_told": "yes",
}
NOT_SHARE: dict[str, Any] = {"purpose": "no"}


def moment(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@contextmanager
def at(when: dt.datetime) -> Iterator[None]:
    """Run the services as if it were `when`: they and the models read the clock through
    django.utils.timezone.now."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


@dataclass
class Monitoring:
    people: Personas
    agency_c: Any
    team: Team
    child: Any
    child_b: Any
    decisions: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=dict)
    disclosures: dict[str, Any] = field(default_factory=dict)


def decide(
    user: Any,
    person: Any,
    when: dt.datetime,
    answers: dict[str, Any],
    details: dict[str, Any] | None,
    recipient: str = "Northtown Police",
) -> Any:
    with at(when):
        decision = decision_services.decision_start(
            user=user,
            person=person,
            purpose="Keep the child safe",
            recipient=recipient,
            pack_id="hmg-2008",
        )
        return _answer_and_sign(user, decision, answers, details)


def _answer_and_sign(
    user: Any, decision: Any, answers: dict[str, Any], details: dict[str, Any] | None
) -> Any:
    decision = decision_services.decision_answer(user=user, decision=decision, answers=answers)
    if details:
        decision = decision_services.decision_details_update(
            user=user, decision=decision, details=details
        )
    return decision_services.decision_sign(user=user, decision=decision)


def _request(m: Monitoring, received: dt.datetime) -> Any:
    p = m.people
    return request_services.request_record(
        user=p.practitioner_a,
        agency=p.agency_a,
        channel="phone",
        requester_name="DC Ward",
        requester_agency_name="Northtown Police",
        received_at=received,
        details=RequestDetails(
            requester_role="Detective constable",
            subject_name="Helen Marsh",
            information_requested="Attendance at appointments",
            purpose="A strategy discussion",
            necessity="To know whether injuries were seen before",
            lawful_basis="UK GDPR Article 6(1)(e)",
        ),
    )


def _terms(parties: list[int], review: dt.date) -> ProtocolTerms:
    return ProtocolTerms(
        title="Safeguarding children: referrals",
        party_ids=parties,
        purposes=["Referring safeguarding concerns"],
        data_items=["Name and the concern"],
        article6_bases=["public_task"],
        special_category_conditions=["safeguarding"],
        retention="Kept with the child's record",
        security="Sent through Sharewise only",
        individuals_rights="Requests go to each agency's data protection officer",
        review_date=review,
    )


def build_monitoring() -> Monitoring:
    p = personas()
    agency_c = AgencyFactory(name="Reports Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    team = Team.objects.create(agency=p.agency_a, name="Front door")
    Membership.objects.filter(user=p.practitioner_a, agency=p.agency_a).update(team=team)
    child = PersonFactory(agency=p.agency_a, created_by=p.practitioner_a, given_name="Jack")
    child_b = PersonFactory(agency=p.agency_b, created_by=p.practitioner_b, given_name="Zoe")
    m = Monitoring(p, agency_c, team, child, child_b)
    pa = p.practitioner_a
    d = m.decisions

    d["D1"] = decide(pa, child, moment(1, 10), SHARE_WITHOUT_CONSENT, PUBLIC_TASK)
    d["D2"] = decide(pa, child, moment(1, 20), NOT_SHARE, None)
    # The request of 2 January, matched and answered by D3, signed on 12 January.
    first = _request(m, moment(1, 2, 9))
    with at(moment(1, 3)):
        request_services.request_match(user=pa, info_request=first, person=child)
        d3 = request_services.request_decision_start(
            user=pa, info_request=first, pack_id="hmg-2008"
        )
    with at(moment(1, 12, 9)):
        d["D3"] = _answer_and_sign(pa, d3, SHARE_WITHOUT_CONSENT, PUBLIC_TASK)
    m.requests["first"] = first
    m.requests["second"] = _request(m, moment(2, 1, 9))
    d["D4"] = decide(p.lead_a, child, moment(2, 5), SHARE_WITH_CONSENT, CONSENT)
    d["D5"] = decide(pa, child, moment(2, 6), MUST_SHARE, LEGAL_OBLIGATION)
    d["D6"] = decide(pa, child, moment(3, 2), SHARE_WITHOUT_CONSENT, PUBLIC_TASK)
    with at(moment(3, 3)):
        correction = decision_services.decision_correct(user=pa, decision=d["D6"])
        d["D7"] = _answer_and_sign(pa, correction, NOT_SHARE, None)
    with at(moment(3, 5)):
        d["D8"] = decision_services.decision_start(
            user=pa, person=child, purpose="A draft", pack_id="hmg-2008"
        )
    d["DB1"] = decide(
        p.practitioner_b, child_b, moment(1, 11), SHARE_WITHOUT_CONSENT, PUBLIC_TASK, "CSC"
    )

    # Advice: one answered after six hours, one waiting.
    for day, answered in ((2, True), (3, False)):
        with at(moment(2, day)):
            advice = advice_services.advice_request_create(
                user=pa, text="A child in year 3 has bruises. Should I refer without consent?"
            )
            advice = advice_services.advice_request_send(
                user=pa, advice_request=advice, reviewed_text=advice.redacted_text
            )
        if answered:
            with at(moment(2, day, 16)):
                advice_services.advice_request_answer(
                    user=p.lead_a, advice_request=advice, answer="Refer now: 3.43 applies."
                )

    today = timezone.localdate()
    with at(moment(1, 10, 12)):
        followup_services.followup_agree(
            user=pa,
            decision=d["D1"],
            interval_days=None,
            first_due=dt.date(2026, 2, 1),
            trigger="Refer if the bruising recurs",
        )
    followup_services.followup_agree(
        user=pa,
        decision=d["D1"],
        interval_days=None,
        first_due=today + dt.timedelta(days=30),
        trigger="Refer if the bruising recurs",
    )

    for day, acknowledged in ((15, False), (16, True)):
        with at(moment(1, day)):
            disclosure = disclosure_services.disclosure_send(
                user=pa,
                decision=d["D1"],
                recipient_agency=p.agency_b,
                recipient_user=p.practitioner_b,
                channel="sharewise",
                items=[
                    disclosure_services.ItemInput(
                        text="Bruising seen on 8 January",
                        kind="fact",
                        source="Practice nurse",
                        dated=dt.date(2026, 1, 8),
                    )
                ],
            )
            if acknowledged:
                disclosure_services.disclosure_acknowledge(
                    user=p.practitioner_b, disclosure=disclosure
                )
        m.disclosures["acknowledged" if acknowledged else "waiting"] = disclosure

    lead_c = member(agency_c, Role.SAFEGUARDING_LEAD, "reports_lead_c")
    for review in (today + dt.timedelta(days=30), today + dt.timedelta(days=365)):
        protocol = protocol_create(user=p.admin, terms=_terms([p.agency_a.pk, agency_c.pk], review))
        protocol_submit(user=p.admin, protocol=protocol)
        for lead in (p.lead_a, lead_c):
            protocol_sign(
                user=lead, protocol=protocol, signatory_name="Lead", signatory_role="Lead"
            )
    return m


@pytest.fixture(scope="module")
def monitoring(django_db_setup: None, django_db_blocker: Any) -> Iterator[Monitoring]:
    # Made once for the module and rolled back at its end; each test runs in a savepoint
    # inside it, so the audit entries a page adds are gone before the next test.
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_monitoring()
        transaction.set_rollback(True)
