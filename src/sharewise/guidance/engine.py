"""The decision engine: apply a policy pack's flowchart to a set of facts.

`evaluate(pack, facts)` walks the pack's flow from its start node, following each answer,
until it reaches an outcome or a fact it does not have (then the outcome is `ask`, with the
question to put next). It implements decision contract version 1 (`docs/contract.md`):
nothing about any particular pack is written here; the flowchart, the citations and the
duties all come from the pack's data, and the explanation is the trace of the walk.

Pure and deterministic: the same pack (identified by its hash) and the same facts always
give the same outcome, which is what makes a recorded decision replayable.

The walk itself records only which nodes it passed and the answers used; the trace,
citations and duties an `Outcome` reports are derived from those on first use. Deciding
is then little more than the dictionary lookups of the walk (benchmarks/engine.py), and a
caller that needs only the outcome, such as `sharewise packs diff`, pays for nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

from .errors import PackError
from .facts import Answer
from .packs import INFORM_UNLESS_REASON, LIST_BRANCHES, REASONS_FACT, Interrupt, Node, Pack

SHARING = ("share", "must_share")


class Step(NamedTuple):
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


class Judgement(NamedTuple):
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


def branch_key(answer: Answer) -> str:
    """The key of `next` an answer follows: the value itself, or for a list fact whether
    the list is empty ("none") or not ("any")."""
    if isinstance(answer, tuple):
        return LIST_BRANCHES[1] if answer else LIST_BRANCHES[0]
    return answer


class Outcome:
    """The result of `evaluate`, in the vocabulary of the decision contract.

    `outcome`, `basis`, `refer_now` and `inform_subject` are settled by the walk; the rest
    (trace, citations, question, duties) is derived from the path on first use. Treat an
    Outcome as immutable: it is the record of a decision.
    """

    def __init__(
        self,
        pack: Pack,
        outcome: str,
        end: Node,
        path: tuple[Step, ...],
        interrupts: tuple[Interrupt, ...],
        inform_subject: str | None,
        reasons_answer: Answer | None,
        reasons: Mapping[str, str],
    ) -> None:
        self._pack = pack
        self.outcome = outcome
        self._end = end
        self._path = path
        self._interrupts = interrupts
        self.inform_subject = inform_subject
        self._reasons_answer = reasons_answer
        self._reasons = reasons
        self.refer_now = False
        for interrupt in interrupts:
            if interrupt.id == "refer_now":
                self.refer_now = True
        self.basis = end.basis if outcome in SHARING else None

    # --- identity of the guidance applied ---
    @property
    def pack(self) -> str:
        return self._pack.id

    @property
    def pack_version(self) -> str:
        return self._pack.version

    @property
    def pack_hash(self) -> str:
        return self._pack.hash

    @property
    def node(self) -> str | None:
        """The outcome node reached, or None while a question is pending."""
        return self._end.id if self.outcome != "ask" else None

    @property
    def title(self) -> str:
        if self.outcome == "ask":
            question = self.question
            return str(question["text"]) if question else ""
        return self._end.title

    @property
    def explanation(self) -> str:
        return self._end.explanation if self.outcome != "ask" else ""

    # --- derived from the path ---
    @cached_property
    def trace(self) -> tuple[Step, ...]:
        if self._reasons_answer is None or any(s.fact == REASONS_FACT for s in self._path):
            return self._path
        # The outcome asked whether to tell the person (3.48): that answer is a step too.
        question = self._pack.questions[REASONS_FACT]
        reasons_step = Step(
            self._end.id, "question", REASONS_FACT, self._reasons_answer, question.cite
        )
        return (*self._path, reasons_step)

    @cached_property
    def judgements(self) -> tuple[Judgement, ...]:
        return tuple(
            Judgement(
                step.node,
                step.fact,
                step.answer,
                self._pack.nodes[step.node].reasons_prompt,
                self._reasons.get(step.fact),
            )
            for step in self._path
            if step.kind == "judgement"
        )

    @cached_property
    def question(self) -> dict[str, Any] | None:
        if self.outcome != "ask":
            return None
        # Asked either by a question node, or by an outcome that needs to know whether a
        # reason not to seek consent applies before it can say whether to tell the person.
        fact = self._end.fact or REASONS_FACT
        return question_json(self._pack, self._end, fact)

    @cached_property
    def citations(self) -> tuple[str, ...]:
        """Every paragraph the outcome rests on, in the order the walk met them, once each."""
        ordered: dict[str, None] = {}
        for step in self.trace:
            ordered.update(dict.fromkeys(step.cite))
        if self.outcome == "ask":
            ordered.update(dict.fromkeys(self.question["cite"] if self.question else ()))
        else:
            ordered.update(dict.fromkeys(self._end.cite))
        for interrupt in self._interrupts:
            ordered.update(dict.fromkeys(interrupt.cite))
        if self.outcome in SHARING:
            for duty in self._pack.how_to_share:
                ordered.update(dict.fromkeys(duty.cite))
        for duty in self._pack.record:
            ordered.update(dict.fromkeys(duty.cite))
        return tuple(ordered)

    @cached_property
    def how_to_share(self) -> tuple[str, ...]:
        # Q6 applies to every share, never changing the outcome (3.49, 3.50; 004 "How").
        if self.outcome not in SHARING:
            return ()
        return tuple(duty.text for duty in self._pack.how_to_share)

    @cached_property
    def record(self) -> tuple[str, ...]:
        # Q7 applies whatever the outcome, including a decision not to share (3.51).
        lines = [duty.text for duty in self._pack.record]
        lines += [j.prompt for j in self.judgements if j.prompt]
        if self.outcome != "ask":
            lines += [duty.text for duty in self._end.record]
        return tuple(dict.fromkeys(lines))

    @cached_property
    def interrupts(self) -> tuple[dict[str, Any], ...]:
        return tuple(
            {"id": i.id, "title": i.title, "text": i.text, "cite": list(i.cite)}
            for i in self._interrupts
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "pack_version": self.pack_version,
            "pack_hash": self.pack_hash,
            "outcome": self.outcome,
            "basis": self.basis,
            "refer_now": self.refer_now,
            "inform_subject": self.inform_subject,
            "question": self.question,
            "trace": [step.as_json() for step in self.trace],
            "citations": list(self.citations),
            "how_to_share": list(self.how_to_share),
            "record": list(self.record),
            "judgements": [j.as_json() for j in self.judgements],
            "interrupts": list(self.interrupts),
            "node": self.node,
            "title": self.title,
            "explanation": self.explanation,
        }


def evaluate(
    pack: Pack, facts: Mapping[str, Answer], reasons: Mapping[str, str] | None = None
) -> Outcome:
    """Walk `pack`'s flowchart with `facts` (already validated, see `facts_validate`).

    `reasons` are the practitioner's recorded reasons for judgements, by fact; they never
    change the outcome, they are reported so the record can show whether they were given.
    """
    reasons = reasons or {}
    # Interrupts are checked whatever the flow does, from the first step (the flowchart's
    # "follow the relevant procedures without delay").
    interrupts: tuple[Interrupt, ...] = ()
    for interrupt in pack.interrupts:
        for condition in interrupt.when_any:
            if facts.get(condition.fact) in condition.values:
                interrupts += (interrupt,)
                break
    nodes = pack.nodes
    path: list[Step] = []
    # Steps are immutable and a pack has few (node, answer) pairs, so each is built once
    # per process and shared by every outcome that passes through it.
    steps = pack.steps
    node = nodes[pack.start]
    # A well-formed pack has no cycle (the linter checks); the bound keeps a broken one
    # from hanging a request.
    for _ in range(len(nodes) + 1):
        if node.kind != "outcome":
            answer = facts.get(node.fact)
            if answer is None:
                return Outcome(pack, "ask", node, tuple(path), interrupts, None, None, reasons)
            step = steps.get((node.id, answer))
            if step is None:
                step = steps[(node.id, answer)] = Step(
                    node.id, node.kind, node.fact, answer, node.cite
                )
            path.append(step)
            key = answer if type(answer) is str else branch_key(answer)
            node = nodes[node.next[key]]
            continue
        if node.inform_subject != INFORM_UNLESS_REASON:
            return Outcome(pack, node.outcome, node, tuple(path), interrupts, None, None, reasons)
        # Sharing without consent: tell the person unless a reason not to seek consent
        # applies (3.9, 3.11, 3.36, 3.48). The contract asks for the reasons first.
        given = facts.get(REASONS_FACT)
        if given is None:
            return Outcome(pack, "ask", node, tuple(path), interrupts, None, None, reasons)
        told = "no" if given else "yes"
        return Outcome(pack, node.outcome, node, tuple(path), interrupts, told, given, reasons)
    raise PackError(f"The flow of pack {pack.id} does not end (a cycle)", field="flow.toml")


def question_json(pack: Pack, node: Node, fact: str) -> dict[str, Any]:
    """The `question` field of an `ask` outcome: the next fact to answer and how to ask it."""
    question = pack.questions[fact]
    asked_here = node.fact == fact
    asked: dict[str, Any] = {
        "id": fact,
        "text": question.text,
        "options": [o.value for o in question.options],
        "cite": list(dict.fromkeys(node.cite + question.cite if asked_here else question.cite)),
        "labels": {o.value: o.label for o in question.options},
        "help": question.help,
        "kind": node.kind if asked_here else "question",
        "multiple": pack.facts[fact].multiple,
        "node": node.id,
    }
    if asked_here and node.kind == "judgement":
        asked["weigh"] = [{"text": d.text, "cite": list(d.cite)} for d in node.weigh]
        asked["proportionality"] = [
            {"text": d.text, "cite": list(d.cite)} for d in node.proportionality
        ]
        asked["reasons_prompt"] = node.reasons_prompt
    return asked
