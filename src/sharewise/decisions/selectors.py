"""Reads of decisions, always through the user's agencies (003 3.15)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound
from sharewise.consents.models import ConsentRecord
from sharewise.consents.selectors import consents_for_person
from sharewise.people.models import Person

from .models import Decision


def decision_get_for_user(*, user: Any, decision_id: int) -> Decision:
    try:
        return Decision.objects.select_related(
            "person", "agency", "created_by", "signed_by", "corrects"
        ).get(pk=decision_id, agency_id__in=agency_ids_for_user(user=user))
    except Decision.DoesNotExist:
        raise NotFound("There is no such decision in your agency's records") from None


def decision_for_change(*, decision_id: int) -> Decision:
    """The decision a write is about, by its id alone, for a write service to lock.

    No query: every write service locks the row itself, among the user's agencies only,
    and answers "not found" for any other (services._locked). Reading the row here first,
    to check the agency, cost a query on every API write for nothing (docs/performance.md).
    The instance has its id and nothing else, and is only ever passed to a service."""
    return Decision(pk=decision_id)


def decisions_for_person(*, user: Any, person: Person) -> QuerySet[Decision]:
    return Decision.objects.filter(
        person=person, agency_id__in=agency_ids_for_user(user=user)
    ).select_related("created_by", "signed_by")


def decisions_for_user(*, user: Any) -> QuerySet[Decision]:
    return Decision.objects.filter(agency_id__in=agency_ids_for_user(user=user)).select_related(
        "person", "created_by"
    )


@dataclass(frozen=True)
class ChronologyEntry:
    """One event in a person's chronology: a decision or a consent response."""

    at: dt.datetime
    kind: str  # "decision" or "consent"
    decision: Decision | None = None
    consent: ConsentRecord | None = None


def chronology_for_person(
    *, user: Any, person: Person, latest: int | None = None
) -> list[ChronologyEntry]:
    """Every decision and consent about `person` that the user's agencies hold, newest
    first: the picture a safeguarding review asks for. With `latest`, only that many
    entries and one more, so a page can show the newest and say whether there are more
    without counting them all."""
    # The chronology shows a line a decision: its answers, trace and reasons stay in the
    # database, which keeps a person with hundreds of decisions quick to open.
    decisions = (
        decisions_for_person(user=user, person=person)
        .only(
            "id",
            "status",
            "version",
            "outcome",
            "refer_now",
            "purpose",
            "created_at",
            "signed_at",
            "created_by__username",
            "signed_by__username",
        )
        .order_by(Coalesce("signed_at", "created_at").desc(), "-id")
    )
    # The chronology shows who responded and for what, never the notes, which would
    # each be decrypted on reading (benchmarks/pages.py; docs/performance.md).
    consents = (
        consents_for_person(user=user, person=person).defer("notes").order_by("-given_at", "-id")
    )
    if latest is not None:
        # The newest `latest` + 1 of each kind hold the newest `latest` + 1 of both.
        decisions, consents = decisions[: latest + 1], consents[: latest + 1]
    entries = [
        ChronologyEntry(at=d.signed_at or d.created_at, kind="decision", decision=d)
        for d in decisions
    ]
    entries += [ChronologyEntry(at=c.given_at, kind="consent", consent=c) for c in consents]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries if latest is None else entries[: latest + 1]
