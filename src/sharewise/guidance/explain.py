"""Plain-text explanations, built only from a pack and a trace.

Explanations come from the trace, never from text written beside the logic, so they
cannot drift from what the engine did (DESIGN.md, "Explanations come from the trace").
"""

from __future__ import annotations

import textwrap

from .engine import Outcome
from .packs import Node, Pack, flow_order

OUTCOME_WORDS = {
    "ask": "More information is needed",
    "share": "Share",
    "must_share": "You must share",
    "do_not_share": "Do not share",
    "seek_consent": "Seek consent",
    "seek_advice": "Seek advice",
}


def _label(pack: Pack, fact: str, answer: object) -> str:
    question = pack.questions.get(fact)
    labels = {o.value: o.label for o in question.options} if question else {}
    if isinstance(answer, tuple | list):
        return "; ".join(labels.get(str(a), str(a)) for a in answer) or "None of these"
    return labels.get(str(answer), str(answer))


def _wrap(text: str, indent: str = "   ") -> str:
    return textwrap.fill(
        " ".join(text.split()), width=88, initial_indent=indent, subsequent_indent=indent
    )


def outcome_text(pack: Pack, outcome: Outcome) -> str:
    """The outcome for a person: what to do, the steps, the paragraphs, what comes next."""
    lines = [f"{pack.title}", f"Pack {pack.id} version {pack.version} ({pack.hash[:19]}...)", ""]
    for interrupt in outcome.interrupts:
        lines += [
            f"!! {interrupt['title']}",
            _wrap(str(interrupt["text"])),
            f"   See {', '.join(interrupt['cite'])}",
            "",
        ]
    headline = OUTCOME_WORDS[outcome.outcome]
    if outcome.basis:
        headline += f" (basis: {outcome.basis.replace('_', ' ')})"
    lines += [f"Outcome: {headline}"]
    if outcome.title:
        lines.append(_wrap(outcome.title))
    if outcome.explanation:
        lines.append(_wrap(outcome.explanation))
    if outcome.inform_subject is not None:
        told = (
            "yes" if outcome.inform_subject == "yes" else "no: a reason not to seek consent applies"
        )
        lines.append(f"   Tell the person: {told}")
    lines.append("")
    if outcome.trace:
        lines.append("Steps:")
        for number, step in enumerate(outcome.trace, start=1):
            question = pack.questions[step.fact]
            lines.append(_wrap(f"{number}. {question.text}", indent="  "))
            lines.append(
                f"     Answer: {_label(pack, step.fact, step.answer)}   [{', '.join(step.cite)}]"
            )
        lines.append("")
    if outcome.question is not None:
        q = outcome.question
        lines.append("Next question:")
        lines.append(_wrap(str(q["text"])))
        for value in q["options"]:
            lines.append(f"     - {value}: {q['labels'].get(value, value)}")
        lines.append("")
    if outcome.how_to_share:
        lines.append("How to share (appropriately and securely):")
        lines += [_wrap(f"- {t}") for t in outcome.how_to_share]
        lines.append("")
    lines.append("What to record:")
    lines += [_wrap(f"- {t}") for t in outcome.record]
    lines.append("")
    lines.append("Paragraphs cited: " + ", ".join(outcome.citations))
    return "\n".join(lines)


def _target(pack: Pack, node_id: str) -> str:
    node = pack.nodes.get(node_id)
    if node is None:
        return f"(missing node {node_id})"
    if node.kind == "outcome":
        return f"{OUTCOME_WORDS[node.outcome].upper()}: {node.title}"
    return f"go to [{node.id}]"


def _node_text(pack: Pack, node: Node) -> list[str]:
    question = pack.questions.get(node.fact)
    text = question.text if question else node.fact
    kind = " (your judgement: record your reasons)" if node.kind == "judgement" else ""
    lines = [f"[{node.id}] {text}{kind}", f"   cites {', '.join(node.cite)}"]
    for key, target in node.next.items():
        label = (
            {"none": "None of these", "any": "Any of these"}.get(key)
            if key in ("none", "any") and pack.facts[node.fact].multiple
            else _label(pack, node.fact, key)
        )
        lines.append(f"   - {label} -> {_target(pack, target)}")
    return lines


def flowchart_text(pack: Pack) -> str:
    """The pack's flowchart as text, in the order a practitioner meets the questions."""
    lines = [
        pack.title,
        f"{pack.publisher}, {pack.edition}; in force from {pack.in_force_from.isoformat()}",
        f"Pack {pack.id} version {pack.version}, {pack.hash}",
        "",
    ]
    if pack.golden_rules:
        lines.append("The seven golden rules:")
        for number, rule in enumerate(pack.golden_rules, start=1):
            lines.append(_wrap(f"{number}. {rule.title}", indent="  "))
        lines.append("")
    for interrupt in pack.interrupts:
        lines += [f"At every step: {interrupt.title}", _wrap(interrupt.text), ""]
    lines.append("The flowchart:")
    part = ""
    for node_id in flow_order(pack):
        node = pack.nodes[node_id]
        if node.part and node.part != part:
            part = node.part
            lines += [part.upper(), ""]
        lines += _node_text(pack, node)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
