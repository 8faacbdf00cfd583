"""The register of information sharing protocols over the API: list, read, draft, submit
for sign-off, and sign for a party.

Each handler calls the service the web pages call (`sharewise.protocols.services`), which
checks the token user's roles: partnership administrators manage the register, managers
and safeguarding leads sign for their agency, and a protocol the user's agencies are not
party to is "not found". A protocol is supporting information, never a condition of a
share (001 question 13).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sharewise.agencies.models import Agency
from sharewise.common import ServiceError
from sharewise.protocols.models import Protocol
from sharewise.protocols.selectors import (
    protocol_get_for_admin,
    protocol_get_for_user,
    protocols_for_user,
)
from sharewise.protocols.services import (
    ProtocolTerms,
    protocol_create,
    protocol_sign,
    protocol_submit,
)
from sharewise.web.access import (
    API_ANY_TOKEN,
    API_PROTOCOL_ADMIN,
    API_PROTOCOL_READ,
    API_PROTOCOL_SIGN,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import StrictInput
from .shared import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["Information sharing protocols"])


class PartyOut(Schema):
    id: int
    name: str
    kind: str


class SignatureOut(Schema):
    agency_id: int
    signatory_name: str
    signatory_role: str
    signed_on: dt.date


class ProtocolOut(Schema):
    id: int
    title: str
    version: int
    status: str = Field(description="draft, awaiting_signoff, in_force, superseded or withdrawn")
    state: str = Field(
        description="The status, with in_force told apart as past_review once the review date has passed"
    )
    parties: list[PartyOut]
    purposes: list[str]
    data_items: list[str]
    article6_bases: list[str] = Field(
        description="UK GDPR Article 6(1) bases, as decisions name them"
    )
    special_category_conditions: list[str] = Field(
        description="Article 9 / DPA 2018 Schedule 1 conditions, as decisions name them; "
        "not_special when none is shared"
    )
    legal_powers: str
    retention: str
    security: str
    individuals_rights: str
    review_date: dt.date | None
    signatures: list[SignatureOut]
    supersedes_id: int | None
    in_force_at: dt.datetime | None

    @staticmethod
    def resolve_state(protocol: Protocol) -> str:
        return str(protocol.state)

    @staticmethod
    def resolve_parties(protocol: Protocol) -> list[Agency]:
        return list(protocol.parties.all())

    @staticmethod
    def resolve_signatures(protocol: Protocol) -> list[Any]:
        return list(protocol.signatures.all())


class ProtocolIn(StrictInput):
    title: str
    parties: list[int] = Field(default_factory=list, description="The agencies' ids")
    purposes: list[str] = Field(default_factory=list)
    data_items: list[str] = Field(default_factory=list)
    article6_bases: list[str] = Field(default_factory=list)
    special_category_conditions: list[str] = Field(default_factory=list)
    legal_powers: str = ""
    retention: str = ""
    security: str = ""
    individuals_rights: str = ""
    # A date travels in JSON as text ("2027-03-31"), which strict mode would refuse.
    review_date: dt.date | None = Field(None, strict=False)


class SignatureIn(StrictInput):
    signatory_name: str
    signatory_role: str
    agency_id: int | None = Field(
        None, description="The party signed for; needed only if you may sign for several"
    )
    signed_on: dt.date | None = Field(None, strict=False, description="Today if left out")


def _reloaded(user: Any, protocol: Protocol) -> Protocol:
    # With its parties and signatures, as the user may now see them.
    return protocol_get_for_user(user=user, protocol_id=protocol.pk)


@router.get(
    "/protocols",
    response={200: list[ProtocolOut], 401: ErrorOut},
    summary="The protocols you may read",
    description="Every protocol for a partnership administrator; otherwise those your "
    "agencies are party to, once they have left draft.",
)
@access(API_ANY_TOKEN)
def protocol_list_endpoint(request: HttpRequest) -> Any:
    return list(protocols_for_user(user=token_user(request)).order_by("title", "-version"))


@router.get(
    "/protocols/{protocol_id}",
    response={200: ProtocolOut, **READ_ERRORS},
    summary="One protocol",
)
@access(API_PROTOCOL_READ)
def protocol_detail_endpoint(request: HttpRequest, protocol_id: int) -> Any:
    return protocol_get_for_user(user=token_user(request), protocol_id=protocol_id)


@router.post(
    "/protocols",
    response={201: ProtocolOut, **WRITE_ERRORS},
    summary="Draft a protocol (partnership administrators)",
    description="A draft may be incomplete; submitting it for sign-off checks every "
    "heading of the ICO data sharing code.",
)
@access(API_PROTOCOL_ADMIN)
def protocol_create_endpoint(request: HttpRequest, payload: ProtocolIn) -> Any:
    user = token_user(request)
    terms = ProtocolTerms(
        title=payload.title,
        party_ids=payload.parties,
        purposes=payload.purposes,
        data_items=payload.data_items,
        article6_bases=payload.article6_bases,
        special_category_conditions=payload.special_category_conditions,
        legal_powers=payload.legal_powers,
        retention=payload.retention,
        security=payload.security,
        individuals_rights=payload.individuals_rights,
        review_date=payload.review_date,
    )
    try:
        protocol = protocol_create(user=user, terms=terms)
    except ServiceError as exc:
        # The service names fields as the web form does; the API's body names two others.
        exc.field = {
            "article6": "article6_bases",
            "special_category": "special_category_conditions",
        }.get(exc.field or "", exc.field)
        raise
    return Status(201, _reloaded(user, protocol))


@router.post(
    "/protocols/{protocol_id}/submit",
    response={200: ProtocolOut, **WRITE_ERRORS},
    summary="Send a draft to the parties for sign-off (partnership administrators)",
)
@access(API_PROTOCOL_ADMIN)
def protocol_submit_endpoint(request: HttpRequest, protocol_id: int) -> Any:
    user = token_user(request)
    protocol = protocol_get_for_admin(user=user, protocol_id=protocol_id)
    return _reloaded(user, protocol_submit(user=user, protocol=protocol))


@router.post(
    "/protocols/{protocol_id}/signatures",
    response={201: ProtocolOut, **WRITE_ERRORS},
    summary="Sign a protocol for your agency",
    description="By a manager or safeguarding lead of a party agency. The protocol is in "
    "force once every party has signed; a new version then supersedes the one it revises.",
)
@access(API_PROTOCOL_SIGN)
def protocol_sign_endpoint(request: HttpRequest, protocol_id: int, payload: SignatureIn) -> Any:
    user = token_user(request)
    protocol = protocol_get_for_user(user=user, protocol_id=protocol_id)
    agency = None
    if payload.agency_id is not None:
        agency = next((a for a in protocol.parties.all() if a.pk == payload.agency_id), None)
        if agency is None:
            raise ServiceError("That agency is not a party to this protocol", field="agency_id")
    try:
        protocol_sign(
            user=user,
            protocol=protocol,
            agency=agency,
            signatory_name=payload.signatory_name,
            signatory_role=payload.signatory_role,
            signed_on=payload.signed_on,
        )
    except ServiceError as exc:
        if exc.field == "agency":
            exc.field = "agency_id"
        raise
    return Status(201, _reloaded(user, protocol))
