"""The guided decision in the browser's terms: one question a page, check your answers,
the outcome, sign, the record and its PDF."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sharewise.consents.services import consent_record
from sharewise.decisions.models import Decision, Status
from sharewise.people.services import competence_assess
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return personas()


@pytest.fixture
def helen(world):
    person = PersonFactory(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Carter",
        created_by=world.practitioner_a,
    )
    competence_assess(
        user=world.practitioner_a, person=person, criteria_met=[False] * 8, competent=False
    )
    consent_record(
        user=world.practitioner_a,
        person=person,
        given_by="parent",
        party="mother",
        response="refused",
    )
    return person


def _signed_in(user, sign_in) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html).group(1)


def test_helen_share_without_consent_refer_now(world, helen, sign_in) -> None:
    client = _signed_in(world.practitioner_a, sign_in)
    person_page = client.get(f"/people/{helen.pk}/")
    assert person_page.status_code == 200
    assert "Helen Carter" in person_page.content.decode()

    start = client.post(
        f"/people/{helen.pk}/decisions/new/",
        {
            "purpose": "Refer bruising to children's social care",
            "recipient": "children's social care",
            "pack_id": "hmg-2008",
        },
    )
    assert start.status_code == 302
    decision = Decision.objects.get(person=helen)
    # The consent question is answered from the records: the mother refused (3.26).
    assert decision.facts["consent"] == "refused"

    answers = {
        "purpose": "yes",
        "legal_requirement": "none",
        "identifiable": "yes",
        "confidential": "yes",
        "child_harm": "reasonable_cause",
        "reasons_not_to_seek_consent": "none",
    }
    url = start["Location"]
    pages = 0
    while "/questions/" in url:
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        fact = url.rstrip("/").split("/")[-1]
        # The guidance sits beside every question, and the refer-now banner appears as soon as
        # harm is known.
        assert "The guidance" in html
        response = client.post(url, {fact: answers[fact], "revision": _revision(html)})
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
        pages += 1
    assert pages == 6
    check = client.get(url)
    assert "Check your answers" in check.content.decode()
    assert "From the consent records" in check.content.decode()

    outcome_url = f"/decisions/{decision.pk}/outcome/"
    outcome = client.get(outcome_url).content.decode()
    assert "Refer now" in outcome and "Share without consent" in outcome
    incomplete = client.post(outcome_url, {"action": "sign", "revision": _revision(outcome)})
    assert incomplete.status_code == 400
    assert "Select the lawful basis for sharing" in incomplete.content.decode()
    signed = client.post(
        outcome_url,
        {
            "action": "sign",
            "revision": _revision(incomplete.content.decode()),
            "article6_basis": "public_task",
            "special_category_condition": "safeguarding",
            "paragraph18_reason": "would_prejudice_protection",
            "person_told": "yes",
        },
    )
    assert signed.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Status.SIGNED and decision.refer_now

    record = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Signed by practitioner_a" in record and "3.43" in record
    pdf = client.get(f"/decisions/{decision.pk}/decision.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # Another agency cannot open it, nor learn that it exists.
    other = _signed_in(world.practitioner_b, sign_in)
    assert other.get(f"/decisions/{decision.pk}/").status_code == 404
    assert other.get(f"/decisions/{decision.pk}/decision.pdf").status_code == 404
    assert other.get(f"/people/{helen.pk}/").status_code == 404


def test_a_judgement_page_requires_reasons(world, helen, sign_in) -> None:
    client = _signed_in(world.practitioner_a, sign_in)
    client.post(
        f"/people/{helen.pk}/decisions/new/",
        {"purpose": "To tell the school", "pack_id": "hmg-2008"},
    )
    decision = Decision.objects.get(person=helen)
    for fact, value in (
        ("purpose", "yes"),
        ("legal_requirement", "none"),
        ("identifiable", "yes"),
        ("confidential", "yes"),
        ("child_harm", "concern"),
        ("adult_harm", "none"),
        ("serious_crime", "no"),
    ):
        decision.refresh_from_db()
        client.post(
            f"/decisions/{decision.pk}/questions/{fact}/",
            {fact: value, "revision": decision.revision},
        )
    decision.refresh_from_db()
    page = client.get(f"/decisions/{decision.pk}/questions/public_interest/").content.decode()
    assert "How at risk is the young person?" in page and "Your reasons" in page
    refused = client.post(
        f"/decisions/{decision.pk}/questions/public_interest/",
        {"public_interest": "insufficient", "revision": decision.revision},
    )
    assert refused.status_code == 400
    assert "Enter the reasons for your judgement" in refused.content.decode()
    accepted = client.post(
        f"/decisions/{decision.pk}/questions/public_interest/",
        {
            "public_interest": "insufficient",
            "reasons": "Little benefit to Helen.",
            "revision": decision.revision,
            "proportionality-1": "No",
        },
    )
    assert accepted.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "do_not_share"
    assert decision.proportionality == [{"question": "Is the risk imminent?", "answer": "No"}]


def test_a_stale_page_does_not_overwrite(world, helen, sign_in) -> None:
    client = _signed_in(world.practitioner_a, sign_in)
    client.post(
        f"/people/{helen.pk}/decisions/new/",
        {"purpose": "To tell the school", "pack_id": "hmg-2008"},
    )
    decision = Decision.objects.get(person=helen)
    stale = decision.revision
    client.post(
        f"/decisions/{decision.pk}/questions/purpose/", {"purpose": "yes", "revision": stale}
    )
    conflict = client.post(
        f"/decisions/{decision.pk}/questions/purpose/", {"purpose": "no", "revision": stale}
    )
    assert conflict.status_code == 400
    assert "Someone else changed this decision" in conflict.content.decode()
    decision.refresh_from_db()
    assert decision.facts["purpose"] == "yes"


@pytest.mark.parametrize("revision", ["abc", "1.5", "-2"])
def test_a_revision_that_is_not_a_number_is_a_400_naming_it(
    world, helen, sign_in, revision: str
) -> None:
    client = _signed_in(world.practitioner_a, sign_in)
    client.post(
        f"/people/{helen.pk}/decisions/new/",
        {"purpose": "To tell the school", "pack_id": "hmg-2008"},
    )
    decision = Decision.objects.get(person=helen)
    question = client.post(
        f"/decisions/{decision.pk}/questions/purpose/", {"purpose": "yes", "revision": revision}
    )
    assert question.status_code == 400
    assert "The form&#x27;s &#x27;revision&#x27; is not a whole number" in question.content.decode()
    decision.refresh_from_db()
    assert "purpose" not in decision.facts
    # The outcome page's form says the same, and records nothing.
    client.post(
        f"/decisions/{decision.pk}/questions/purpose/",
        {"purpose": "no", "revision": decision.revision},
    )
    outcome = client.post(
        f"/decisions/{decision.pk}/outcome/", {"notes": "Kept", "revision": revision}
    )
    assert outcome.status_code == 400
    assert "is not a whole number" in outcome.content.decode()
    decision.refresh_from_db()
    assert decision.notes != "Kept"


def test_the_auditor_reads_but_cannot_decide(world, helen, sign_in) -> None:
    client = _signed_in(world.auditor_a, sign_in)
    assert client.get(f"/people/{helen.pk}/").status_code == 200
    assert client.post(f"/people/{helen.pk}/decisions/new/", {"purpose": "x"}).status_code == 403


def test_pages_need_a_signed_in_user(helen) -> None:
    response = Client().get(f"/people/{helen.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_duty_to_share_through_the_pages(world, helen, sign_in) -> None:
    # The pack that applies today to an agency in England (issue 7): the 2024 advice with
    # the duty of the Children Act 2004 s16LA, whose exception is a judgement the page
    # will not pass without reasons.
    client = _signed_in(world.practitioner_a, sign_in)
    start = client.post(
        f"/people/{helen.pk}/decisions/new/",
        {"purpose": "Tell the school about the bruising", "recipient": "Oakfield Primary"},
    )
    assert start.status_code == 302
    decision = Decision.objects.get(person=helen)
    assert decision.pack_id == "hmg-2024-duty"
    assert "England" in decision.pack_reason
    answers = {
        "purpose": "yes",
        "identifiable": "yes",
        "legal_requirement": "none",
        "duty_sender_bound": "yes",
        "duty_recipient_bound": "yes",
        "duty_relevant": "yes",
        "duty_detriment": "not_more_detrimental",
        # Asked before the duty's outcome (golden rule 1): bruising on a seven-year-old is
        # reasonable cause to believe she is at risk, so the adult is not asked about.
        "child_harm": "reasonable_cause",
        "reasons_not_to_seek_consent": "none",
    }
    url = start["Location"]
    asked = []
    while "/questions/" in url:
        html = client.get(url).content.decode()
        fact = url.rstrip("/").split("/")[-1]
        asked.append(fact)
        form = {fact: answers[fact], "revision": _revision(html)}
        if fact == "duty_detriment":
            refused = client.post(url, form)
            assert refused.status_code == 400
            html = refused.content.decode()
            form = {
                **form,
                "revision": _revision(html),
                "reasons": "Telling the school lets them support her; nothing suggests harm.",
            }
        response = client.post(url, form)
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
    assert asked == list(answers)
    outcome = client.get(f"/decisions/{decision.pk}/outcome/").content.decode()
    assert "You must share: the statutory duty to share" in outcome
    assert "Refer now: follow your safeguarding procedures without delay" in outcome
    decision.refresh_from_db()
    assert (decision.outcome, decision.basis) == ("must_share", "legal_obligation")
    assert decision.refer_now
    assert decision.reasons["duty_detriment"].startswith("Telling the school")
