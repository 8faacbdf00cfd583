"""The protocol tests' world: the usual personas, and a third agency C (children's social
care) with its own safeguarding lead and practitioner."""

from __future__ import annotations

import pytest

from sharewise.agencies.models import AgencyKind, Role
from tests.factories import AgencyFactory, member, personas
from tests.protocols.factories import World


@pytest.fixture
def world(db: None) -> World:
    people = personas()
    agency_c = AgencyFactory(
        name="Northtown Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    return World(
        people=people,
        agency_c=agency_c,
        lead_c=member(agency_c, Role.SAFEGUARDING_LEAD, "lead_c"),
        practitioner_c=member(agency_c, Role.PRACTITIONER, "practitioner_c"),
    )
