"""The pages of requests for information, as the agency asked, the requester and others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sharewise.agencies.models import AgencyKind, Role
from sharewise.audit.models import AuditEntry
from sharewise.decisions import services as decision_services
from sharewise.requests import services
from sharewise.requests.models import InformationRequest, Status
from tests.factories import AgencyFactory, member

from .conftest import NOT_SHARE_ANSWERS, decide, fresh, send

pytestmark = pytest.mark.django_db


def client_as(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def detail_url(info_request) -> str:
    return reverse("requests:detail", args=[info_request.pk])


def test_the_police_send_a_statutory_request_through_the_page(world, child, sign_in) -> None:
    police = client_as(sign_in, world.practitioner_b)
    form = {
        "to_agency": str(world.agency_a.pk),
        "requester_role": "Detective constable",
        "subject_name": "Helen Marsh",
        "subject_date_of_birth-day": "3",
        "subject_date_of_birth-month": "4",
        "subject_date_of_birth-year": "2018",
        "information_requested": "Attendance",
        "purpose": "Strategy discussion",
        "necessity": "To assess risk",
        "lawful_basis": "Children Act 2004 section 16H",
        "urgency": "within_24_hours",
        "statutory": "yes",
    }
    missing = police.post(reverse("requests:send"), {**form, "necessity": ""})
    assert missing.status_code == 400
    assert "Say why the information is necessary" in missing.content.decode()
    response = police.post(reverse("requests:send"), form)
    assert response.status_code == 302
    sent = InformationRequest.objects.get()
    assert response["Location"] == detail_url(sent)
    assert (sent.statutory, sent.safeguarding_partner, sent.urgency) == (
        True,
        "police",
        "within_24_hours",
    )
    page = police.get(detail_url(sent)).content.decode()
    assert 'id="statutory-tag"' in page and "section 16H of the Children Act 2004" in page


def test_a_request_received_by_phone_is_recorded(world, sign_in) -> None:
    practice = client_as(sign_in, world.practitioner_a)
    response = practice.post(
        reverse("requests:record"),
        {
            "requester_name": "Sam Lee",
            "requester_role": "Social worker",
            "requester_agency_name": "Northtown Children's Services",
            "channel": "phone",
            "subject_name": "Helen Marsh",
            "information_requested": "Attendance",
            "purpose": "Section 47 enquiry",
            "necessity": "To assess risk",
            "urgency": "immediate",
        },
    )
    assert response.status_code == 302
    recorded = InformationRequest.objects.get()
    assert (recorded.channel, recorded.to_agency, recorded.from_agency) == (
        "phone",
        world.agency_a,
        None,
    )


def test_the_requester_never_sees_the_practices_person_or_decision(world, child, sign_in) -> None:
    sent = send(world)
    services.request_match(user=world.practitioner_a, info_request=sent, person=child)
    decision = decide(world, sent, NOT_SHARE_ANSWERS, details=False)
    practice_page = client_as(sign_in, world.practitioner_a).get(detail_url(sent))
    practice_text = practice_page.content.decode()
    assert reverse("people:person_detail", args=[child.pk]) in practice_text
    assert reverse("decisions:detail", args=[decision.pk]) in practice_text
    police = client_as(sign_in, world.practitioner_b)
    page = police.get(detail_url(sent))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Attendance at appointments since January" in text
    for secret in (
        child.case_reference,
        child.address,
        reverse("people:person_detail", args=[child.pk]),
        reverse("decisions:detail", args=[decision.pk]),
        "Your agency's answer",
    ):
        assert secret not in text
    # Nor the pages where the practice works on it, nor the decision itself.
    assert police.get(reverse("requests:match", args=[sent.pk])).status_code == 403
    assert police.get(reverse("requests:respond", args=[sent.pk])).status_code == 403
    assert police.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404


def test_agency_c_and_the_outsider_find_nothing(world, child, sign_in) -> None:
    sent = send(world)
    charlie = member(AgencyFactory(kind=AgencyKind.HOUSING), Role.SAFEGUARDING_LEAD)
    for user in (charlie, world.outsider):
        client = client_as(sign_in, user)
        for name in ("detail", "match", "respond", "reply"):
            assert client.get(reverse(f"requests:{name}", args=[sent.pk])).status_code == 404
        assert client.post(reverse("requests:close", args=[sent.pk])).status_code == 404
    listing = client_as(sign_in, charlie).get(reverse("requests:list")).content.decode()
    assert "Helen Marsh" not in listing and 'id="no-incoming"' in listing


def test_from_request_to_decision_to_response_to_reply(world, child, sign_in) -> None:
    sent = send(world)
    practice = client_as(sign_in, world.practitioner_a)
    match_page = practice.get(reverse("requests:match", args=[sent.pk])).content.decode()
    # The NHS number given finds her among the practice's people.
    assert f'value="{child.pk}"' in match_page
    assert practice.post(
        reverse("requests:match", args=[sent.pk]), {"person_id": str(child.pk)}
    ).status_code == (302)
    page = practice.get(detail_url(sent)).content.decode()
    assert "Start a decision to answer this request" in page
    started = practice.post(reverse("requests:decision", args=[sent.pk]), {"pack_id": "hmg-2008"})
    decision = fresh(sent).decision
    assert decision is not None
    assert started["Location"] == reverse("decisions:question", args=[decision.pk, "purpose"])
    # The decision's page says which request it answers.
    decision_page = practice.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert f"request for information {sent.pk}</a> from Northtown Police" in decision_page
    decision = decision_services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=NOT_SHARE_ANSWERS
    )
    decision_services.decision_sign(user=world.practitioner_a, decision=decision)
    respond_url = reverse("requests:respond", args=[sent.pk])
    form = practice.get(respond_url).content.decode()
    # Filled in from the decision: not to share, and why.
    assert 'value="not_shared" checked' in form
    assert "The information will not be shared." in form
    told = practice.post(
        respond_url,
        {"outcome": "not_shared", "reasons": "Nothing held is relevant to the enquiry."},
    )
    assert told.status_code == 302 and fresh(sent).status == Status.ANSWERED
    police = client_as(sign_in, world.practitioner_b)
    police_page = police.get(detail_url(sent)).content.decode()
    assert "The information will not be shared" in police_page
    assert "Nothing held is relevant to the enquiry." in police_page
    # The practice cannot reply for the police; the police can.
    reply_url = reverse("requests:reply", args=[sent.pk])
    assert practice.get(reply_url).status_code == 403
    assert police.post(reply_url, {"information": ""}).status_code == 400
    replied = police.post(reply_url, {"information": "A second injury was reported today."})
    assert replied.status_code == 302 and fresh(sent).status == Status.REOPENED
    page = practice.get(detail_url(sent)).content.decode()
    assert "A second injury was reported today." in page
    assert "Start a decision to answer this request" in page


def test_reading_a_request_is_audited(world, child, sign_in) -> None:
    sent = send(world)
    client_as(sign_in, world.practitioner_b).get(detail_url(sent))
    client_as(sign_in, world.lead_a).get(reverse("requests:list"))
    entries = AuditEntry.objects.order_by("-id")[:2]
    assert [(e.verb, e.actor_id) for e in entries] == [
        ("request.list", world.lead_a.pk),
        ("request.view", world.practitioner_b.pk),
    ]
    assert entries[1].object_id == str(sent.pk)


def test_the_list_page_takes_a_bounded_number_of_queries(
    world, sign_in, django_assert_max_num_queries
) -> None:
    for _ in range(15):
        send(world, statutory=True)
    practice = client_as(sign_in, world.practitioner_a)
    with django_assert_max_num_queries(25):
        page = practice.get(reverse("requests:list"))
    assert page.content.decode().count("Statutory</strong>") == 15
