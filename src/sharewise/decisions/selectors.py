"""Reads of decisions, always through the user's agencies (003 3.15)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.common import NotFound
from sharewise.consents.models import ConsentRecord
from sharewise.consents.selectors import consents_for_person
from sharewise.guidance.errors import GuidanceError
from sharewise.guidance.packs import pack_get
from sharewise.guidance.record import answers_used, outcome_record, record_differences
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


def decision_record(decision: Decision) -> dict[str, Any]:
    """What a page, PDF, API response or export shows of `decision`
    (guidance.record.outcome_record): for a signed decision, the record kept when it was
    signed, never a replay; for a draft, the outcome its answers give now.

    A decision signed before Sharewise kept the whole record has only its summary columns
    (outcome, basis, refer now, telling the person, trace, citations): those are shown as
    signed, the words around them are taken from the pack, and the record says it was
    rebuilt (`"rebuilt": true`)."""
    from .services import decision_evaluate

    if decision.signed_record is not None:
        return dict(decision.signed_record)
    pack = pack_get(decision.pack_id)
    outcome = decision_evaluate(decision)
    record = outcome_record(pack, outcome, answers_used(pack, outcome, decision.facts))
    if decision.is_signed:
        record["rebuilt"] = True
        record["outcome"].update(
            outcome=decision.outcome,
            basis=decision.basis or None,
            refer_now=decision.refer_now,
            inform_subject=decision.inform_subject or None,
            trace=list(decision.trace),
            citations=list(decision.citations),
        )
    return record


def decision_replay(decision: Decision) -> list[str]:
    """What today's pack files decide differently from the signed record, in words; empty
    when the decision replays identically under its pack. A check, never what is shown."""
    from .services import decision_evaluate

    if not decision.is_signed:
        return []
    record = decision_record(decision)
    try:
        replayed = decision_evaluate(decision)
    except GuidanceError as exc:
        return [f"its answers can no longer be replayed: {exc.message}"]
    return record_differences(record, replayed)


def decisions_replay_all(*, batch_size: int = 500) -> Iterator[tuple[Decision, list[str]]]:
    """Every signed decision of every agency with what its replay finds (`decision_replay`),
    oldest first. For the operator's check (`sharewise decisions replay`), not for a user:
    it reads across agencies and shows no content, only ids and the parts that differ."""
    signed = (
        Decision.objects.filter(status="signed")
        .only(
            "id",
            "version",
            "status",
            "pack_id",
            "pack_version",
            "pack_hash",
            "facts",
            "reasons",
            "created_at",
            "signed_record",
            "outcome",
            "basis",
            "refer_now",
            "inform_subject",
            "trace",
            "citations",
        )
        .order_by("id")
    )
    for decision in signed.iterator(chunk_size=batch_size):
        yield decision, decision_replay(decision)
