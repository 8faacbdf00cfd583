"""Reads of consent records, and the consent that counts, from the guidance core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.guidance.consent import (
    EffectiveConsent,
    ProposedShare,
    Response,
    Scope,
    Subject,
    effective_consent,
)
from sharewise.people.models import Person

from .models import ConsentRecord, GivenBy


def consents_for_person(*, user: Any, person: Person) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(
        person=person, agency_id__in=agency_ids_for_user(user=user)
    ).select_related("recorded_by")


def consent_effective_for_person(
    *,
    user: Any,
    person: Person,
    purpose: str = "",
    recipient: str = "",
    information: Sequence[str] = (),
    on: dt.date | None = None,
) -> tuple[EffectiveConsent | None, list[int]]:
    """The consent that counts for a share about `person`, from the records held, and the
    ids of the records used. None when no consent has been recorded: then there is
    nothing to work out, and the practitioner answers the question themself."""
    # The notes are never part of what counts, and each would be decrypted on reading.
    records = list(consents_for_person(user=user, person=person).defer("notes"))
    if not records:
        return None, []
    on = on or timezone.localdate()
    age = person.age_on(on)
    competence = person.competence_assessments.first()
    capacity = person.capacity_assessments.first()
    subject = Subject(
        age=age if age is not None else 0,
        competent=("yes" if competence.competent else "no") if competence else None,
        lacks_capacity=("yes" if capacity.lacks_capacity else "no") if capacity else None,
    )
    responses = [
        Response(
            by=record.given_by,
            response=record.response,
            party=record.party if record.given_by != GivenBy.SUBJECT else "",
            scope=Scope(
                purposes=tuple(record.purposes),
                recipients=tuple(record.recipients),
                information=tuple(record.information),
                expires=record.expires,
            ),
        )
        for record in records
    ]
    proposed = (
        ProposedShare(purpose=purpose, recipient=recipient, information=tuple(information), on=on)
        if purpose and recipient
        else None
    )
    result = effective_consent(subject, responses, care_order=person.care_order, proposed=proposed)
    return result, [record.pk for record in records]
