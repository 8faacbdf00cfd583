"""Reads of people, always through the user's agencies (003 3.15)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound

from .models import Person, Relationship


def person_list_for_user(*, user: Any, search: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(agency_id__in=agency_ids_for_user(user=user))
    for word in search.split():
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(aliases__name__icontains=word)
            | Q(nhs_number=word.replace(" ", ""))
            | Q(upn__iexact=word)
            | Q(case_reference__iexact=word)
        )
    return people.distinct().select_related("agency")


def person_get_for_user(*, user: Any, person_id: int) -> Person:
    try:
        return Person.objects.select_related("agency").get(
            pk=person_id, agency_id__in=agency_ids_for_user(user=user)
        )
    except Person.DoesNotExist:
        raise NotFound("There is no such person in your agency's records") from None


def relationships_for_user(
    *, user: Any, person: Person
) -> tuple[list[Relationship], list[Relationship]]:
    """`person`'s relatives, and the people `person` is a relative of, that `user` may see.

    Information is confidential to the agency that holds it (003 3.15): a link recorded by
    someone who works in two agencies must not show a colleague in one of them a relative
    only the other agency holds, nor that it holds them. So a relationship is shown only
    when the other person is also in the user's agencies. The person page, the API and
    subject access all read relationships here, so they cannot disagree.
    """
    visible = agency_ids_for_user(user=user)
    relatives = (
        Relationship.objects.filter(person=person, relative__agency_id__in=visible)
        .select_related("relative")
        .order_by("kind", "id")
    )
    relative_of = (
        Relationship.objects.filter(relative=person, person__agency_id__in=visible)
        .select_related("person")
        .order_by("kind", "id")
    )
    return list(relatives), list(relative_of)
