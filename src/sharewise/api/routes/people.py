"""People in the records of the token user's agencies, and their consent records.

Every read goes through a selector that filters by the user's agencies: a person of
another agency is "not found", exactly as one that does not exist (003 3.15).
"""

# No `from __future__ import annotations` here: ninja builds the query parameters of a
# paginated endpoint in its own module, where names imported here could not be resolved
# from strings.

from typing import Any

from django.http import HttpRequest
from ninja import Field, P, QueryEx, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from sharewise.audit.services import audit_append
from sharewise.people.selectors import person_list_for_user
from sharewise.web.access import API_AGENCY_READ, API_ANY_TOKEN, access

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import PersonConsentsOut, PersonDetailOut, PersonOut
from ..selectors import person_consents_for_user, person_detail_for_user
from .shared import MAX_OFFSET, READ_ERRORS

router = Router(tags=["People"])


class PeoplePagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=200, description="How many people to return (1 to 200)")
        # Bounded because the databases refuse an OFFSET beyond a 64-bit integer with an
        # error of their own (a 500); no agency holds two billion people.
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many to skip")


@router.get(
    "/people",
    response={200: list[PersonOut], 401: ErrorOut, 422: ErrorOut},
    summary="People in your agencies' records",
    description="Paginated with `limit` and `offset`; `count` is the number matching.",
)
@access(API_ANY_TOKEN)
@paginate(PeoplePagination)
def people_list(
    request: HttpRequest,
    search: QueryEx[
        str, P(description="Words to find in names, aliases, NHS number, UPN or case reference")
    ] = "",
) -> Any:
    return person_list_for_user(user=token_user(request), search=search)


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="One person, with aliases and relationships",
)
@access(API_AGENCY_READ)
def person_detail(request: HttpRequest, person_id: int) -> Any:
    person = person_detail_for_user(user=token_user(request), person_id=person_id)
    audit_append(actor=token_user(request), verb="api.read", obj=person, request=request)
    return person


@router.get(
    "/people/{person_id}/consents",
    response={200: PersonConsentsOut, **READ_ERRORS},
    summary="A person's consent records and the consent that counts",
    description=(
        "Every consent response recorded, oldest first, and the consent that counts worked "
        "out from them by the rules of 003 3.22 to 3.35. Give `purpose` and `recipient` (and "
        "optionally `information`) to check a proposed share against the scope of that "
        "consent (3.18, 3.21): the answer then includes `consent_covers`."
    ),
)
@access(API_AGENCY_READ)
def person_consents(
    request: HttpRequest,
    person_id: int,
    purpose: QueryEx[str, P(description="The purpose of a proposed share")] = "",
    recipient: QueryEx[str, P(description="Who would receive it")] = "",
    information: QueryEx[
        list[str] | None, P(description="The kinds of information (repeatable)")
    ] = None,
) -> Any:
    consents = person_consents_for_user(
        user=token_user(request),
        person_id=person_id,
        purpose=purpose,
        recipient=recipient,
        information=information or (),
    )
    audit_append(
        actor=token_user(request),
        verb="api.read",
        obj=consents.person,
        details={"consents": [record.pk for record in consents.records]},
        request=request,
    )
    return consents
