"""A relative only another agency holds is never shown (003 3.15): the person page, the API
and subject access read relationships through one selector (issue 16)."""

from __future__ import annotations

import pytest
from django.test import Client

from sharewise.agencies.models import Membership, Role
from sharewise.people.selectors import relationships_for_user
from sharewise.people.services import relationship_add
from sharewise.rights.selectors import subject_access_document
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    world = personas()
    # Someone who works in both agencies links A's child to a relative only B holds.
    both = world.practitioner_b
    Membership.objects.create(user=both, agency=world.agency_a, role=Role.PRACTITIONER)
    child = PersonFactory(agency=world.agency_a, given_name="Helen", created_by=both)
    father = PersonFactory(agency=world.agency_b, given_name="Secretfather", created_by=both)
    mother = PersonFactory(agency=world.agency_a, given_name="Knownmother", created_by=both)
    relationship_add(user=both, person=child, relative=father, kind="parent", party="father")
    relationship_add(user=both, person=child, relative=mother, kind="parent", party="mother")
    return world, child, father, mother


def test_the_selector_shows_only_relatives_in_the_users_agencies(family) -> None:
    world, child, father, mother = family
    relatives, _ = relationships_for_user(user=world.practitioner_a, person=child)
    assert [r.relative for r in relatives] == [mother]
    # Someone in both agencies sees both.
    relatives, _ = relationships_for_user(user=world.practitioner_b, person=child)
    assert {r.relative for r in relatives} == {father, mother}


def test_the_person_page_does_not_name_the_other_agencys_relative(family, sign_in) -> None:
    world, child, _, _ = family
    client = Client()
    sign_in(client, world.practitioner_a)
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert "Knownmother" in page
    assert "Secretfather" not in page


def test_subject_access_does_not_name_the_other_agencys_relative(family) -> None:
    world, child, _, _ = family
    document = subject_access_document(user=world.lead_a, person=child)
    names = [row["name"] for row in document["relationships"]]
    assert any("Knownmother" in n for n in names)
    assert not any("Secretfather" in n for n in names)
