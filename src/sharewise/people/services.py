"""Writes about people: each a function used alike by the web, the API, the CLI and jobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.models import Agency
from sharewise.agencies.selectors import agency_ids_for_user, require_recording_role
from sharewise.audit.services import audit_append
from sharewise.common import PermissionDenied, ServiceError
from sharewise.storable import record_refused

from .identifiers import nhs_number_clean, upn_clean
from .models import Alias, CapacityAssessment, CompetenceAssessment, Person, Relationship


@transaction.atomic
def person_create(
    *,
    user: Any,
    agency: Agency,
    given_name: str,
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    expected_date_of_birth: dt.date | None = None,
    nhs_number: str = "",
    upn: str = "",
    case_reference: str = "",
    address: str = "",
    postcode: str = "",
    care_order: bool = False,
    aliases: Sequence[str] = (),
) -> Person:
    if agency.pk not in agency_ids_for_user(user=user):
        raise PermissionDenied("You can only add people to your own agency's records")
    require_recording_role(user=user, agency_id=agency.pk)
    if not given_name.strip():
        raise ServiceError("Enter the person's given name", field="given_name")
    if date_of_birth and expected_date_of_birth:
        raise ServiceError(
            "Enter either a date of birth or, for an unborn child, the expected date, not both",
            field="expected_date_of_birth",
        )
    if date_of_birth and date_of_birth > timezone.localdate():
        raise ServiceError("The date of birth must be in the past", field="date_of_birth")
    person = Person.objects.create(
        agency=agency,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        nhs_number=nhs_number_clean(nhs_number) if nhs_number.strip() else "",
        upn=upn_clean(upn) if upn.strip() else "",
        case_reference=case_reference.strip(),
        address=address.strip(),
        postcode=postcode.strip().upper(),
        care_order=care_order,
        created_by=user,
    )
    names = [Alias(person=person, name=a.strip()) for a in aliases if a.strip()]
    # bulk_create sends no pre_save, so the aliases are checked as a save would check them.
    for alias in names:
        refused = record_refused(alias)
        if refused is not None:
            raise ServiceError(f"Each alias: {refused.message}", field="aliases")
    Alias.objects.bulk_create(names)
    audit_append(actor=user, verb="person.create", obj=person)
    return person


# This and the two assessments below are atomic so that the row and its audit entry are
# committed together or not at all.
@transaction.atomic
def relationship_add(
    *,
    user: Any,
    person: Person,
    relative: Person,
    kind: str,
    party: str = "",
    parental_responsibility: bool = False,
    lives_with: bool = False,
) -> Relationship:
    allowed = agency_ids_for_user(user=user)
    if person.agency_id not in allowed or relative.agency_id not in allowed:
        raise PermissionDenied("Both people must be in your agency's records")
    require_recording_role(user=user, agency_id=person.agency_id)
    if person.pk == relative.pk:
        raise ServiceError("A person cannot be related to themself", field="relative")
    relationship = Relationship.objects.create(
        person=person,
        relative=relative,
        kind=kind,
        party=party.strip(),
        parental_responsibility=parental_responsibility,
        lives_with=lives_with,
    )
    audit_append(actor=user, verb="person.relationship_add", obj=relationship, target=person)
    return relationship


@transaction.atomic
def competence_assess(
    *,
    user: Any,
    person: Person,
    criteria_met: Sequence[bool],
    competent: bool | None,
    notes: str = "",
) -> CompetenceAssessment:
    """Record a judgement of a child's competence against the criteria of 3.24."""
    from sharewise.guidance.consent import COMPETENCE_CRITERIA

    if person.agency_id not in agency_ids_for_user(user=user):
        raise PermissionDenied("You can only assess people in your agency's records")
    require_recording_role(user=user, agency_id=person.agency_id)
    if competent is None:
        raise ServiceError("Say whether you judge the child competent to decide", field="competent")
    if len(criteria_met) != len(COMPETENCE_CRITERIA):
        raise ServiceError("Answer every criterion of 3.24", field="criteria_met")
    assessment = CompetenceAssessment.objects.create(
        person=person,
        criteria_met=[bool(c) for c in criteria_met],
        competent=competent,
        notes=notes.strip(),
        assessed_by=user,
    )
    audit_append(actor=user, verb="person.competence_assess", obj=assessment, target=person)
    return assessment


@transaction.atomic
def capacity_assess(
    *, user: Any, person: Person, decision: str, lacks_capacity: bool | None, notes: str = ""
) -> CapacityAssessment:
    """Record an assessment of an adult's capacity for one decision (3.31 to 3.35)."""
    if person.agency_id not in agency_ids_for_user(user=user):
        raise PermissionDenied("You can only assess people in your agency's records")
    require_recording_role(user=user, agency_id=person.agency_id)
    if not decision.strip():
        raise ServiceError("Say which decision the capacity assessment is about", field="decision")
    if lacks_capacity is None:
        raise ServiceError(
            "Say whether the person lacks capacity for this decision", field="lacks_capacity"
        )
    assessment = CapacityAssessment.objects.create(
        person=person,
        decision=decision.strip(),
        lacks_capacity=lacks_capacity,
        notes=notes.strip(),
        assessed_by=user,
    )
    audit_append(actor=user, verb="person.capacity_assess", obj=assessment, target=person)
    return assessment
