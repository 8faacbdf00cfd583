"""Reads of advice requests, and the identifiers of a case that must not reach the lead.

Who sees a request (web.access ADVICE_READ): the practitioner who asked, always; once it
is sent, the safeguarding leads and auditors of the agency it was asked in, who see only
the redacted text. Anyone else, other members of the agency included, is told there is no
such request (003 3.15: within the agency, information is shared for a genuine purpose
such as seeking advice, not with everyone).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharewise.agencies.models import LeadTitle, Membership, Role
from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

from .identifiers import Identifier, Kind
from .models import AdviceRequest, Status

# The roles that read requests sent to their agency: the leads answer them, auditors check.
READER_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.AUDITOR})
LEAD_ROLES = frozenset({Role.SAFEGUARDING_LEAD})


def agency_ids_with_roles(user: Any, roles: frozenset[str]) -> set[int]:
    """The agencies where `user` holds one of `roles`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user, role__in=roles).values_list("agency_id", flat=True)
    )


def advice_request_get_for_user(*, user: Any, advice_id: int) -> AdviceRequest:
    """The request, if `user` asked it or reads their agency's sent requests."""
    missing = NotFound("There is no such advice request for you to see")
    found = (
        AdviceRequest.objects.select_related("asked_by", "answered_by", "agency")
        .filter(pk=advice_id, agency_id__in=agency_ids_for_user(user=user))
        .first()
    )
    if found is None:
        raise missing
    if found.asked_by_id == user.pk:
        return found
    if found.status != Status.DRAFT and found.agency_id in agency_ids_with_roles(
        user, READER_ROLES
    ):
        return found
    raise missing


def viewer_asked(*, user: Any, advice_request: AdviceRequest) -> bool:
    return bool(advice_request.asked_by_id == getattr(user, "pk", None))


def viewer_may_answer(*, user: Any, advice_request: AdviceRequest) -> bool:
    return (
        advice_request.status == Status.SENT
        and not viewer_asked(user=user, advice_request=advice_request)
        and advice_request.agency_id in agency_ids_with_roles(user, LEAD_ROLES)
    )


def advice_requests_asked_by(*, user: Any) -> QuerySet[AdviceRequest]:
    """The requests `user` asked, newest first."""
    return AdviceRequest.objects.filter(
        asked_by=user, agency_id__in=agency_ids_for_user(user=user)
    ).select_related("answered_by")


def advice_requests_to_answer(*, user: Any) -> QuerySet[AdviceRequest]:
    """The sent requests of the agencies where `user` reads them (lead or auditor), other
    than their own, waiting ones first. Deliberately without person or decision."""
    agencies = agency_ids_with_roles(user, READER_ROLES)
    return (
        AdviceRequest.objects.filter(agency_id__in=agencies)
        .exclude(status=Status.DRAFT)
        .exclude(asked_by=user)
        .select_related("asked_by", "answered_by")
        .order_by("answered_at", "-sent_at", "-id")
    )


def advice_requests_for_decision(*, user: Any, decision: Decision) -> QuerySet[AdviceRequest]:
    """The advice asked about `decision` that its reader may see: every sent request (the
    advice and its outcome are part of the decision's record, 003 3.51), and the reader's
    own drafts."""
    return (
        AdviceRequest.objects.filter(
            decision=decision, agency_id__in=agency_ids_for_user(user=user)
        )
        .filter(~Q(status=Status.DRAFT) | Q(asked_by=user))
        .select_related("asked_by", "answered_by")
        .order_by("created_at", "id")
    )


def lead_title_for(*, user: Any, agency_id: int) -> str:
    """What a safeguarding lead is called in the agency: "Named nurse", "Designated
    safeguarding lead"; "Safeguarding lead" where the agency has not said."""
    title = (
        Membership.objects.filter(user=user, agency_id=agency_id, role=Role.SAFEGUARDING_LEAD)
        .values_list("lead_title", flat=True)
        .first()
    )
    return LeadTitle(title).label if title else Role.SAFEGUARDING_LEAD.label


def agency_has_lead(*, agency_id: int) -> bool:
    return Membership.objects.filter(agency_id=agency_id, role=Role.SAFEGUARDING_LEAD).exists()


def case_people(person: Person) -> list[Person]:
    """The person and everyone related to them in the records: parents, carers, siblings,
    partners, in both directions of the relationship."""
    people = {person.pk: person}
    for relationship in person.relationships.select_related("relative"):
        people.setdefault(relationship.relative_id, relationship.relative)
    for relationship in person.relatives_of.select_related("person"):
        people.setdefault(relationship.person_id, relationship.person)
    return list(people.values())


def known_identifiers_for(*, person: Person | None, extra_terms: list[str]) -> list[Identifier]:
    """Everything the records hold that identifies someone in the case, and the terms the
    practitioner added, for `redaction.redact`. The person comes first, so that a surname
    they share with a parent is labelled as theirs."""
    identifiers: list[Identifier] = []
    people = case_people(person) if person is not None else []
    aliases: dict[int, list[str]] = {}
    if people:
        from sharewise.people.models import Alias

        for alias in Alias.objects.filter(person_id__in=[p.pk for p in people]):
            aliases.setdefault(alias.person_id, []).append(alias.name)
    for someone in people:
        group = f"person:{someone.pk}"
        for name in [someone.full_name, *aliases.get(someone.pk, [])]:
            identifiers.append(Identifier(Kind.NAME, name, group))
        for born in (someone.date_of_birth, someone.expected_date_of_birth):
            if born is not None:
                identifiers.append(Identifier(Kind.DATE_OF_BIRTH, born.isoformat(), group))
        for kind, value in (
            (Kind.NHS_NUMBER, someone.nhs_number),
            (Kind.UPN, someone.upn),
            (Kind.CASE_REFERENCE, someone.case_reference),
            (Kind.POSTCODE, someone.postcode),
        ):
            if value.strip():
                identifiers.append(Identifier(kind, value))
        if someone.address.strip():
            identifiers.append(
                Identifier(Kind.ADDRESS, someone.address, f"address:{someone.address.lower()}")
            )
    identifiers += [Identifier(Kind.OTHER, term) for term in extra_terms if term.strip()]
    return identifiers
