"""People and their consent records over the API, seen only by the agencies that hold
them (003 3.15): another agency's person is "not found", exactly as a missing one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.agencies.models import Membership, Role
from sharewise.consents.services import consent_record
from sharewise.guidance.consent import COMPETENCE_CRITERIA
from sharewise.people.models import years_before
from sharewise.people.services import competence_assess, person_create, relationship_add
from tests.factories import PersonFactory

NAMES = [
    ("Siân", "Llŷr"),
    ("Zażółć", "Gęślą"),
    ("لينا", "حداد"),
    ("Mia 🌈", "Star ✨"),
]


def _family(world):
    """Helen, 7, and her mother, in agency A; the mother refused consent (Appendix 3,
    case 6), and Helen is judged not competent to decide herself (3.24 to 3.26)."""
    user = world.practitioner_a
    helen = person_create(
        user=user,
        agency=world.agency_a,
        given_name="Helen",
        family_name="Ward",
        date_of_birth=years_before(timezone.localdate(), 7),
        aliases=["Nell"],
    )
    mother = person_create(
        user=user,
        agency=world.agency_a,
        given_name="Claire",
        family_name="Ward",
        date_of_birth=dt.date(1990, 5, 1),
    )
    relationship_add(
        user=user,
        person=helen,
        relative=mother,
        kind="parent",
        party="mother",
        parental_responsibility=True,
        lives_with=True,
    )
    competence_assess(
        user=user,
        person=helen,
        criteria_met=[False] * len(COMPETENCE_CRITERIA),
        competent=False,
    )
    consent_record(
        user=user,
        person=helen,
        given_by="parent",
        party="mother",
        response="refused",
        notes="Mother refused when asked at the school gate",
    )
    return helen, mother


def test_people_lists_only_the_users_agencies(world, api_as) -> None:
    helen, mother = _family(world)
    PersonFactory(agency=world.agency_b, given_name="Bob", created_by=world.practitioner_b)
    document = api_as(world.practitioner_a).get("/people").json()
    assert document["count"] == 2
    assert {p["id"] for p in document["items"]} == {helen.pk, mother.pk}
    assert document["items"][0]["agency"] == {"id": world.agency_a.pk, "name": world.agency_a.name}

    from_b = api_as(world.practitioner_b).get("/people").json()
    assert [p["given_name"] for p in from_b["items"]] == ["Bob"]
    assert api_as(world.outsider).get("/people").json() == {"items": [], "count": 0}


def test_people_are_paginated_and_searched(world, api_as, django_assert_max_num_queries) -> None:
    for n in range(7):
        PersonFactory(
            agency=world.agency_a, given_name=f"Child{n}", created_by=world.practitioner_a
        )
    client = api_as(world.practitioner_a)
    with django_assert_max_num_queries(6):
        page = client.get("/people", {"limit": 3, "offset": 3}).json()
    assert page["count"] == 7 and len(page["items"]) == 3
    assert client.get("/people", {"search": "Child4"}).json()["count"] == 1
    too_many = client.get("/people", {"limit": 500})
    assert too_many.status_code == 422
    assert too_many.json()["field"] == "limit"


def test_person_detail_with_aliases_and_relationships(world, api_as) -> None:
    helen, mother = _family(world)
    client = api_as(world.practitioner_a)
    document = client.get(f"/people/{helen.pk}").json()
    assert document["full_name"] == "Helen Ward"
    assert document["aliases"] == ["Nell"]
    assert document["relationships"] == [
        {
            "person_id": mother.pk,
            "name": "Claire Ward",
            "kind": "parent",
            "party": "mother",
            "parental_responsibility": True,
            "lives_with": True,
        }
    ]
    assert document["relative_of"] == []
    of_mother = client.get(f"/people/{mother.pk}").json()
    assert [(r["person_id"], r["kind"]) for r in of_mother["relative_of"]] == [(helen.pk, "parent")]


def test_consents_and_the_consent_that_counts(world, api_as) -> None:
    helen, _ = _family(world)
    document = api_as(world.practitioner_a).get(f"/people/{helen.pk}/consents").json()
    assert document["person_id"] == helen.pk
    [record] = document["records"]
    assert (record["given_by"], record["party"], record["response"]) == (
        "parent",
        "mother",
        "refused",
    )
    assert document["records_used"] == [record["id"]]
    # Helen is not competent, so her mother's refusal is the consent that counts (3.26).
    assert document["effective"]["consent"] == "refused"
    assert document["effective"]["whose"] == "parent"


def test_a_person_with_no_consent_records_has_no_effective_consent(world, api_as) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    document = api_as(world.practitioner_a).get(f"/people/{person.pk}/consents").json()
    assert document == {
        "person_id": person.pk,
        "records": [],
        "effective": None,
        "records_used": [],
    }


@pytest.mark.parametrize("suffix", ["", "/consents"])
def test_another_agencys_person_is_not_found_exactly_as_a_missing_one(
    world, api_as, suffix: str
) -> None:
    helen, _ = _family(world)
    officer_b = api_as(world.practitioner_b)
    theirs = officer_b.get(f"/people/{helen.pk}{suffix}")
    missing = officer_b.get(f"/people/{helen.pk + 1000}{suffix}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert set(theirs.json()) == {"error", "field"}
    assert "Helen" not in theirs.content.decode()
    assert api_as(world.outsider).get(f"/people/{helen.pk}{suffix}").status_code == 404


def test_a_path_id_that_is_not_a_number_is_422(world, api_as) -> None:
    response = api_as(world.practitioner_a).get("/people/helen")
    assert response.status_code == 422
    assert response.json()["field"] == "person_id"


def test_names_in_any_script_come_back_unchanged(world, api_as) -> None:
    people = {
        person_create(
            user=world.practitioner_a, agency=world.agency_a, given_name=given, family_name=family
        ).pk: (given, family)
        for given, family in NAMES
    }
    client = api_as(world.practitioner_a)
    response = client.get("/people")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    # Sent as UTF-8 rather than \u escapes, as `sharewise decide` prints.
    assert "Llŷr".encode() in response.content and "🌈".encode() in response.content
    listed = {p["id"]: (p["given_name"], p["family_name"]) for p in response.json()["items"]}
    assert listed == people
    for pk, (given, family) in people.items():
        detail = client.get(f"/people/{pk}").json()
        assert (detail["given_name"], detail["family_name"]) == (given, family)
    found = client.get("/people", {"search": "Llŷr"}).json()["items"]
    assert [p["given_name"] for p in found] == ["Siân"]


def test_a_proposed_share_is_checked_against_the_scope_of_consent(world, api_as) -> None:
    adult = person_create(
        user=world.practitioner_a,
        agency=world.agency_a,
        given_name="Kate",
        family_name="Price",
        date_of_birth=dt.date(1990, 1, 1),
    )
    consent_record(
        user=world.practitioner_a,
        person=adult,
        given_by="subject",
        response="given",
        informed_points=["why", "what", "who", "purpose", "implications"],
        purposes=["housing support"],
        recipients=["housing office"],
        information=["address"],
    )
    client = api_as(world.practitioner_a)
    covered = client.get(
        f"/people/{adult.pk}/consents",
        {"purpose": "housing support", "recipient": "Housing  Office", "information": "address"},
    ).json()["effective"]
    assert (covered["consent"], covered["consent_covers"]) == ("given", "yes")
    # A new recipient is outside what Kate agreed to (3.21): consent is sought again.
    elsewhere = client.get(
        f"/people/{adult.pk}/consents",
        {"purpose": "housing support", "recipient": "police", "information": ["address"]},
    ).json()["effective"]
    assert elsewhere["consent_covers"] == "no"
    assert [gap["part"] for gap in elsewhere["not_covered"]] == ["recipients"]


def test_a_relative_only_another_agency_holds_is_not_shown(world, api_as) -> None:
    # The same selector as the person page and subject access (003 3.15; issue 16).
    both = world.practitioner_b
    Membership.objects.create(user=both, agency=world.agency_a, role=Role.PRACTITIONER)
    child = PersonFactory(agency=world.agency_a, created_by=both)
    father = PersonFactory(agency=world.agency_b, given_name="Secretfather", created_by=both)
    relationship_add(user=both, person=child, relative=father, kind="parent", party="father")
    assert api_as(world.practitioner_a).get(f"/people/{child.pk}").json()["relationships"] == []
    shown = api_as(both).get(f"/people/{child.pk}").json()["relationships"]
    assert [r["person_id"] for r in shown] == [father.pk]
