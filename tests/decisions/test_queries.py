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
    assert response.content.decode().count("/decisions/") >= decisions


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
