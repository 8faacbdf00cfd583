"""Reads the API needs that the areas' own selectors do not give in one call.

Each starts from an area's selector, which enforces the agency rule (003 3.15), and only
adds what the answer shows; none widens what a user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import prefetch_related_objects

from sharewise.consents.models import ConsentRecord
from sharewise.consents.selectors import consent_effective_for_person, consents_for_person
from sharewise.people.models import Person
from sharewise.people.selectors import person_get_for_user, relationships_for_user


def person_detail_for_user(*, user: Any, person_id: int) -> Person:
    """A person with their aliases and relationships, as `visible_relationships` (their
    relatives) and `visible_relative_of` (the people they are a relative of).

    A relationship is shown only when the other person is also in the user's agencies:
    a link recorded by someone working in two agencies must not reveal to a colleague in
    one of them that the other agency holds a record (3.15)."""
    person = person_get_for_user(user=user, person_id=person_id)
    prefetch_related_objects([person], "aliases")
    relatives, relative_of = relationships_for_user(user=user, person=person)
    person.visible_relationships = relatives  # type: ignore[attr-defined]
    person.visible_relative_of = relative_of  # type: ignore[attr-defined]
    return person


@dataclass(frozen=True)
class PersonConsents:
    """The consent records held about a person and the consent that counts."""

    person: Person
    records: list[ConsentRecord]
    # `sharewise consent`'s output for these records (None when none are held), and the
    # ids of the records it was worked out from.
    effective: dict[str, Any] | None
    records_used: list[int] = field(default_factory=list)


def person_consents_for_user(
    *,
    user: Any,
    person_id: int,
    purpose: str = "",
    recipient: str = "",
    information: Sequence[str] = (),
    on: dt.date | None = None,
) -> PersonConsents:
    person = person_get_for_user(user=user, person_id=person_id)
    records = list(consents_for_person(user=user, person=person))
    effective, used = consent_effective_for_person(
        user=user,
        person=person,
        purpose=purpose,
        recipient=recipient,
        information=information,
        on=on,
    )
    return PersonConsents(
        person=person,
        records=records,
        effective=effective.as_json() if effective is not None else None,
        records_used=used,
    )
