"""Disclosures over the API: share from a signed decision, list what was sent and
received, read (after the limits on onward sharing are acknowledged), acknowledge,
withdraw, record that the person was told; and the people whose identity is protected.

Each handler calls the same service the web pages call (`sharewise.disclosures.services`).
A disclosure is seen by the agency that made it and, when sent through Sharewise, by the
agency it was sent to; for anyone else it does not exist (404), as for any record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sharewise.agencies.models import Agency, Team
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.disclosures import services
from sharewise.disclosures.models import Disclosure, ProtectedIdentity
from sharewise.disclosures.selectors import (
    disclosure_get_for_user,
    disclosure_limits,
    disclosures_received_for_user,
    disclosures_sent_for_user,
    protected_identities_for_person,
)
from sharewise.people.selectors import person_get_for_user
from sharewise.web.access import (
    API_AGENCY_DECIDE,
    API_AGENCY_READ,
    API_ANY_TOKEN,
    API_DISCLOSURE_PARTIES,
    API_DISCLOSURE_RECIPIENT,
    API_DISCLOSURE_SENDER,
    access,
)

from ..auth import token_user
from ..errors import ErrorOut
from ..schemas import AgencyOut, StrictInput
from .shared import (
    MAX_LIST_LIMIT,
    WRITE_ERRORS,
    LenientDate,
    LenientDateTime,
    ListLimit,
    ListOffset,
)

router = Router(tags=["Disclosures"])


class ItemIn(StrictInput):
    text: str = Field(description="The information, as it is shared")
    kind: Literal["fact", "opinion"] = Field(
        description="Fact or opinion (3.49: distinguish clearly between fact and opinion)"
    )
    source: str = Field(description="Where the information comes from")
    date: LenientDate = Field(description="When it was recorded or observed")
    historical: bool = False
    information_kind: str = Field(
        "", description="Which of the decision's kinds of information it is, where it names them"
    )


class IdentityIncludeIn(StrictInput):
    identity_id: int
    reason: str = Field(description="Why their identity must be included (3.50)")


class DisclosureIn(StrictInput):
    decision_id: int = Field(description="The signed decision to share that allows this")
    recipient_agency_id: int
    recipient_user_id: int | None = Field(None, description="The named person, a user there")
    recipient_team_id: int | None = Field(None, description="Or a team there")
    recipient_name: str = Field(
        "", description="Or, for a share by email, phone or meeting, a person without an account"
    )
    purpose: str | None = Field(
        None, description="Defaults to the decision's purpose; any other purpose is refused"
    )
    channel: Literal["sharewise", "secure_email", "phone", "meeting"]
    channel_details: str = Field("", description="The secure email address, or which meeting")
    identity_check: str = Field(
        "", description="By phone: how the recipient's identity was confirmed (3.49)"
    )
    items: list[ItemIn]
    include_identities: list[IdentityIncludeIn] = Field(
        default_factory=list,
        description="Protected identities to include, each with its reason; all others are "
        "withheld from the text (3.50)",
    )
    expires_on: LenientDate | None = Field(
        None, description="Through Sharewise: after this day the recipient no longer sees it"
    )
    sent_at: LenientDateTime | None = Field(
        None, description="By email, phone or meeting: when it was shared (default now)"
    )
    readers: Literal["named", "agency"] = Field(
        "named",
        description="Who at the recipient agency may read it once the limits are accepted: "
        "`named`, only the person or team it is sent to (share with those who need to know, "
        "3.49), or `agency`, anyone there who works with case records",
    )


class DisclosureOut(Schema):
    """A disclosure's record, without its content."""

    id: int
    agency: AgencyOut = Field(description="The agency that shared it")
    recipient_agency: AgencyOut
    recipient_user_id: int | None
    recipient_team_id: int | None
    recipient: str = Field(description="The named person or team, and their agency")
    purpose: str
    channel: str
    state: str = Field(description="sent, opened, acknowledged, recorded, withdrawn or expired")
    sent_at: dt.datetime
    opened_at: dt.datetime | None = Field(
        description="When someone of the recipient's agency first opened it, content shown or not"
    )
    read_at: dt.datetime | None = Field(
        description="When its content was first shown in the recipient's agency: when the "
        "named recipient accepted the limits on sharing it"
    )
    acknowledged_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    expires_on: dt.date | None
    readers: str = Field(description="named or agency: who at the recipient agency may read it")
    subject_told_at: dt.datetime | None

    @staticmethod
    def resolve_recipient(obj: Disclosure) -> str:
        return obj.recipient_label

    @staticmethod
    def resolve_readers(disclosure: Disclosure) -> str:
        return disclosure.readers_rule.value


class PagedDisclosureOut(Schema):
    items: list[DisclosureOut]
    count: int = Field(description="How many there are in the box in all, on every page")


class ItemOut(Schema):
    text: str
    kind: str
    source: str
    date: dt.date = Field(alias="dated")
    historical: bool
    information_kind: str


class PersonSharedOut(Schema):
    full_name: str
    date_of_birth: dt.date | None


class DisclosureContentOut(Schema):
    disclosure: DisclosureOut
    person: PersonSharedOut
    items: list[ItemOut]
    limits: list[str] = Field(description="The limits on onward sharing acknowledged")


class LimitsOut(Schema):
    disclosure: DisclosureOut
    limits: list[str] = Field(
        description="What the recipient accepts before the content is shown (3.49)"
    )


class WithdrawIn(StrictInput):
    reason: str


class SubjectToldIn(StrictInput):
    how: str = Field(description="How the person was told")
    told_at: LenientDateTime | None = Field(None, description="When (default now)")


class ProtectedIdentityIn(StrictInput):
    name: str
    role: Literal["referrer", "neighbour", "colleague", "family_member", "other"]
    details: list[str] = Field(
        default_factory=list, description="Other words that identify them, such as an address"
    )


class ProtectedIdentityOut(Schema):
    id: int
    name: str
    role: str
    label: str = Field(description="What stands in for them in what is shared")
    details: list[str]

    @staticmethod
    def resolve_details(obj: ProtectedIdentity) -> list[str]:
        return [line for line in obj.details.splitlines() if line.strip()]


def _disclosure(request: HttpRequest, disclosure_id: int) -> Disclosure:
    return disclosure_get_for_user(user=token_user(request), disclosure_id=disclosure_id)


def _field_under(exc: ServiceError) -> ServiceError:
    # The service names an item as "items.0.text", as the body does; a protected identity
    # by its id, which the body sends in include_identities.
    if exc.field and exc.field.startswith("identities."):
        exc.field = "include_identities"
    return exc


@router.post(
    "/disclosures",
    response={201: DisclosureOut, **WRITE_ERRORS},
    summary="Share information from a signed decision to share",
    description=(
        "Sends the items through Sharewise to a named person or team in another agency, or "
        "records that they were shared by secure email, phone or at a meeting. Refused "
        "(400, naming the field) beyond the decision's purpose, recipient or kinds of "
        "information, or outside the scope of the consent the decision relies on (3.18, "
        "3.21, 3.49). Protected identities are withheld from the text unless included with "
        "a reason (3.50)."
    ),
)
@access(API_AGENCY_DECIDE)
def disclosure_create(request: HttpRequest, payload: DisclosureIn) -> Any:
    user = token_user(request)
    try:
        decision = decision_get_for_user(user=user, decision_id=payload.decision_id)
    except NotFound as exc:
        exc.field = "decision_id"
        raise
    agency = Agency.objects.filter(pk=payload.recipient_agency_id).first()
    if agency is None:
        raise ServiceError("There is no such agency", field="recipient_agency_id")
    recipient_user = None
    if payload.recipient_user_id is not None:
        recipient_user = get_user_model().objects.filter(pk=payload.recipient_user_id).first()
        if recipient_user is None:
            raise ServiceError("There is no such user", field="recipient_user_id")
    team = None
    if payload.recipient_team_id is not None:
        team = Team.objects.filter(pk=payload.recipient_team_id).first()
        if team is None:
            raise ServiceError("There is no such team", field="recipient_team_id")
    try:
        disclosure = services.disclosure_send(
            user=user,
            decision=decision,
            recipient_agency=agency,
            recipient_user=recipient_user,
            recipient_team=team,
            recipient_name=payload.recipient_name,
            purpose=payload.purpose,
            channel=payload.channel,
            channel_details=payload.channel_details,
            identity_check=payload.identity_check,
            items=[
                services.ItemInput(
                    text=item.text,
                    kind=item.kind,
                    source=item.source,
                    dated=item.date,
                    historical=item.historical,
                    information_kind=item.information_kind,
                )
                for item in payload.items
            ],
            include_identities={i.identity_id: i.reason for i in payload.include_identities},
            expires_on=payload.expires_on,
            sent_at=payload.sent_at,
            readers=payload.readers,
        )
    except ServiceError as exc:
        raise _field_under(exc) from None
    return Status(201, disclosure)


@router.get(
    "/disclosures",
    response={200: PagedDisclosureOut, 401: ErrorOut, 422: ErrorOut},
    summary="Disclosures your agencies sent, or received",
    description=(
        "`box=sent` (the default) or `box=received`; newest first. Paginated with `limit` "
        "and `offset`, as `/people` is; `count` is how many there are in the box in all. The "
        f"answer was a bare list of at most {MAX_LIST_LIMIT} before: the disclosures are now "
        "under `items`."
    ),
)
@access(API_ANY_TOKEN)
def disclosure_list(
    request: HttpRequest,
    box: Literal["sent", "received"] = "sent",
    limit: ListLimit = 50,
    offset: ListOffset = 0,
) -> Any:
    user = token_user(request)
    chosen = (
        disclosures_sent_for_user(user=user)
        if box == "sent"
        else disclosures_received_for_user(user=user)
    )
    disclosures = list(chosen[offset : offset + limit])
    count = chosen.count()
    audit_append(
        actor=user,
        verb=f"disclosure.{'sent_list' if box == 'sent' else 'inbox'}",
        request=request,
        details={"shown": len(disclosures), "count": count},
    )
    return {"items": disclosures, "count": count}


@router.get(
    "/disclosures/{disclosure_id}",
    response={
        200: DisclosureContentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        422: ErrorOut,
    },
    summary="Read a disclosure: the person and the information shared",
    description=(
        "The recipient's agency reads it once the named recipient has acknowledged the "
        "limits on onward sharing: until then 409 (read them at `/limits`, then POST "
        "`/acknowledge`). 403 where the sender let only the person or team it was sent to "
        "read it (`readers`: `named`) and you are neither. 410 once the sender withdrew it "
        "or it expired. Every read is recorded in the audit log."
    ),
)
@access(API_DISCLOSURE_PARTIES)
def disclosure_detail(request: HttpRequest, disclosure_id: int) -> Any:
    user = token_user(request)
    disclosure = _disclosure(request, disclosure_id)
    reading = services.disclosure_read(user=user, disclosure=disclosure, request=request)
    if reading.refused == "not_acknowledged":
        return Status(
            409,
            {
                "error": "Acknowledge the limits on onward sharing before reading this "
                f"disclosure: read them at /api/v1/disclosures/{disclosure.pk}/limits, then "
                f"POST /api/v1/disclosures/{disclosure.pk}/acknowledge",
                "field": "acknowledged",
            },
        )
    if reading.refused == "named_only":
        return Status(
            403,
            {
                "error": "The sender let only the person or team it was sent to read this "
                "disclosure (share with those who need to know, 003 3.49): ask them, or ask "
                "the sender to share it with you",
                "field": "readers",
            },
        )
    if reading.refused is not None:
        return Status(
            410,
            {
                "error": "The sender withdrew this disclosure"
                if reading.refused == "withdrawn"
                else "This disclosure has expired",
                "field": None,
            },
        )
    disclosure.refresh_from_db()
    return {
        "disclosure": disclosure,
        "person": disclosure.person,
        "items": reading.items,
        "limits": disclosure_limits(disclosure=disclosure),
    }


@router.get(
    "/disclosures/{disclosure_id}/limits",
    response={200: LimitsOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The limits on onward sharing, to acknowledge before reading",
)
@access(API_DISCLOSURE_PARTIES)
def disclosure_limits_endpoint(request: HttpRequest, disclosure_id: int) -> Any:
    disclosure = _disclosure(request, disclosure_id)
    return {"disclosure": disclosure, "limits": disclosure_limits(disclosure=disclosure)}


@router.post(
    "/disclosures/{disclosure_id}/acknowledge",
    response={200: DisclosureOut, **WRITE_ERRORS},
    summary="Acknowledge the limits on onward sharing (the named recipient)",
)
@access(API_DISCLOSURE_RECIPIENT)
def disclosure_acknowledge_endpoint(request: HttpRequest, disclosure_id: int) -> Any:
    disclosure = _disclosure(request, disclosure_id)
    return services.disclosure_acknowledge(user=token_user(request), disclosure=disclosure)


@router.post(
    "/disclosures/{disclosure_id}/withdraw",
    response={200: DisclosureOut, **WRITE_ERRORS},
    summary="Withdraw a disclosure (the sending agency)",
    description="The recipient then sees that it was withdrawn, not its content.",
)
@access(API_DISCLOSURE_SENDER)
def disclosure_withdraw_endpoint(
    request: HttpRequest, disclosure_id: int, payload: WithdrawIn
) -> Any:
    disclosure = _disclosure(request, disclosure_id)
    return services.disclosure_withdraw(
        user=token_user(request), disclosure=disclosure, reason=payload.reason
    )


@router.post(
    "/disclosures/{disclosure_id}/subject-told",
    response={200: DisclosureOut, **WRITE_ERRORS},
    summary="Record when and how the person was told about the share",
    description=(
        "Where the decision says the person is to be told (3.48); refused where it records "
        "that they will not be."
    ),
)
@access(API_DISCLOSURE_SENDER)
def disclosure_subject_told_endpoint(
    request: HttpRequest, disclosure_id: int, payload: SubjectToldIn
) -> Any:
    disclosure = _disclosure(request, disclosure_id)
    return services.disclosure_subject_told(
        user=token_user(request), disclosure=disclosure, how=payload.how, told_at=payload.told_at
    )


@router.get(
    "/people/{person_id}/protected-identities",
    response={200: list[ProtectedIdentityOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="People whose identity is withheld from what is shared about this person",
)
@access(API_AGENCY_READ)
def protected_identity_list(request: HttpRequest, person_id: int) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    identities = list(protected_identities_for_person(user=user, person=person))
    audit_append(actor=user, verb="protected_identity.list", obj=person, request=request)
    return identities


@router.post(
    "/people/{person_id}/protected-identities",
    response={201: ProtectedIdentityOut, **WRITE_ERRORS},
    summary="Mark someone whose identity must be protected (3.50)",
)
@access(API_AGENCY_DECIDE)
def protected_identity_create(
    request: HttpRequest, person_id: int, payload: ProtectedIdentityIn
) -> Any:
    user = token_user(request)
    person = person_get_for_user(user=user, person_id=person_id)
    identity = services.protected_identity_add(
        user=user,
        person=person,
        name=payload.name,
        role=payload.role,
        details="\n".join(payload.details),
    )
    return Status(201, identity)
