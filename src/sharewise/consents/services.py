"""Recording consent: each response is a new record; nothing is overwritten (3.19 to 3.21)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.selectors import agency_ids_for_user, require_recording_role
from sharewise.audit.services import audit_append
from sharewise.common import PermissionDenied, ServiceError
from sharewise.people.models import Person

from .models import INFORMED_POINTS, ConsentRecord, Form, GivenBy, Medium, Response


@transaction.atomic
def consent_record(
    *,
    user: Any,
    person: Person,
    given_by: str,
    response: str,
    party: str = "",
    form: str = Form.EXPLICIT,
    medium: str = Medium.VERBAL,
    informed_points: Sequence[str] = (),
    purposes: Sequence[str] = (),
    recipients: Sequence[str] = (),
    information: Sequence[str] = (),
    expires: dt.date | None = None,
    given_at: dt.datetime | None = None,
    notes: str = "",
    follows: ConsentRecord | None = None,
) -> ConsentRecord:
    if person.agency_id not in agency_ids_for_user(user=user):
        raise PermissionDenied("You can only record consent for people in your agency's records")
    require_recording_role(user=user, agency_id=person.agency_id)
    if given_by not in GivenBy.values:
        raise ServiceError("Say who responded", field="given_by")
    if response not in Response.values:
        raise ServiceError("Say whether consent was given, refused or withdrawn", field="response")
    if form not in Form.values:
        raise ServiceError("Say whether the consent was explicit or implicit", field="form")
    if medium not in Medium.values:
        raise ServiceError("Say whether the consent was verbal or written", field="medium")
    unknown = [p for p in informed_points if p not in INFORMED_POINTS]
    if unknown:
        raise ServiceError(f"Unknown informed-consent point: {unknown[0]}", field="informed_points")
    if response == Response.GIVEN:
        # Consent must be informed (3.18): record what was explained, and for what.
        missing = [label for key, label in INFORMED_POINTS.items() if key not in informed_points]
        if missing:
            raise ServiceError(
                "Consent is informed only when the person understood: "
                + "; ".join(missing).lower(),
                field="informed_points",
            )
        if not purposes or not recipients:
            raise ServiceError(
                "Record what the consent covers: the purposes and who will see the information",
                field="purposes" if not purposes else "recipients",
            )
    if given_by == GivenBy.LOCAL_AUTHORITY and not person.care_order:
        raise ServiceError(
            "The local authority shares parental responsibility only with a care order in force (3.27)",
            field="given_by",
        )
    if follows is not None and follows.person_id != person.pk:
        raise ServiceError(
            "A change of consent must follow a record about the same person", field="follows"
        )
    when = given_at or timezone.now()
    if when > timezone.now():
        raise ServiceError(
            "The date the person responded cannot be in the future", field="given_at"
        )
    record = ConsentRecord.objects.create(
        agency=person.agency,
        person=person,
        given_by=given_by,
        party=party.strip(),
        response=response,
        form=form,
        medium=medium,
        informed_points=list(informed_points),
        purposes=[p.strip() for p in purposes if p.strip()],
        recipients=[r.strip() for r in recipients if r.strip()],
        information=[i.strip() for i in information if i.strip()],
        expires=expires,
        notes=notes.strip(),
        follows=follows,
        given_at=when,
        recorded_by=user,
    )
    audit_append(actor=user, verb="consent.record", obj=record, details={"response": response})
    return record
