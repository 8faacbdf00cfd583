"""The decision engine: apply a policy pack's flowchart to a set of facts.

`evaluate(pack, facts)` walks the pack's flow from its start node, following each answer,
until it reaches an outcome or a fact it does not have (then the outcome is `ask`, with the
question to put next). It implements decision contract version 1 (`docs/contract.md`):
nothing about any particular pack is written here; the flowchart, the citations and the
duties all come from the pack's data, and the explanation is the trace of the walk.

Pure and deterministic: the same pack (identified by its hash) and the same facts always
give the same outcome, which is what makes a recorded decision replayable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import PackError
from .facts import Answer
from .packs import INFORM_UNLESS_REASON, LIST_BRANCHES, REASONS_FACT, Node, Pack, Question


@dataclass(frozen=True, slots=True)
class Step:
    """One question the flow passed through, the answer used and the paragraphs cited."""

    node: str
    kind: str
    fact: str
    answer: Answer
    cite: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        answer = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return {
            "question": self.fact,
            "answer": answer,
            "cite": list(self.cite),
            "node": self.node,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Judgement:
    """A judgement the practitioner made on the path, and whether its reasons are recorded.

    The engine follows the practitioner's conclusion; it never forms one (3.41, 3.42).
    """

    node: str
    fact: str
    answer: Answer
    prompt: str
    reasons: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.fact,
            "answer": self.answer,
            "node": self.node,
            "reasons_required": True,
            "reasons_recorded": bool(self.reasons),
            "reasons": self.reasons or None,
            "prompt": self.prompt,
        }


@dataclass(frozen=True)
class Outcome:
    """The result of `evaluate`, in the vocabulary of the decision contract."""

    pack: str
    pack_version: str
    pack_hash: str
    outcome: str
    basis: str | None
    refer_now: bool
    inform_subject: str | None
    question: Mapping[str, Any] | None
    trace: tuple[Step, ...]
    citations: tuple[str, ...]
    how_to_share: tuple[str, ...]
    record: tuple[str, ...]
    judgements: tuple[Judgement, ...] = ()
    interrupts: tuple[Mapping[str, Any], ...] = ()
    node: str | None = None
    title: str = ""
    explanation: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "pack_version": self.pack_version,
            "pack_hash": self.pack_hash,
            "outcome": self.outcome,
            "basis": self.basis,
            "refer_now": self.refer_now,
            "inform_subject": self.inform_subject,
            "question": dict(self.question) if self.question is not None else None,
            "trace": [step.as_json() for step in self.trace],
            "citations": list(self.citations),
            "how_to_share": list(self.how_to_share),
            "record": list(self.record),
            "judgements": [j.as_json() for j in self.judgements],
            "interrupts": [dict(i) for i in self.interrupts],
            "node": self.node,
            "title": self.title,
            "explanation": self.explanation,
        }


def branch_key(answer: Answer) -> str:
    """The key of `next` an answer follows: the value itself, or for a list fact whether
    the list is empty ("none") or not ("any")."""
    if isinstance(answer, tuple):
        return LIST_BRANCHES[1] if answer else LIST_BRANCHES[0]
    return answer


def evaluate(
    pack: Pack, facts: Mapping[str, Answer], reasons: Mapping[str, str] | None = None
) -> Outcome:
    """Walk `pack`'s flowchart with `facts` (already validated, see `facts_validate`).

    `reasons` are the practitioner's recorded reasons for judgements, by fact; they never
    change the outcome, they are reported so the record can show whether they were given.
    """
    reasons = reasons or {}
    interrupts = [i for i in pack.interrupts if _interrupt_applies(i.when_any, facts)]
    refer_now = any(i.id == "refer_now" for i in interrupts)
    trace: list[Step] = []
    judgements: list[Judgement] = []
    node = pack.nodes[pack.start]
    # A well-formed pack has no cycle (the linter checks); the bound keeps a broken one
    # from hanging a request.
    for _ in range(len(pack.nodes) + 1):
        if node.kind != "outcome":
            answer = facts.get(node.fact)
            if answer is None:
                return _ask(pack, node, pack.questions[node.fact], trace, judgements, interrupts)
            trace.append(Step(node.id, node.kind, node.fact, answer, node.cite))
            if node.kind == "judgement":
                judgements.append(
                    Judgement(node.id, node.fact, answer, node.reasons_prompt, reasons.get(node.fact))
                )
            node = pack.nodes[node.next[branch_key(answer)]]
            continue

        inform_subject: str | None = None
        if node.inform_subject == INFORM_UNLESS_REASON:
            # Sharing without consent: tell the person unless a reason not to seek consent
            # applies (3.9, 3.11, 3.36, 3.48). The contract asks for the reasons first.
            question = pack.questions[REASONS_FACT]
            given = facts.get(REASONS_FACT)
            if given is None:
                return _ask(pack, node, question, trace, judgements, interrupts)
            if all(step.fact != REASONS_FACT for step in trace):
                trace.append(Step(node.id, "question", REASONS_FACT, given, question.cite))
            inform_subject = "no" if given else "yes"
        return _conclude(pack, node, inform_subject, trace, judgements, interrupts)
    raise PackError(f"The flow of pack {pack.id} does not end (a cycle)", field="flow.toml")


def _interrupt_applies(conditions: Any, facts: Mapping[str, Answer]) -> bool:
    return any(facts.get(c.fact) in c.values for c in conditions)


def _citations(
    pack: Pack, trace: list[Step], node_cite: tuple[str, ...], interrupts: list[Any], sharing: bool
) -> tuple[str, ...]:
    ordered: dict[str, None] = {}
    for step in trace:
        ordered.update(dict.fromkeys(step.cite))
    ordered.update(dict.fromkeys(node_cite))
    for interrupt in interrupts:
        ordered.update(dict.fromkeys(interrupt.cite))
    if sharing:
        for duty in pack.how_to_share:
            ordered.update(dict.fromkeys(duty.cite))
    for duty in pack.record:
        ordered.update(dict.fromkeys(duty.cite))
    return tuple(ordered)


def _interrupts_json(interrupts: list[Any]) -> tuple[Mapping[str, Any], ...]:
    return tuple(
        {"id": i.id, "title": i.title, "text": i.text, "cite": list(i.cite)} for i in interrupts
    )


def _record(pack: Pack, node: Node | None, judgements: list[Judgement]) -> tuple[str, ...]:
    # Q7 applies whatever the outcome, including a decision not to share (3.51).
    lines = [duty.text for duty in pack.record]
    lines += [j.prompt for j in judgements if j.prompt]
    if node is not None:
        lines += [duty.text for duty in node.record]
    return tuple(dict.fromkeys(lines))


def question_json(pack: Pack, node: Node, question: Question) -> dict[str, Any]:
    """The `question` field of an `ask` outcome: the next fact to answer and how to ask it."""
    spec = pack.facts[question.fact]
    asked: dict[str, Any] = {
        "id": question.fact,
        "text": question.text,
        "options": [o.value for o in question.options],
        "cite": list(dict.fromkeys(node.cite + question.cite if node.fact else question.cite)),
        "labels": {o.value: o.label for o in question.options},
        "help": question.help,
        "kind": node.kind if node.fact == question.fact else "question",
        "multiple": spec.multiple,
        "node": node.id,
    }
    if node.kind == "judgement" and node.fact == question.fact:
        asked["weigh"] = [{"text": d.text, "cite": list(d.cite)} for d in node.weigh]
        asked["proportionality"] = [
            {"text": d.text, "cite": list(d.cite)} for d in node.proportionality
        ]
        asked["reasons_prompt"] = node.reasons_prompt
    return asked


def _ask(
    pack: Pack,
    node: Node,
    question: Question,
    trace: list[Step],
    judgements: list[Judgement],
    interrupts: list[Any],
) -> Outcome:
    asked = question_json(pack, node, question)
    return Outcome(
        pack=pack.id,
        pack_version=pack.version,
        pack_hash=pack.hash,
        outcome="ask",
        basis=None,
        refer_now=any(i.id == "refer_now" for i in interrupts),
        inform_subject=None,
        question=asked,
        trace=tuple(trace),
        citations=_citations(pack, trace, tuple(asked["cite"]), interrupts, sharing=False),
        how_to_share=(),
        record=_record(pack, None, judgements),
        judgements=tuple(judgements),
        interrupts=_interrupts_json(interrupts),
        node=None,
        title=question.text,
    )


def _conclude(
    pack: Pack,
    node: Node,
    inform_subject: str | None,
    trace: list[Step],
    judgements: list[Judgement],
    interrupts: list[Any],
) -> Outcome:
    sharing = node.outcome in ("share", "must_share")
    return Outcome(
        pack=pack.id,
        pack_version=pack.version,
        pack_hash=pack.hash,
        outcome=node.outcome,
        basis=node.basis,
        refer_now=any(i.id == "refer_now" for i in interrupts),
        inform_subject=inform_subject,
        question=None,
        trace=tuple(trace),
        citations=_citations(pack, trace, node.cite, interrupts, sharing),
        how_to_share=tuple(d.text for d in pack.how_to_share) if sharing else (),
        record=_record(pack, node, judgements),
        judgements=tuple(judgements),
        interrupts=_interrupts_json(interrupts),
        node=node.id,
        title=node.title,
        explanation=node.explanation,
    )
