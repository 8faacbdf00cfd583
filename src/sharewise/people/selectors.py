"""Reads of people, always through the user's agencies (003 3.15)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound

from .models import Person


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
