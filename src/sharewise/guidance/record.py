"""The signed record of a decision: the outcome as the practitioner saw it when they
signed, kept whole (003 3.51; 004 "Record"; 2024 golden rule 7).

A signed decision is read years later, by a reviewer or a court, and must say what it said
on the day it was signed, whatever has happened to the pack files since. So signing keeps
the engine's whole outcome (the contract's fields, the trace, the interrupts, the duties,
the words of the outcome), every answer it rests on, and the words each question and
answer were shown in; every page, PDF, API response and export of a signed decision is
rendered from that, never from a replay. Replaying is a separate check
(`record_differences`): it says whether today's pack files still give the same outcome
for the same answers, and what differs when they do not (for the day a pack file is
edited by mistake).

Pure: no Django, so that the same record can be checked by the command line and offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .engine import Outcome
from .facts import Answer
from .packs import Pack

# The shape of a stored record. A record of another format is read as it was written;
# raise it when a field is renamed or its meaning changes, never to add one.
RECORD_FORMAT = 1

# The parts of an outcome a replay is compared on, with the words a reader is told when
# one differs. Every key of `Outcome.as_json()` is compared except `question` (a signed
# decision has none to ask); a key added to the outcome later is compared too.
_WORDS = {
    "outcome": "the outcome",
    "basis": "the basis for sharing",
    "refer_now": "whether to refer now",
    "refer_now_assessed": "whether the risk of harm was assessed",
    "inform_subject": "whether to tell the person",
    "node": "the step of the flowchart the decision ended on",
    "title": "the outcome's title",
    "explanation": "the outcome's explanation",
    "trace": "the path through the questions",
    "citations": "the paragraphs cited",
    "how_to_share": "how to share",
    "record": "what to record",
    "judgements": "the judgements and their reasons",
    "interrupts": "what to do at once (refer now)",
    "pack_version": "the pack's version",
    "pack_hash": "the pack's content hash",
}
_NOT_COMPARED = frozenset({"question"})


def answer_words(pack: Pack, fact: str, answer: Any) -> str:
    """An answer in the words the practitioner chose it by: the option's label in the
    pack, "None of these" for an empty list."""
    question = pack.questions.get(fact)
    labels = {o.value: o.label for o in question.options} if question else {}
    if isinstance(answer, list | tuple):
        return "; ".join(labels.get(str(a), str(a)) for a in answer) or "None of these"
    return labels.get(answer, str(answer))


def question_words(pack: Pack, fact: str) -> str:
    """A fact as the practitioner was asked it: the pack's question text."""
    question = pack.questions.get(fact)
    if question is not None:
        return question.text
    spec = pack.facts.get(fact)
    return spec.meaning if spec is not None and spec.meaning else fact.replace("_", " ")


def outcome_record(pack: Pack, outcome: Outcome, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The record to keep when a decision is signed: the engine's whole outcome, the answers
    it rests on, and the words of every question and answer shown.

    `answers` are every answer the outcome rests on: those on the trace and those an
    interrupt reads off the deciding path (refer now reads the harm answers wherever the
    flow went)."""
    stored = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    return {
        "format": RECORD_FORMAT,
        "pack": {
            "id": pack.id,
            "version": pack.version,
            "hash": pack.hash,
            "title": pack.title,
        },
        "answers": stored,
        "outcome": outcome.as_json(),
        "words": {
            fact: {"question": question_words(pack, fact), "answer": answer_words(pack, fact, a)}
            for fact, a in stored.items()
        },
    }


def answers_used(pack: Pack, outcome: Outcome, facts: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers `outcome` rests on, in the order they were asked: every fact on the
    trace, then every fact an interrupt reads that was answered off the path (the refer
    now interrupt is checked whatever the flow does, so its answers are part of the
    outcome even where the deciding path never asked them)."""
    used: dict[str, Answer] = {}
    for step in outcome.trace:
        if step.fact in facts:
            used[step.fact] = facts[step.fact]
    for interrupt in pack.interrupts:
        for condition in interrupt.when_any:
            if condition.fact in facts and condition.fact not in used:
                used[condition.fact] = facts[condition.fact]
    return used


def record_differences(signed: Mapping[str, Any], replayed: Outcome) -> list[str]:
    """What a replay of the signed record's answers decides differently from what was
    signed, in words; empty when it replays identically.

    The pack's version and hash are compared with the rest: a pack file edited since the
    decision was signed is named even where the outcome happens not to change."""
    was = signed.get("outcome", {})
    now = replayed.as_json()
    keys = [*_WORDS, *(k for k in sorted(set(was) | set(now)) if k not in _WORDS)]
    differences = []
    for key in keys:
        if key in _NOT_COMPARED or was.get(key) == now.get(key):
            continue
        what = _WORDS.get(key, key.replace("_", " "))
        before, after = was.get(key), now.get(key)
        if isinstance(before, list | dict) or isinstance(after, list | dict):
            differences.append(f"{what} differs")
        else:
            differences.append(f"{what}: {_shown(before)} when signed, {_shown(after)} now")
    return differences


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value).replace("_", " ")
