"""Reads of the protocol register.

Protocols hold no personal data, but they are kept to those they concern: partnership
administrators, who manage the register, see every protocol; a member of an agency sees the
protocols their agency is a party to, once they have left draft. Anyone else is told there
is no such protocol, as for any record they may not see (003 3.15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from sharewise.agencies.models import Agency, AgencyKind, Role
from sharewise.agencies.selectors import agency_ids_for_user, roles_for_user, user_has_role
from sharewise.common import NotFound, PermissionDenied

from .matching import purposes_covering, recipient_names_agency
from .models import Protocol, ProtocolSignature, Status

# Those who sign a protocol for their agency.
SIGNING_ROLES = frozenset({Role.MANAGER, Role.SAFEGUARDING_LEAD})


def user_is_partnership_admin(*, user: Any) -> bool:
    return user_has_role(user=user, roles={Role.PARTNERSHIP_ADMIN})


def _with_parties(protocols: QuerySet[Protocol]) -> QuerySet[Protocol]:
    return protocols.prefetch_related(
        Prefetch("parties", queryset=Agency.objects.order_by("name")),
        Prefetch("signatures", queryset=ProtocolSignature.objects.select_related("agency")),
    )


def _party_to(agency_ids: Sequence[int] | set[int]) -> Exists:
    return Exists(
        Protocol.parties.through.objects.filter(
            protocol_id=OuterRef("pk"), agency_id__in=agency_ids
        )
    )


def protocols_for_user(*, user: Any) -> QuerySet[Protocol]:
    """The protocols `user` may read: every one for an administrator, else those of the
    user's agencies that have left draft."""
    if not getattr(user, "is_authenticated", False):
        return Protocol.objects.none()
    if user_is_partnership_admin(user=user):
        protocols = Protocol.objects.all()
    else:
        ids = agency_ids_for_user(user=user)
        if not ids:
            return Protocol.objects.none()
        protocols = Protocol.objects.filter(_party_to(ids)).exclude(status=Status.DRAFT)
    return _with_parties(protocols.select_related("supersedes"))


def protocol_get_for_user(*, user: Any, protocol_id: int) -> Protocol:
    try:
        return protocols_for_user(user=user).get(pk=protocol_id)
    except Protocol.DoesNotExist:
        raise NotFound("There is no such information sharing protocol") from None


def protocol_get_for_admin(*, user: Any, protocol_id: int) -> Protocol:
    """A protocol to manage. Anyone but a partnership administrator is refused before the
    protocol is looked up, so the answer is the same whatever the protocol is."""
    if not user_is_partnership_admin(user=user):
        raise PermissionDenied(
            "Only a partnership administrator can manage information sharing protocols"
        )
    return protocol_get_for_user(user=user, protocol_id=protocol_id)


def protocol_later_version(*, protocol: Protocol) -> Protocol | None:
    """The version that revises `protocol`, if one has been started."""
    return Protocol.objects.filter(supersedes=protocol).first()


def agencies_user_signs_for(*, user: Any, protocol: Protocol) -> list[Agency]:
    """The parties to `protocol` for which `user` may sign: those where they are a manager
    or safeguarding lead, whether or not the agency has signed yet."""
    return [
        agency
        for agency in protocol.parties.all()
        if roles_for_user(user=user, agency=agency) & SIGNING_ROLES
    ]


def protocols_due_for_review(*, today: dt.date | None = None) -> QuerySet[Protocol]:
    """Protocols in force whose review date has gone by, the longest overdue first."""
    today = today or timezone.localdate()
    return Protocol.objects.filter(status=Status.IN_FORCE, review_date__lt=today).order_by(
        "review_date", "pk"
    )


def protocols_review_list(*, today: dt.date | None = None) -> list[Protocol]:
    """For administrators: every protocol in force, those past review first (oldest review
    date first), then the rest by their review date."""
    today = today or timezone.localdate()
    protocols = _with_parties(Protocol.objects.filter(status=Status.IN_FORCE)).order_by(
        "review_date", "pk"
    )
    # Ordered by review date, the overdue come first already; a protocol without a review
    # date (registered before dates were required) goes last, to be given one.
    with_date = [p for p in protocols if p.review_date]
    return with_date + [p for p in protocols if not p.review_date]


def protocols_past_review_count(*, user: Any, today: dt.date | None = None) -> int:
    """How many protocols are past review, for the administrators' banner (0 for anyone
    else, who is not the one to review them)."""
    if not user_is_partnership_admin(user=user):
        return 0
    return protocols_due_for_review(today=today).count()


@dataclass(frozen=True)
class SupportingProtocol:
    """A protocol in force between the sharing agency and the recipient, and which of its
    purposes the share falls under."""

    protocol: Protocol
    parties: list[Agency]
    purposes: list[str]
    past_review: bool


def protocols_supporting_share(
    *,
    agency: Agency,
    recipient: Agency | str,
    purpose: str,
    today: dt.date | None = None,
) -> list[SupportingProtocol]:
    """The protocols in force between `agency` and the recipient (an agency, or the name a
    practitioner wrote) that cover `purpose`.

    Supporting information only: an empty answer is never a reason not to share (001
    question 13: "By itself, the lack of an ISP must never be a reason for not sharing
    information that could help a practitioner deliver services")."""
    today = today or timezone.localdate()
    kinds = dict(AgencyKind.choices)
    candidates = _with_parties(
        Protocol.objects.filter(status=Status.IN_FORCE).filter(_party_to([agency.pk]))
    ).order_by("title", "pk")
    found = []
    for protocol in candidates:
        others = [a for a in protocol.parties.all() if a.pk != agency.pk]
        if isinstance(recipient, Agency):
            named = any(a.pk == recipient.pk for a in others)
        else:
            named = any(
                recipient_names_agency(recipient, a.name, str(kinds.get(a.kind, "")))
                for a in others
            )
        if not named:
            continue
        covered = purposes_covering(purpose, protocol.purposes)
        if covered:
            found.append(
                SupportingProtocol(
                    protocol=protocol,
                    parties=list(protocol.parties.all()),
                    purposes=covered,
                    past_review=bool(protocol.review_date and protocol.review_date < today),
                )
            )
    return found
