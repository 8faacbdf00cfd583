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

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

from .errors import PackError
from .facts import Answer
from .packs import (
    INFORM_UNLESS_REASON,
    LIST_BRANCHES,
    REASONS_FACT,
    REFER_NOW,
    Interrupt,
    Node,
    Pack,
    pack_replacement_notice,
)

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

    `outcome`, `basis`, `refer_now`, `refer_now_assessed` and `inform_subject` are settled
    by the walk; the rest (trace, citations, question, duties, notes) is derived from the
    path on first use. Treat an Outcome as immutable: it is the record of a decision.

    `refer_now_assessed` (docs/contract.md, "Refer now assessed") is true when the refer
    now interrupt fired, or when every fact it reads was answered (so the answers rule
    harm out): only then does `refer_now` false mean "no need to refer". Otherwise the
    outcome carries the pack's `not_assessed` words in `refer_now_note`, so that a record
    never reads "refer now: no" for a harm nobody was asked about.
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
        *,
        asking: str | None = None,
        refer_now_assessed: bool = False,
        day: dt.date | None = None,
    ) -> None:
        self._pack = pack
        self.outcome = outcome
        self._end = end
        self._path = path
        self._interrupts = interrupts
        self.inform_subject = inform_subject
        self._reasons_answer = reasons_answer
        self._reasons = reasons
        # The fact an `ask` outcome asks: a question node's, or one an outcome asks before
        # it can be given (whether to tell the person, or about harm).
        self._asking = asking
        self._day = day
        self.refer_now = False
        for interrupt in interrupts:
            if interrupt.id == REFER_NOW:
                self.refer_now = True
        self.refer_now_assessed = refer_now_assessed
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
        # Asked either by a question node, or by an outcome that needs to know about harm
        # (an interrupt asked before any outcome) or whether a reason not to seek consent
        # applies before it can say whether to tell the person.
        fact = self._asking or self._end.fact or REASONS_FACT
        return question_json(self._pack, self._end, fact)

    # --- what the outcome says about refer now and about the pack ---
    @cached_property
    def _refer_now_note(self) -> tuple[str, tuple[str, ...]] | None:
        if self.refer_now_assessed:
            return None
        for interrupt in self._pack.interrupts:
            if interrupt.id == REFER_NOW and interrupt.not_assessed is not None:
                return interrupt.not_assessed.text, interrupt.not_assessed.cite
        return None

    @property
    def refer_now_note(self) -> str | None:
        """The pack's words on what to do about a concern of harm, when this outcome was
        reached without assessing it (`refer_now_assessed` false); None when assessed."""
        note = self._refer_now_note
        return note[0] if note else None

    @cached_property
    def pack_replaced(self) -> str | None:
        """The sentence saying the pack's guidance had been replaced by the decision's date,
        or None (also when the outcome was evaluated without a date, as in a walk of every
        path)."""
        if self._day is None:
            return None
        return pack_replacement_notice(self._pack, self._day)

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
        note = self._refer_now_note
        if note is not None:
            ordered.update(dict.fromkeys(note[1]))
        if self.pack_replaced is not None:
            ordered.update(dict.fromkeys(self._pack.replaced_cite))
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
            "refer_now_assessed": self.refer_now_assessed,
            "refer_now_note": self.refer_now_note,
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
            "pack_replaced": self.pack_replaced,
        }


def evaluate(
    pack: Pack,
    facts: Mapping[str, Answer],
    reasons: Mapping[str, str] | None = None,
    *,
    day: dt.date | None = None,
) -> Outcome:
    """Walk `pack`'s flowchart with `facts` (already validated, see `facts_validate`).

    `reasons` are the practitioner's recorded reasons for judgements, by fact; they never
    change the outcome, they are reported so the record can show whether they were given.
    `day` is the date of the decision (`decide` always gives it): the outcome says when the
    pack's guidance had been replaced by then (`Outcome.pack_replaced`).
    """
    reasons = reasons or {}
    # Interrupts are checked whatever the flow does, from the first step (the flowchart's
    # "follow the relevant procedures without delay").
    interrupts: tuple[Interrupt, ...] = ()
    assessed = False
    for interrupt in pack.interrupts:
        fired = False
        for condition in interrupt.when_any:
            if facts.get(condition.fact) in condition.values:
                interrupts += (interrupt,)
                fired = True
                break
        if interrupt.id == REFER_NOW:
            # Assessed: it fired, or every fact it reads was answered, so that its not
            # firing rules harm out rather than leaving it unasked (docs/contract.md).
            assessed = fired or all(facts.get(c.fact) is not None for c in interrupt.when_any)
    nodes = pack.nodes
    path: list[Step] = []

    def outcome_of(
        name: str,
        end: Node,
        *,
        asking: str | None = None,
        told: str | None = None,
        given: Answer | None = None,
    ) -> Outcome:
        return Outcome(
            pack,
            name,
            end,
            tuple(path),
            interrupts,
            told,
            given,
            reasons,
            asking=asking,
            refer_now_assessed=assessed,
            day=day,
        )

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
                return outcome_of("ask", node, asking=node.fact)
            step = steps.get((node.id, answer))
            if step is None:
                step = steps[(node.id, answer)] = Step(
                    node.id, node.kind, node.fact, answer, node.cite
                )
            path.append(step)
            key = answer if type(answer) is str else branch_key(answer)
            node = nodes[node.next[key]]
            continue
        # Harm is asked before any outcome where the pack says so (2024 golden rule 1),
        # unless the interrupt has already fired.
        pending = _ask_before_outcome(pack, facts, node, path, interrupts)
        if pending is not None:
            return outcome_of("ask", node, asking=pending)
        if node.inform_subject != INFORM_UNLESS_REASON:
            return outcome_of(node.outcome, node)
        # Sharing without consent: tell the person unless a reason not to seek consent
        # applies (3.9, 3.11, 3.36, 3.48). The contract asks for the reasons first.
        given = facts.get(REASONS_FACT)
        if given is None:
            return outcome_of("ask", node, asking=REASONS_FACT)
        told = "no" if given else "yes"
        return outcome_of(node.outcome, node, told=told, given=given)
    raise PackError(f"The flow of pack {pack.id} does not end (a cycle)", field="flow.toml")


def _ask_before_outcome(
    pack: Pack,
    facts: Mapping[str, Answer],
    end: Node,
    path: list[Step],
    interrupts: tuple[Interrupt, ...],
) -> str | None:
    """The fact to ask before the outcome `end` may be given, or None.

    For each interrupt that is asked before any outcome (`ask_before_outcome`, hmg-2024:
    harm to a child, then to an adult at risk, 2024 golden rule 1), its facts are taken in
    order: one the path already asked is not asked or listed again; one answered off the
    path is added to `path` as a step, so the record shows it; the first unanswered one is
    asked, unless the interrupt has fired on another answer (refer now is already raised,
    and nothing the practitioner could add would lower it). Once an answer fires the
    interrupt, the later facts are not needed.
    """
    asked = {step.fact for step in path}
    for interrupt in pack.interrupts:
        if not interrupt.ask_before_outcome:
            continue
        fired = interrupt in interrupts
        for condition in interrupt.when_any:
            answer = facts.get(condition.fact)
            if condition.fact not in asked:
                if answer is None:
                    if fired:
                        continue
                    return condition.fact
                question = pack.questions[condition.fact]
                path.append(Step(end.id, "question", condition.fact, answer, question.cite))
                asked.add(condition.fact)
            if answer in condition.values:
                break
    return None


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
