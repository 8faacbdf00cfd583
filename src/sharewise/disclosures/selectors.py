"""Reads of disclosures.

A disclosure is the one record of the sending agency that the recipient's agency sees
(003 3.15): the sender's agency reaches it as its own, the recipient's agency only when it
was sent through Sharewise, and only through these selectors. Everyone else is told there
is no such disclosure, exactly as for one that does not exist. Nothing here reaches the
sender's people or decisions for the recipient: what they see of the person is what the
disclosure carries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharewise.agencies.models import Agency, Membership, Role, Team
from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .models import Channel, Disclosure, DisclosureItem, ProtectedIdentity

NO_SUCH_DISCLOSURE = "There is no such disclosure in your agency's records"


def _visible(user: Any) -> Q:
    agencies = agency_ids_for_user(user=user)
    return Q(agency_id__in=agencies) | Q(
        channel=Channel.SHAREWISE, recipient_agency_id__in=agencies
    )


def disclosure_get_for_user(*, user: Any, disclosure_id: int) -> Disclosure:
    try:
        return Disclosure.objects.select_related(
            "agency",
            "recipient_agency",
            "recipient_user",
            "recipient_team",
            "sent_by",
            "read_by",
            "acknowledged_by",
            "withdrawn_by",
            "decision",
        ).get(_visible(user), pk=disclosure_id)
    except Disclosure.DoesNotExist:
        raise NotFound(NO_SUCH_DISCLOSURE) from None


def disclosure_is_sender(*, user: Any, disclosure: Disclosure) -> bool:
    """Whether `user` reads `disclosure` as one of the sending agency."""
    return disclosure.agency_id in agency_ids_for_user(user=user)


def disclosure_is_recipient(*, user: Any, disclosure: Disclosure) -> bool:
    """Whether `user` is of the agency `disclosure` was sent to through Sharewise."""
    return disclosure.through_sharewise and (
        disclosure.recipient_agency_id in agency_ids_for_user(user=user)
    )


def disclosure_is_addressed_to(*, user: Any, disclosure: Disclosure) -> bool:
    """Whether `user` is the named recipient, or of the named team: the one who
    acknowledges the limits on onward sharing."""
    if not disclosure_is_recipient(user=user, disclosure=disclosure):
        return False
    if disclosure.recipient_user_id is not None:
        return bool(disclosure.recipient_user_id == user.pk)
    if disclosure.recipient_team_id is not None:
        return Membership.objects.filter(
            user=user,
            agency_id=disclosure.recipient_agency_id,
            team_id=disclosure.recipient_team_id,
        ).exists()
    return False


def disclosures_sent_for_user(*, user: Any) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(agency_id__in=agency_ids_for_user(user=user)).select_related(
        "person", "recipient_agency", "recipient_user", "recipient_team", "sent_by"
    )


def disclosures_received_for_user(*, user: Any) -> QuerySet[Disclosure]:
    # No person here: who the disclosure is about is part of its content, shown once the
    # limits on onward sharing are acknowledged.
    return Disclosure.objects.filter(
        channel=Channel.SHAREWISE, recipient_agency_id__in=agency_ids_for_user(user=user)
    ).select_related("agency", "recipient_agency", "recipient_user", "recipient_team", "sent_by")


def disclosures_for_decision(*, user: Any, decision: Decision) -> QuerySet[Disclosure]:
    return disclosures_sent_for_user(user=user).filter(decision=decision)


def disclosure_items(*, disclosure: Disclosure) -> list[DisclosureItem]:
    """The items as shared. Callers reach them through `services.disclosure_read`, which
    checks the acknowledgement and records the read."""
    return list(DisclosureItem.objects.filter(disclosure=disclosure))


def protected_identities_for_person(*, user: Any, person: Person) -> QuerySet[ProtectedIdentity]:
    return ProtectedIdentity.objects.filter(
        person=person, agency_id__in=agency_ids_for_user(user=user)
    )


def recipient_choices(*, sender_agency: Agency) -> list[dict[str, Any]]:
    """Who a disclosure may go to: each other agency, its teams and the people in it who
    work with case records, for the disclosure form."""
    agencies = list(Agency.objects.exclude(pk=sender_agency.pk).order_by("name"))
    memberships = (
        Membership.objects.filter(agency__in=agencies)
        .exclude(role__in=[Role.PARTNERSHIP_ADMIN, Role.AUDITOR])
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    people: dict[int, dict[int, Any]] = {}
    for membership in memberships:
        people.setdefault(membership.agency_id, {})[membership.user_id] = membership.user
    teams: dict[int, list[Team]] = {}
    for team in Team.objects.filter(agency__in=agencies).order_by("name"):
        teams.setdefault(team.agency_id, []).append(team)
    return [
        {
            "agency": agency,
            "users": list(people.get(agency.pk, {}).values()),
            "teams": teams.get(agency.pk, []),
        }
        for agency in agencies
    ]


def disclosure_limits(*, disclosure: Disclosure) -> list[str]:
    """The limits on onward sharing the recipient acknowledges before seeing the content
    (003 3.49: "establish with the recipient whether they intend to pass it on to other
    people, and ensure they understand the limits of any consent that has been given")."""
    sender = disclosure.agency.name
    limits = [
        f"This information is shared for one purpose: {disclosure.purpose}. Use it only for "
        "that purpose.",
        f"Do not pass it on to anyone else without the agreement of {sender}, except where "
        f"you must do so to protect someone from harm; then tell {sender} what you shared "
        "and with whom.",
        "Facts and opinions are marked as such: treat an opinion as the sender's professional "
        "view, not as established fact.",
        "Keep it secure, within your agency's arrangements for recording information (3.52).",
        "Details that could identify other people, who might be harmed if identified, may "
        "have been withheld; do not try to find out who they are (3.50).",
    ]
    if disclosure.decision.basis == "consent":
        limits.insert(
            1,
            "It is shared with consent, which covers only this purpose and this recipient, "
            "and can be withdrawn at any time (3.18, 3.21).",
        )
    if disclosure.expires_on is not None:
        limits.append(
            f"You will be able to see it until {disclosure.expires_on.day} {disclosure.expires_on:%B %Y}; record what "
            "you need in your own agency's records."
        )
    return limits
