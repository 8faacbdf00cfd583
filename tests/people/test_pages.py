"""Adding a person, assessing competence and capacity, recording consent: through the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from sharewise.consents.models import ConsentRecord
from sharewise.people.models import Person, years_before
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return personas()


@pytest.fixture
def client_a(world, sign_in) -> Client:
    client = Client()
    sign_in(client, world.practitioner_a)
    return client


def test_add_a_person_with_checked_identifiers(world, client_a) -> None:
    bad = client_a.post(
        "/people/new/", {"given_name": "Siân", "family_name": "Llŷr", "nhs_number": "943 476 5918"}
    )
    assert bad.status_code == 400
    assert "This is not a valid NHS number" in bad.content.decode()
    assert not Person.objects.exists()
    good = client_a.post(
        "/people/new/",
        {
            "given_name": "Siân",
            "family_name": "Llŷr 🌼",
            "nhs_number": "943 476 5919",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "2015",
            "aliases": "Sia\nSiân Jones",
        },
    )
    assert good.status_code == 302
    person = Person.objects.get()
    assert (person.agency, person.family_name, person.nhs_number) == (
        world.agency_a,
        "Llŷr 🌼",
        "9434765919",
    )
    assert "Llŷr 🌼" in client_a.get(good["Location"]).content.decode()
    assert client_a.get("/people/?q=Sia").content.decode().count("Llŷr") == 1


def test_a_date_that_does_not_exist_is_explained(client_a) -> None:
    response = client_a.post(
        "/people/new/",
        {
            "given_name": "Ben",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2020",
        },
    )
    assert response.status_code == 400
    assert "The date of birth must be a real date" in response.content.decode()


def test_competence_and_consent_make_the_consent_that_counts(world, client_a) -> None:
    natasha = PersonFactory(
        agency=world.agency_a, given_name="Natasha", created_by=world.practitioner_a
    )
    natasha.date_of_birth = years_before(natasha.date_of_birth, 7)  # 14
    natasha.save()
    assert "Assess competence to consent" in client_a.get(f"/people/{natasha.pk}/").content.decode()
    assert client_a.post(f"/people/{natasha.pk}/competence/new/", {}).status_code == 400
    assessed = client_a.post(
        f"/people/{natasha.pk}/competence/new/",
        {**{f"criterion-{i}": "yes" for i in range(8)}, "competent": "yes"},
    )
    assert assessed.status_code == 302
    refused = client_a.post(
        f"/people/{natasha.pk}/consents/new/", {"given_by": "subject", "response": "refused"}
    )
    assert refused.status_code == 302
    page = client_a.get(f"/people/{natasha.pk}/").content.decode()
    assert "Refused (subject)" in page
    assert "even if a parent or carer disagrees" in page


def test_consent_given_must_be_informed_and_scoped(world, client_a) -> None:
    kate = PersonFactory(agency=world.agency_a, given_name="Kate", created_by=world.practitioner_a)
    response = client_a.post(
        f"/people/{kate.pk}/consents/new/", {"given_by": "subject", "response": "given"}
    )
    assert response.status_code == 400
    assert "Consent is informed only when the person understood" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_capacity_assessment(world, client_a) -> None:
    adult = PersonFactory(
        agency=world.agency_a, given_name="Maggie", created_by=world.practitioner_a
    )
    adult.date_of_birth = years_before(adult.date_of_birth, 20)
    adult.save()
    missing = client_a.post(f"/people/{adult.pk}/capacity/new/", {"lacks_capacity": "no"})
    assert missing.status_code == 400 and "Say which decision" in missing.content.decode()
    done = client_a.post(
        f"/people/{adult.pk}/capacity/new/",
        {"lacks_capacity": "no", "decision": "Sharing with housing"},
    )
    assert done.status_code == 302
    assert "Has capacity" in client_a.get(f"/people/{adult.pk}/").content.decode()


def test_another_agency_cannot_add_to_or_read_a_record(world, sign_in) -> None:
    helen = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    other = Client()
    sign_in(other, world.practitioner_b)
    assert other.get(f"/people/{helen.pk}/").status_code == 404
    assert (
        other.post(
            f"/people/{helen.pk}/consents/new/", {"given_by": "subject", "response": "refused"}
        ).status_code
        == 404
    )
    assert (
        other.post(f"/people/{helen.pk}/competence/new/", {"competent": "yes"}).status_code == 404
    )
    assert helen.full_name not in other.get("/people/").content.decode()


def test_an_auditor_reads_records_but_adds_nothing(world, sign_in) -> None:
    helen = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    auditor = Client()
    sign_in(auditor, world.auditor_a)
    assert auditor.get(f"/people/{helen.pk}/").status_code == 200
    refused = auditor.post(
        f"/people/{helen.pk}/consents/new/",
        {"given_by": "subject", "response": "refused"},
    )
    assert refused.status_code == 403
    assert auditor.post("/people/new/", {"given_name": "New"}).status_code == 403
    assert not ConsentRecord.objects.exists()
    assert Person.objects.count() == 1
