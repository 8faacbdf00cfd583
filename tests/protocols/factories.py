"""Protocols for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sharewise.agencies.models import Agency
from sharewise.protocols.models import Protocol
from sharewise.protocols.services import (
    ProtocolTerms,
    protocol_create,
    protocol_sign,
    protocol_submit,
)
from tests.factories import Personas


@dataclass
class World:
    people: Personas
    agency_c: Agency
    lead_c: Any
    practitioner_c: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.people, name)


def terms(
    parties: list[Agency],
    *,
    title: str = "Safeguarding children: GP and children's social care",
    purposes: tuple[str, ...] = (
        "Referring safeguarding concerns about children to children's social care",
    ),
    review_date: dt.date | None = None,
) -> ProtocolTerms:
    return ProtocolTerms(
        title=title,
        party_ids=[a.pk for a in parties],
        purposes=purposes,
        data_items=["Name, date of birth and address", "The concern and what was seen"],
        article6_bases=["public_task"],
        special_category_conditions=["safeguarding"],
        retention="Kept with the child's record until the child is 25",
        security="Through Sharewise or secure email only",
        individuals_rights="Requests go to each agency's data protection officer",
        review_date=review_date or timezone.localdate() + dt.timedelta(days=365),
    )


def in_force(world: World, **kwargs: Any) -> Protocol:
    """A protocol between agencies A and C, signed by both leads."""
    protocol = protocol_create(
        user=world.admin, terms=terms([world.agency_a, world.agency_c], **kwargs)
    )
    protocol_submit(user=world.admin, protocol=protocol)
    protocol_sign(
        user=world.lead_a, protocol=protocol, signatory_name="Lee A", signatory_role="Named GP"
    )
    protocol_sign(
        user=world.lead_c,
        protocol=protocol,
        signatory_name="Cat C",
        signatory_role="Head of service",
    )
    protocol.refresh_from_db()
    return protocol
