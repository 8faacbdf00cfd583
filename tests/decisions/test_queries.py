"""The number of SQL queries a page makes is bounded, whatever the size of the record:
a person with 200 decisions in their chronology costs no more queries than one with two."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.consents.services import consent_record
from sharewise.decisions import services
from tests.factories import PersonFactory, decisions_about, personas

pytestmark = pytest.mark.django_db

# 16 for the page, then 3 to append the audit entry of the view (lock the chain head,
# insert the entry, move the head), 1 to check whether to link to who has viewed it and 1
# for the multi-agency meetings the person was discussed at (followups).
PERSON_PAGE_QUERIES = 21
WIZARD_PAGE_QUERIES = 14


@pytest.mark.parametrize("decisions", [2, 200])
def test_the_person_page_query_count_does_not_grow(
    decisions, django_assert_max_num_queries, sign_in
) -> None:
    world = personas()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    for n in range(3):
        consent_record(
            user=world.practitioner_a,
            person=person,
            given_by="subject",
            response="refused",
            given_at=timezone.now() - timezone.timedelta(days=n + 1),
        )
    decisions_about(person, world.practitioner_a, decisions)
    client = Client()
    sign_in(client, world.practitioner_a)
    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    # The page opens with the newest 100 entries; the whole chronology is one link away.
    shown = page.count('href="/decisions/')
    assert shown == min(decisions, 100)
    assert ("Show the whole chronology" in page) is (decisions + 3 > 100)
    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        whole = client.get(f"/people/{person.pk}/?chronology=all").content.decode()
    assert whole.count('href="/decisions/') == decisions
    assert "Show the whole chronology" not in whole


def test_a_wizard_page_query_count(django_assert_max_num_queries, sign_in) -> None:
    world = personas()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = services.decision_start(
        user=world.practitioner_a, person=person, purpose="x", pack_id="hmg-2008"
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    with django_assert_max_num_queries(WIZARD_PAGE_QUERIES):
        page = client.get(f"/decisions/{decision.pk}/questions/purpose/")
    assert page.status_code == 200
    with django_assert_max_num_queries(WIZARD_PAGE_QUERIES + 4):
        answered = client.post(
            f"/decisions/{decision.pk}/questions/purpose/",
            {"purpose": "yes", "revision": decision.revision},
        )
    assert answered.status_code == 302


# One query to lock the decision, among the user's agencies, with its person, agency and
# users, one to save, three to append the audit entry (lock the chain head, insert the
# entry, move the head), and the savepoint and its release that the test's own transaction
# turns the service's transaction into. The user's agencies and roles were read once, when
# the same user object started the decision, and are not read again. Loading the person and
# the agency after the lock cost two more on every write, and reading the roles again one
# more (benchmarks/recording.py; docs/performance.md).
DECISION_WRITE_QUERIES = 7


def test_a_write_to_a_decision_loads_what_it_checks_with_the_lock(
    django_assert_num_queries,
) -> None:
    world = personas()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = services.decision_start(
        user=world.practitioner_a, person=person, purpose="x", pack_id="hmg-2008"
    )
    stale = type(decision).objects.get(pk=decision.pk)
    with django_assert_num_queries(DECISION_WRITE_QUERIES):
        answered = services.decision_answer(
            user=world.practitioner_a, decision=stale, answers={"purpose": "yes"}
        )
    # The response shows these: they came with the locked row, not from a query each.
    with django_assert_num_queries(0):
        assert (answered.agency.name, answered.person.agency.name) == (
            world.agency_a.name,
            world.agency_a.name,
        )
        assert answered.created_by.get_username() == "practitioner_a"
    assert answered.facts["purpose"] == "yes" and answered.revision == decision.revision + 1


def test_the_chronology_and_the_consent_that_counts_never_decrypt_consent_notes() -> None:
    from unittest import mock

    from sharewise.consents.selectors import consent_effective_for_person
    from sharewise.crypto import keyring
    from sharewise.decisions.selectors import chronology_for_person

    world = personas()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    for n in range(3):
        consent_record(
            user=world.practitioner_a,
            person=person,
            given_by="subject",
            response="given",
            informed_points=["why", "what", "who", "purpose", "implications"],
            purposes=["Referral to children's social care"],
            recipients=["Children's social care"],
            given_at=timezone.now() - timezone.timedelta(days=n + 1),
            notes=f"Said yes at the clinic, visit {n}",
        )
    with mock.patch.object(keyring, "decrypt", wraps=keyring.decrypt) as decrypt:
        entries = chronology_for_person(user=world.practitioner_a, person=person)
        effective, used = consent_effective_for_person(user=world.practitioner_a, person=person)
    assert decrypt.call_count == 0
    assert [e.kind for e in entries] == ["consent"] * 3
    # Helen is seven: whether her own consent counts turns on her competence (3.24).
    assert effective is not None and effective.consent == "ask" and len(used) == 3
    # The notes are still there for the pages that show them.
    assert {e.consent.notes for e in entries if e.consent} == {
        f"Said yes at the clinic, visit {n}" for n in range(3)
    }
