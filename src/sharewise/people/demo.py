"""The demo partnership's people, drawn from the eight case examples of 003 Appendix 3.

Loaded with the demo agencies and users (accounts.demo) when `sharewise serve` first runs
in demo mode. Everyone here is fictional; the situations are the guidance's own examples,
so a newcomer can work through a decision the guidance has already worked through.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.models import Agency, Membership, Role
from sharewise.consents.models import INFORMED_POINTS, ConsentRecord
from sharewise.people.identifiers import nhs_number_clean
from sharewise.people.models import (
    CompetenceAssessment,
    Person,
    Relationship,
    RelationshipKind,
    years_before,
)


def _nhs(stem: str) -> str:
    """A valid NHS number from nine digits, by adding its check digit. The demo numbers
    start 999, a range never issued to real patients."""
    total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        raise ValueError(f"{stem} has no valid check digit")
    return nhs_number_clean(stem + str(check))


def _years_ago(years: int, days: int = 0) -> dt.date:
    return years_before(timezone.localdate(), years) - dt.timedelta(days=days)


def _practitioner(agency: Agency) -> Any:
    membership = (
        Membership.objects.filter(agency=agency, role=Role.PRACTITIONER)
        .select_related("user")
        .first()
        or Membership.objects.filter(agency=agency).select_related("user").first()
    )
    if membership is None:
        raise ValueError(f"The demo agency {agency} has no users")
    return membership.user


def _person(agency: Agency, by: Any, given: str, family: str, **fields: Any) -> Person:
    return Person.objects.create(
        agency=agency, given_name=given, family_name=family, created_by=by, **fields
    )


def _parent(child: Person, parent: Person, party: str, *, lives_with: bool = True) -> None:
    Relationship.objects.create(
        person=child,
        relative=parent,
        kind=RelationshipKind.PARENT,
        party=party,
        parental_responsibility=True,
        lives_with=lives_with,
    )


def _consent(person: Person, by: Any, days_ago: int, **fields: Any) -> None:
    ConsentRecord.objects.create(
        agency=person.agency,
        person=person,
        recorded_by=by,
        given_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


@transaction.atomic
def demo_people_load() -> int:
    """Create the demo people in the demo agencies; returns how many were created."""
    agencies = {a.name: a for a in Agency.objects.all()}
    created = 0

    gp = agencies.get("Riverside GP Practice")
    if gp is not None:
        by = _practitioner(gp)
        # Case 6: Helen, 7, cerebral palsy, bruising; her mother refuses consent.
        helen = _person(
            gp,
            by,
            "Helen",
            "Carter",
            date_of_birth=_years_ago(7, 40),
            nhs_number=_nhs("999000001"),
            address="14 Mill Lane\nNorthtown",
            postcode="NT1 4ML",
        )
        mother = _person(
            gp,
            by,
            "Sarah",
            "Carter",
            date_of_birth=_years_ago(36),
            nhs_number=_nhs("999000002"),
            address="14 Mill Lane\nNorthtown",
            postcode="NT1 4ML",
        )
        _parent(helen, mother, "mother")
        CompetenceAssessment.objects.create(
            person=helen,
            criteria_met=[False] * 8,
            competent=False,
            assessed_by=by,
            notes="Helen has very little verbal communication; she could not take part in this decision.",
        )
        _consent(
            helen,
            by,
            1,
            given_by="parent",
            party="mother",
            response="refused",
            notes="Does not want children's social care involved: worried about losing respite care.",
        )
        # Case 7: Natasha, 14, judged Fraser competent, refuses to involve anyone.
        natasha = _person(
            gp,
            by,
            "Natasha",
            "Price",
            date_of_birth=_years_ago(14, 100),
            nhs_number=_nhs("999000003"),
        )
        CompetenceAssessment.objects.create(
            person=natasha, criteria_met=[True] * 8, competent=True, assessed_by=by
        )
        _consent(natasha, by, 3, given_by="subject", response="refused")
        created += 3

    school = agencies.get("Oakfield Primary School")
    if school is not None:
        by = _practitioner(school)
        # Case 3: Jack, 4, and Jenny, 6; their mother declines the school nurse's check.
        jack = _person(school, by, "Jack", "Wilson", date_of_birth=_years_ago(4, 200), upn="")
        jenny = _person(school, by, "Jenny", "Wilson", date_of_birth=_years_ago(6, 30))
        mum = _person(school, by, "Lisa", "Wilson", date_of_birth=_years_ago(31))
        for child in (jack, jenny):
            _parent(child, mum, "mother")
        Relationship.objects.create(person=jack, relative=jenny, kind=RelationshipKind.SIBLING)
        _consent(
            jack,
            by,
            10,
            given_by="parent",
            party="mother",
            response="refused",
            notes="Declined a check by the school nurse: 'he is fine'.",
        )
        created += 3

    health_visiting = agencies.get("Northtown Health Visiting Team")
    if health_visiting is not None:
        by = _practitioner(health_visiting)
        # Case 1: Kate agrees to the outreach worker contacting the midwife and housing.
        kate = _person(
            health_visiting,
            by,
            "Kate",
            "Morgan",
            date_of_birth=_years_ago(27),
            nhs_number=_nhs("999000004"),
        )
        _consent(
            kate,
            by,
            20,
            given_by="subject",
            response="given",
            informed_points=list(INFORMED_POINTS),
            purposes=["support for Kate and the children"],
            recipients=["midwife", "housing office", "health visitor"],
            information=["visit", "living conditions"],
        )
        # Case 2: Cathy gave consent for Ben's nursery, not for the health visitor.
        cathy = _person(
            health_visiting,
            by,
            "Cathy",
            "Evans",
            date_of_birth=_years_ago(19),
            nhs_number=_nhs("999000005"),
        )
        ben = _person(health_visiting, by, "Ben", "Evans", date_of_birth=_years_ago(3, 60))
        _parent(ben, cathy, "mother")
        _consent(
            ben,
            by,
            30,
            given_by="parent",
            party="mother",
            response="given",
            informed_points=list(INFORMED_POINTS),
            purposes=["Ben's nursery attendance"],
            recipients=["school nursery"],
            information=["attendance", "address"],
        )
        CompetenceAssessment.objects.create(
            person=ben, criteria_met=[False] * 8, competent=False, assessed_by=by
        )
        created += 3

    social_care = agencies.get("Northtown Children's Social Care")
    if social_care is not None:
        by = _practitioner(social_care)
        # Case 8: Maggie is pregnant by Mark, known for violence towards his children.
        maggie = _person(
            social_care,
            by,
            "Maggie",
            "Lewis",
            date_of_birth=_years_ago(24),
            nhs_number=_nhs("999000006"),
        )
        unborn = _person(
            social_care,
            by,
            "Baby",
            "Lewis",
            expected_date_of_birth=timezone.localdate() + dt.timedelta(days=90),
        )
        _parent(unborn, maggie, "mother")
        created += 2

    police = agencies.get("Northtown Police")
    if police is not None:
        by = _practitioner(police)
        # Case 4: Jackie, Brett and Connor, picked up for stealing sweets and truanting.
        parent = _person(police, by, "Dawn", "Hughes", date_of_birth=_years_ago(41))
        for given, years in (("Jackie", 15), ("Brett", 14), ("Connor", 10)):
            child = _person(police, by, given, "Hughes", date_of_birth=_years_ago(years, 50))
            _parent(child, parent, "mother")
            created += 1
        created += 1
    return created
