"""The services of requests for information: the one write path of the web and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.agencies.models import AgencyKind, Role
from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Decision
from sharewise.requests import selectors, services
from sharewise.requests.models import RequestResponse, Status
from sharewise.requests.services import RequestDetails
from tests.factories import AgencyFactory, member

from .conftest import NOT_SHARE_ANSWERS, SHARE_ANSWERS, decide, fresh, send

pytestmark = pytest.mark.django_db


def test_a_statutory_request_from_the_police_is_marked_as_made_by_that_partner(world) -> None:
    sent = send(world, statutory=True)
    # Agency B is a police force: the partner of section 16E it requests as.
    assert (sent.statutory, sent.safeguarding_partner) == (True, "police")
    assert not send(world).statutory


def test_a_statutory_request_needs_its_safeguarding_partner(world, child) -> None:
    # A GP practice is no safeguarding partner of its own kind: it must say which it acts for.
    gp = AgencyFactory(kind=AgencyKind.GP_PRACTICE)
    user = member(gp)
    with pytest.raises(ServiceError) as refused:
        services.request_send(
            user=user,
            from_agency=gp,
            to_agency=world.agency_a,
            details=RequestDetails(
                requester_role="GP",
                subject_name="Helen Marsh",
                information_requested="x",
                purpose="y",
                necessity="z",
                lawful_basis="Public task",
                statutory=True,
            ),
        )
    assert refused.value.field == "safeguarding_partner"
    recorded = services.request_record(
        user=world.practitioner_a,
        agency=world.agency_a,
        channel="phone",
        requester_name="Sam Lee",
        requester_agency_name="Northtown Children's Services",
        details=RequestDetails(
            requester_role="Social worker",
            subject_name="Helen Marsh",
            information_requested="Attendance",
            purpose="Section 47 enquiry",
            necessity="To assess risk",
            statutory=True,
            safeguarding_partner="local_authority",
        ),
    )
    assert recorded.statutory and recorded.get_safeguarding_partner_display() == (
        "The local authority"
    )


def test_a_request_says_what_for_why_necessary_and_on_what_basis(world) -> None:
    for field in ("purpose", "necessity", "lawful_basis", "information_requested"):
        with pytest.raises(ServiceError) as refused:
            send(world, **{field: " "})
        assert refused.value.field == field
    with pytest.raises(ServiceError) as bad_nhs:
        send(world, subject_nhs_number="943 476 5918")
    assert bad_nhs.value.field == "subject_nhs_number"
    with pytest.raises(ServiceError) as own:
        send(world, to_agency=world.agency_b)
    assert own.value.field == "to_agency"


def test_urgency_sets_the_due_date(world) -> None:
    today = timezone.localdate()
    assert send(world, urgency="immediate").due_on == today
    assert send(world, urgency="within_24_hours").due_on == today + dt.timedelta(days=1)
    later = today + dt.timedelta(days=10)
    assert send(world, urgency="routine", due_on=later).due_on == later


def test_only_a_member_of_the_sending_agency_sends_and_an_auditor_cannot(world) -> None:
    with pytest.raises(NotFound):
        send(world, user=world.practitioner_a)
    auditor_b = member(world.agency_b, Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        send(world, user=auditor_b)


def test_the_decision_starts_filled_in_from_the_request(world, child) -> None:
    sent = send(world)
    with pytest.raises(ServiceError) as unmatched:
        services.request_decision_start(user=world.practitioner_a, info_request=sent)
    assert unmatched.value.field == "person_id"
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    decision = services.request_decision_start(
        user=world.practitioner_a, info_request=sent, pack_id="hmg-2008"
    )
    assert decision.person == child and decision.agency == world.agency_a
    assert decision.purpose == sent.purpose
    assert decision.recipient == "practitioner_b, Detective constable, Northtown Police"
    assert decision.information == ["Attendance at appointments since January", "Injuries seen"]
    sent = fresh(sent)
    assert (sent.status, sent.decision) == (Status.IN_PROGRESS, decision)
    with pytest.raises(ServiceError):
        services.request_decision_start(user=world.practitioner_a, info_request=sent)


def test_a_decision_not_to_share_is_told_to_the_requester_with_reasons(world, child) -> None:
    sent = send(world)
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    decision = decide(world, sent, NOT_SHARE_ANSWERS, details=False)
    assert decision.outcome == "do_not_share"
    assert selectors.response_outcome_for_decision(decision) == "not_shared"
    draft = selectors.response_reasons_draft(decision)
    assert draft.startswith("The information will not be shared.")
    # The requester is told what was decided, never more.
    with pytest.raises(ServiceError) as wrong:
        services.request_respond(
            user=world.practitioner_a, info_request=sent, outcome="shared", reasons="Sharing"
        )
    assert wrong.value.field == "outcome"
    with pytest.raises(ServiceError) as no_reasons:
        services.request_respond(
            user=world.practitioner_a, info_request=sent, outcome="not_shared", reasons=" "
        )
    assert no_reasons.value.field == "reasons"
    response = services.request_respond(
        user=world.practitioner_a,
        info_request=sent,
        outcome="not_shared",
        reasons="The practice holds nothing relevant to a strategy discussion.",
    )
    assert (response.told_via, response.decision) == ("sharewise", decision)
    assert fresh(sent).status == Status.ANSWERED
    # The requester sees it on their request: outcome and reasons.
    seen = selectors.request_get_for_user(user=world.practitioner_b, info_request_id=sent.pk)
    history = selectors.request_history(info_request=seen)
    assert [(h.kind, h.response.outcome if h.response else None) for h in history] == [
        ("response", "not_shared")
    ]
    assert "holds nothing relevant" in history[0].response.reasons  # type: ignore[union-attr]


def test_no_response_before_the_decision_is_signed(world, child) -> None:
    sent = send(world)
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    services.request_decision_start(
        user=world.practitioner_a, info_request=sent, pack_id="hmg-2008"
    )
    with pytest.raises(ServiceError) as unsigned:
        services.request_respond(
            user=world.practitioner_a, info_request=sent, outcome="not_yet", reasons="Soon"
        )
    assert "Sign the decision" in unsigned.value.message


def test_a_reply_reopens_the_request_and_keeps_the_history(world, child) -> None:
    sent = send(world)
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    first = decide(world, sent, NOT_SHARE_ANSWERS, details=False)
    services.request_respond(
        user=world.practitioner_a, info_request=sent, outcome="not_shared", reasons="Not needed"
    )
    # Only the requester replies to a request it sent through Sharewise.
    with pytest.raises(PermissionDenied):
        services.request_reply(
            user=world.practitioner_a, info_request=sent, information="Something"
        )
    reply = services.request_reply(
        user=world.practitioner_b,
        info_request=sent,
        information="The school now reports a second injury, to the face.",
    )
    sent = fresh(sent)
    assert sent.status == Status.REOPENED and reply.channel == "sharewise"
    second = decide(world, sent, SHARE_ANSWERS, details=True)
    assert second.pk != first.pk and fresh(sent).decision == second
    services.request_respond(
        user=world.practitioner_a, info_request=sent, outcome="shared_in_part", reasons="Yes"
    )
    sent = fresh(sent)
    assert sent.status == Status.ANSWERED
    # Nothing overwritten: both responses, each with its own decision, and the reply.
    responses = list(RequestResponse.objects.filter(info_request=sent))
    assert [(r.outcome, r.decision_id) for r in responses] == [
        ("not_shared", first.pk),
        ("shared_in_part", second.pk),
    ]
    kinds = [h.kind for h in selectors.request_history(info_request=sent)]
    assert kinds == ["response", "reply", "response"]
    # Both decisions say they answer the request.
    for decision in (first, second):
        found = selectors.requests_answered_by_decision(user=world.lead_a, decision=decision)
        assert list(found) == [sent]


def test_agency_c_sees_nothing(world, child) -> None:
    sent = send(world)
    agency_c = AgencyFactory(kind=AgencyKind.HOUSING)
    charlie = member(agency_c, Role.SAFEGUARDING_LEAD)
    for outsider in (charlie, world.outsider, world.admin):
        with pytest.raises(NotFound):
            selectors.request_get_for_user(user=outsider, info_request_id=sent.pk)
        assert not selectors.requests_for_user(user=outsider).exists()
    with pytest.raises(NotFound):
        services.request_close(user=charlie, info_request=sent, reason="Not ours")
    with pytest.raises(NotFound):
        services.request_reply(user=charlie, info_request=sent, information="x")


def test_the_requester_cannot_match_decide_or_respond(world, child) -> None:
    sent = send(world)
    with pytest.raises(PermissionDenied):
        services.request_match(user=world.practitioner_b, info_request=sent, person=child)
    with pytest.raises(PermissionDenied):
        services.request_decision_start(user=world.practitioner_b, info_request=sent)
    with pytest.raises(PermissionDenied):
        selectors.people_to_match(user=world.practitioner_b, info_request=sent)
    with pytest.raises(PermissionDenied):
        services.request_respond(
            user=world.practitioner_b, info_request=sent, outcome="shared", reasons="x"
        )
    # And an auditor of the agency asked reads but does not answer.
    with pytest.raises(PermissionDenied):
        services.request_match(user=world.auditor_a, info_request=sent, person=child)


def test_a_request_cannot_be_matched_to_another_agencys_person(world) -> None:
    from tests.factories import PersonFactory

    elsewhere = PersonFactory(agency=world.agency_b, created_by=world.practitioner_b)
    sent = send(world)
    with pytest.raises(NotFound):
        services.request_match(user=world.practitioner_a, info_request=sent, person=elsewhere)


def test_a_recorded_request_records_how_and_when_the_requester_was_told(world, child) -> None:
    recorded = services.request_record(
        user=world.practitioner_a,
        agency=world.agency_a,
        channel="letter",
        requester_name="Sam Lee",
        requester_agency_name="Northtown Homes",
        details=RequestDetails(
            requester_role="Housing officer",
            subject_name="Helen Marsh",
            information_requested="Any concerns",
            purpose="Tenancy support",
            necessity="To plan a visit",
        ),
    )
    assert recorded.from_agency is None and not recorded.through_sharewise
    services.request_match(user=world.practitioner_a, info_request=recorded, person=child)
    decide(world, recorded, NOT_SHARE_ANSWERS, details=False)
    with pytest.raises(ServiceError) as how:
        services.request_respond(
            user=world.practitioner_a, info_request=recorded, outcome="not_shared", reasons="No"
        )
    assert how.value.field == "told_via"
    with pytest.raises(ServiceError) as when:
        services.request_respond(
            user=world.practitioner_a,
            info_request=recorded,
            outcome="not_shared",
            reasons="No",
            told_via="phone",
        )
    assert when.value.field == "told_at"
    told_at = timezone.now() - dt.timedelta(hours=2)
    response = services.request_respond(
        user=world.practitioner_a,
        info_request=recorded,
        outcome="not_shared",
        reasons="No",
        told_via="phone",
        told_at=told_at,
    )
    assert (response.told_via, response.told_at) == ("phone", told_at)
    # The requester is not in Sharewise: the practice records their reply.
    reply = services.request_reply(
        user=world.practitioner_a,
        info_request=recorded,
        information="They now say there are rent arrears and a risk of eviction",
        channel="phone",
    )
    assert reply.channel == "phone" and fresh(recorded).status == Status.REOPENED


def test_close_and_withdraw(world, child) -> None:
    sent = send(world)
    with pytest.raises(PermissionDenied):
        services.request_close(user=world.auditor_a, info_request=sent, reason="x")
    withdrawn = services.request_close(
        user=world.practitioner_b, info_request=sent, reason="Resolved by the strategy meeting"
    )
    assert withdrawn.status == Status.WITHDRAWN
    with pytest.raises(ServiceError) as finished:
        services.request_reply(user=world.practitioner_b, info_request=sent, information="More")
    assert finished.value.field == "status"
    other = send(world)
    closed = services.request_close(
        user=world.lead_a, info_request=other, reason="The practice holds no record of her"
    )
    assert closed.status == Status.CLOSED and closed.closed_reason.startswith("The practice")


def test_every_write_is_audited(world, child) -> None:
    before = AuditEntry.objects.count()
    sent = send(world)
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    decide(world, sent, NOT_SHARE_ANSWERS, details=False)
    services.request_respond(
        user=world.practitioner_a, info_request=sent, outcome="not_shared", reasons="No"
    )
    services.request_reply(user=world.practitioner_b, info_request=sent, information="More")
    verbs = list(
        AuditEntry.objects.order_by("id")[before:].values_list("verb", "object_type", "actor")
    )
    ours = [(verb, actor) for verb, kind, actor in verbs if kind == "informationrequest"]
    assert ours == [
        ("request.send", world.practitioner_b.pk),
        ("request.match", world.practitioner_a.pk),
        ("request.decision", world.practitioner_a.pk),
        ("request.respond", world.practitioner_a.pk),
        ("request.reply", world.practitioner_b.pk),
    ]
    # The decision itself is audited by the decision services, as ever.
    assert Decision.objects.filter(person=child).count() == 1
