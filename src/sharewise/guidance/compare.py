"""One case's facts through several packs, side by side: where the outcome, the lawful basis,
telling the person or the questions asked differ, and the paragraphs behind each.

For training, and for a partnership moving between editions of the guidance: it shows what
changed in the law by what it changes for a case. Each pack sees only the facts it knows (a
fact of the duty to share means nothing to the 2008 questions), and dates are not checked:
this is a comparison, not a decision; `in_force` says which packs could apply on the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .choice import pack_in_force
from .engine import Outcome, evaluate
from .errors import FactError
from .facts import DATE_KEY, PACK_KEY, REASONS_KEY, facts_validate
from .packs import Pack, packs_all


class PackResult(NamedTuple):
    """What one pack makes of the case: its outcome, or why it could not take the facts."""

    pack: Pack
    outcome: Outcome | None
    refused: str
    # Facts of the case this pack does not know, and so did not use.
    unused: tuple[str, ...]
    # Why the pack could not apply on the case's date, if one was given.
    not_in_force: str

    @property
    def questions(self) -> tuple[str, ...]:
        """The facts the pack's flow asked, in order."""
        return tuple(step.fact for step in self.outcome.trace) if self.outcome else ()


class Difference(NamedTuple):
    """One aspect on which the packs disagree, with each pack's answer and the paragraphs
    that answer rests on."""

    aspect: str
    values: Mapping[str, str]
    cites: Mapping[str, tuple[str, ...]]


class Comparison(NamedTuple):
    results: tuple[PackResult, ...]
    differences: tuple[Difference, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "packs": [
                {
                    "pack": r.pack.id,
                    "title": r.pack.title,
                    "outcome": r.outcome.outcome if r.outcome else None,
                    "basis": r.outcome.basis if r.outcome else None,
                    "refer_now": r.outcome.refer_now if r.outcome else None,
                    "inform_subject": r.outcome.inform_subject if r.outcome else None,
                    "question": r.outcome.question["id"]
                    if r.outcome and r.outcome.question
                    else None,
                    "node": r.outcome.node if r.outcome else None,
                    "title_of_outcome": r.outcome.title if r.outcome else None,
                    "questions": list(r.questions),
                    "refused": r.refused or None,
                    "unused": list(r.unused),
                    "not_in_force": r.not_in_force or None,
                }
                for r in self.results
            ],
            "differences": [
                {
                    "aspect": d.aspect,
                    "values": dict(d.values),
                    "cites": {k: list(v) for k, v in d.cites.items()},
                }
                for d in self.differences
            ],
        }


def _result(pack: Pack, raw: Mapping[str, Any], day: dt.date | None, country: str) -> PackResult:
    known = {k: v for k, v in raw.items() if k in pack.facts or k == REASONS_KEY}
    if REASONS_KEY in known and isinstance(known[REASONS_KEY], dict):
        known[REASONS_KEY] = {k: v for k, v in known[REASONS_KEY].items() if k in pack.facts}
    unused = tuple(
        k for k in raw if k not in pack.facts and k not in (PACK_KEY, DATE_KEY, REASONS_KEY)
    )
    not_in_force = (pack_in_force(pack, day, country) or "") if day else ""
    try:
        facts, reasons = facts_validate(known, vocabulary=pack.facts)
    except FactError as exc:
        return PackResult(pack, None, exc.message, unused, not_in_force)
    return PackResult(pack, evaluate(pack, facts, reasons), "", unused, not_in_force)


def _aspects(result: PackResult) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each compared aspect of one pack's result, as (text, paragraphs behind it)."""
    outcome = result.outcome
    if outcome is None:
        return {"outcome": (f"cannot take these facts: {result.refused}", ())}
    pack = result.pack
    end = pack.nodes.get(outcome.node or "")
    end_cites = end.cite if end is not None else ()
    if outcome.outcome == "ask" and outcome.question:
        # Titles differ between editions even where the outcome is the same, so the
        # outcome is compared by its contract value and the question by its fact.
        asked = f"ask '{outcome.question['id']}'"
        return {"outcome": (asked, tuple(outcome.question["cite"]))}
    aspects = {
        "outcome": (outcome.outcome, end_cites),
        "basis": (outcome.basis or "none", end_cites),
        "tell the person": (outcome.inform_subject or "does not arise", end_cites),
        "refer now": (
            "yes" if outcome.refer_now else "no",
            tuple(c for i in outcome.interrupts for c in i["cite"]),
        ),
    }
    return aspects


def _question_differences(results: Sequence[PackResult]) -> list[Difference]:
    """A question asked by some packs and not others, for this case."""
    differences = []
    asked_by = {r.pack.id: set(r.questions) for r in results if r.outcome}
    every = sorted({fact for asked in asked_by.values() for fact in asked})
    for fact in every:
        if all(fact in asked for asked in asked_by.values()):
            continue
        values: dict[str, str] = {}
        cites: dict[str, tuple[str, ...]] = {}
        for result in results:
            if result.outcome is None:
                continue
            if fact in asked_by[result.pack.id]:
                step = next(s for s in result.outcome.trace if s.fact == fact)
                values[result.pack.id] = f"asks: {result.pack.questions[fact].text}"
                cites[result.pack.id] = step.cite
            else:
                values[result.pack.id] = "does not ask"
                cites[result.pack.id] = ()
        differences.append(Difference(f"question '{fact}'", values, cites))
    return differences


def compare(
    raw: Mapping[str, Any],
    *,
    pack_ids: Sequence[str] = (),
    country: str = "england",
) -> Comparison:
    """Run the case `raw` (a contract facts object; its `pack` is ignored) through the packs
    named, or every pack, and find where they differ."""
    if not isinstance(raw, Mapping):
        raise FactError("The case must be one JSON object of facts", field=None)
    if isinstance(raw.get("facts"), Mapping) and raw.get("kind") == "decide":
        # A scenario file (tests/scenarios): its case is its facts.
        raw = raw["facts"]
    day = None
    if raw.get(DATE_KEY) is not None:
        from .decide import decision_date

        day = decision_date(raw[DATE_KEY])
    packs = [p for p in packs_all() if not pack_ids or p.id in pack_ids]
    unknown = sorted(set(pack_ids) - {p.id for p in packs})
    if unknown:
        raise FactError(f"There is no pack '{unknown[0]}'", field=PACK_KEY)
    known = {fact for pack in packs_all() for fact in pack.facts}
    for name in raw:
        if name not in known | {PACK_KEY, DATE_KEY, REASONS_KEY}:
            # A typo must not pass as a fact that every pack happens to ignore.
            raise FactError(f"'{name}' is not a fact any pack knows", field=name)
    results = tuple(_result(pack, raw, day, country) for pack in packs)
    per_pack = {r.pack.id: _aspects(r) for r in results}
    differences = []
    for aspect in ("outcome", "basis", "tell the person", "refer now"):
        values = {pid: a[aspect][0] for pid, a in per_pack.items() if aspect in a}
        if len(values) > 1 and len(set(values.values())) > 1:
            cites = {pid: a[aspect][1] for pid, a in per_pack.items() if aspect in a}
            differences.append(Difference(aspect, values, cites))
    differences += _question_differences(results)
    return Comparison(results, tuple(differences))
