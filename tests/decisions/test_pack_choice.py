"""Which pack a new decision follows, why, and what the record says (issue 7, "Choosing and
comparing packs"): the agency's choice or the law in force where it works; the recognised
legitimate interest offered only to agencies that are not public authorities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.agencies.services import agency_settings_update
from sharewise.audit.models import AuditEntry
from sharewise.common import PermissionDenied, ServiceError
from sharewise.decisions import services
from sharewise.decisions.models import Decision
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db

# The law as it stood on the day the tests were written: the duty to share is in force.
AFTER_COMMENCEMENT = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


@pytest.fixture
def world():
    return personas()


@pytest.fixture
def person(world):
    return PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)


@pytest.fixture
def today_after_commencement(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AFTER_COMMENCEMENT)


def _start(world, person, **kwargs) -> Decision:
    return services.decision_start(
        user=world.practitioner_a, person=person, purpose="Tell the school", **kwargs
    )


def test_an_agency_in_england_follows_the_duty_to_share(
    world, person, today_after_commencement
) -> None:
    decision = _start(world, person)
    assert decision.pack_id == "hmg-2024-duty"
    assert "England" in decision.pack_reason and "hmg-2024" in decision.pack_reason
    # The first questions are the 2024 advice's; the duty's come after the law question.
    assert decision.facts == {"public_authority": "yes"}


def test_an_agency_in_wales_follows_the_2024_advice(
    world, person, today_after_commencement
) -> None:
    agency_settings_update(
        user=world.admin,
        agency=world.agency_a,
        country="wales",
        pack_id="",
        public_authority=True,
    )
    person.agency.refresh_from_db()
    decision = _start(world, person)
    assert decision.pack_id == "hmg-2024"
    assert "newest national guidance in force" in decision.pack_reason


def test_the_pack_an_administrator_set_applies(world, person, today_after_commencement) -> None:
    agency_settings_update(
        user=world.admin,
        agency=world.agency_a,
        country="england",
        pack_id="hmg-2018",
        public_authority=True,
    )
    person.agency.refresh_from_db()
    decision = _start(world, person)
    assert decision.pack_id == "hmg-2018"
    assert decision.pack_reason == "hmg-2018 is the pack your agency's administrator set."


def test_a_pack_picked_at_the_start_is_recorded_with_what_would_have_applied(
    world, person, today_after_commencement
) -> None:
    decision = _start(world, person, pack_id="hmg-2008")
    assert decision.pack_id == "hmg-2008"
    assert decision.pack_reason.startswith("hmg-2008 was chosen when the decision was started")
    assert "hmg-2024-duty would have applied" in decision.pack_reason


def test_a_pack_of_law_elsewhere_is_refused(world, person, today_after_commencement) -> None:
    world.agency_a.country = "scotland"
    world.agency_a.save()
    person.agency.refresh_from_db()
    with pytest.raises(ServiceError) as raised:
        _start(world, person, pack_id="hmg-2024-duty")
    assert raised.value.field == "pack_id" and "England" in raised.value.message


def test_only_an_administrator_sets_an_agency_s_pack(world) -> None:
    with pytest.raises(PermissionDenied):
        agency_settings_update(
            user=world.manager_a,
            agency=world.agency_a,
            country="england",
            pack_id="hmg-2018",
            public_authority=True,
        )


def test_an_overlay_cannot_be_set_for_an_agency_where_it_does_not_apply(world) -> None:
    with pytest.raises(ServiceError) as raised:
        agency_settings_update(
            user=world.admin,
            agency=world.agency_a,
            country="wales",
            pack_id="hmg-2024-duty",
            public_authority=True,
        )
    assert raised.value.field == "pack_id"
    world.agency_a.refresh_from_db()
    assert world.agency_a.country == "england" and world.agency_a.pack_id == ""


def test_changing_an_agency_s_settings_is_audited(world) -> None:
    agency_settings_update(
        user=world.admin,
        agency=world.agency_a,
        country="england",
        pack_id="hmg-2018",
        public_authority=False,
    )
    entry = AuditEntry.objects.filter(verb="agency.settings").latest("id")
    assert entry.details["before"]["pack_id"] == ""
    assert entry.details["after"] == {
        "country": "england",
        "pack_id": "hmg-2018",
        "public_authority": False,
    }


# The answers that bring the 2024 pack to the lawful basis question.
TO_LAWFUL_BASIS = {
    "purpose": "yes",
    "identifiable": "yes",
    "legal_requirement": "none",
    "child_harm": "concern",
    "adult_harm": "none",
    # Not confidential, so the duty of confidence is settled and the basis is asked next.
    "confidential": "no",
}


def _lawful_basis_page(world, person, sign_in, *, public_authority: bool) -> str:
    world.agency_a.public_authority = public_authority
    world.agency_a.save()
    person.agency.refresh_from_db()
    decision = _start(world, person, pack_id="hmg-2024")
    decision = services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=TO_LAWFUL_BASIS
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    response = client.get(f"/decisions/{decision.pk}/questions/lawful_basis/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_public_authority_is_not_offered_the_recognised_legitimate_interest(
    world, person, sign_in
) -> None:
    page = _lawful_basis_page(world, person, sign_in, public_authority=True)
    assert 'value="public_task"' in page
    assert 'value="recognised_legitimate_interest"' not in page


def test_a_voluntary_organisation_is_offered_the_recognised_legitimate_interest(
    world, person, sign_in
) -> None:
    page = _lawful_basis_page(world, person, sign_in, public_authority=False)
    assert 'value="recognised_legitimate_interest"' in page


def test_a_voluntary_organisation_shares_on_the_recognised_legitimate_interest(
    world, person
) -> None:
    world.agency_a.public_authority = False
    world.agency_a.save()
    person.agency.refresh_from_db()
    decision = _start(world, person, pack_id="hmg-2024")
    decision = services.decision_answer(
        user=world.practitioner_a,
        decision=decision,
        answers={
            **TO_LAWFUL_BASIS,
            "lawful_basis": "recognised_legitimate_interest",
            "reasons_not_to_seek_consent": [],
        },
        reasons={"lawful_basis": "Necessary so the school can support the child."},
    )
    assert decision.outcome == "share"
    assert decision.basis == "recognised_legitimate_interest"


def test_the_decision_page_links_its_answers_to_the_compare_page(world, person, sign_in) -> None:
    decision = _start(world, person, pack_id="hmg-2018")
    services.decision_answer(
        user=world.practitioner_a, decision=decision, answers={"purpose": "yes"}
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    page = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Why this pack:" in page
    assert "/packs/compare/?purpose=yes" in page


def test_the_start_page_says_which_packs_have_been_replaced(
    world, person, sign_in, today_after_commencement
) -> None:
    client = Client()
    sign_in(client, world.practitioner_a)
    page = client.get(f"/people/{person.pk}/decisions/new/").content.decode()
    hint = page.split('id="pack_id-hmg-2018"', 1)[1].split("</div>", 2)[0]
    assert "was replaced on 19 April 2024" in hint
    current = page.split('id="pack_id-hmg-2024"', 1)[1].split("</div>", 1)[0]
    assert "was replaced" not in current


def test_the_outcome_and_record_of_a_replaced_pack_say_so(
    world, person, sign_in, today_after_commencement
) -> None:
    decision = _start(world, person, pack_id="hmg-2018")
    decision = services.decision_answer(
        user=world.practitioner_a,
        decision=decision,
        answers={"purpose": "yes", "consent": "given", "consent_covers": "yes"},
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    outcome = client.get(f"/decisions/{decision.pk}/outcome/").content.decode()
    assert "was replaced on 19 April 2024" in outcome
    # Decided with consent before harm was asked: not assessed, never "No".
    assert "Not assessed" in outcome
    decision = services.decision_details_update(
        user=world.practitioner_a,
        decision=decision,
        details={
            "article6_basis": "consent",
            "special_category_condition": "not_special",
            "person_told": "yes",
        },
    )
    signed = services.decision_sign(user=world.practitioner_a, decision=decision)
    record = client.get(f"/decisions/{signed.pk}/").content.decode()
    assert "was replaced on 19 April 2024" in record
    assert "Not assessed" in record
