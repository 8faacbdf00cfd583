"""The pack linter: is a pack's flowchart sound enough to decide with?

Checks (docs/packs.md): every node reachable from the start; every branch leads to a node
that exists; every answer of every asked fact has a branch (so every path ends in an
outcome); no cycles; every node, question and outcome cited; every citation resolves to a
paragraph of the pack's sources; every "Not sure" routed to an outcome that is not
sharing; every fact an interrupt asks before any outcome has its question; the refer now
interrupt says what to do when a decision did not assess harm (`not_assessed`); a
replaced pack names the pack beside it that replaced it, with citations. Run by CI, by `sharewise packs check` and by the test suite, which keeps
deliberately broken packs as fixtures to prove each check fires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import PackError
from .packs import (
    INFORM_UNLESS_REASON,
    LIST_BRANCHES,
    REASONS_FACT,
    REFER_NOW,
    Pack,
    pack_load,
)

UNSURE = "unsure"


@dataclass(frozen=True, order=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def lint_path(path: Path) -> list[Problem]:
    """Load the pack at `path` and lint it; a pack that cannot load is one problem."""
    try:
        pack = pack_load(path)
    except PackError as exc:
        return [Problem(exc.field or str(path), exc.message)]
    return lint(pack)


def lint(pack: Pack) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    paragraphs = pack.sources.paragraphs

    def cited(where: str, cites: Iterable[str]) -> None:
        cites = list(cites)
        if not cites:
            add(Problem(where, "cites no paragraph"))
        for cite in cites:
            if cite not in paragraphs:
                add(Problem(where, f"cites '{cite}', which is not in sources.toml"))

    if pack.start not in pack.nodes:
        add(Problem("flow.toml: start", f"the start node '{pack.start}' does not exist"))
        return problems

    for node in pack.nodes.values():
        where = f"flow.toml: nodes.{node.id}"
        cited(where, node.cite)
        if node.kind == "outcome":
            for i, duty in enumerate(node.record):
                cited(f"{where}.record[{i}]", duty.cite)
            if node.inform_subject == INFORM_UNLESS_REASON and REASONS_FACT not in pack.questions:
                add(
                    Problem(
                        where,
                        f"tells the person unless a reason applies, but no question asks '{REASONS_FACT}'",
                    )
                )
            continue
        spec = pack.facts.get(node.fact)
        if spec is None:
            add(
                Problem(f"{where}.fact", f"'{node.fact}' is not a fact of the contract or the pack")
            )
            continue
        question = pack.questions.get(node.fact)
        if question is None:
            add(Problem(f"{where}.fact", f"no question in questions.toml asks '{node.fact}'"))
        else:
            offered = {o.value for o in question.options}
            for value in spec.values:
                if value not in offered:
                    add(
                        Problem(
                            f"questions.toml: {node.fact}.options",
                            f"has no label for the answer '{value}'",
                        )
                    )
            for value in offered - set(spec.values):
                add(
                    Problem(
                        f"questions.toml: {node.fact}.options",
                        f"'{value}' is not an answer of '{node.fact}'",
                    )
                )
        keys = LIST_BRANCHES if spec.multiple else spec.values
        for key in keys:
            if key not in node.next:
                add(Problem(f"{where}.next", f"the answer '{key}' leads nowhere (a dead end)"))
        for key, target in node.next.items():
            if key not in keys:
                add(Problem(f"{where}.next.{key}", f"'{key}' is not an answer of '{node.fact}'"))
            if target not in pack.nodes:
                add(Problem(f"{where}.next.{key}", f"leads to '{target}', which does not exist"))
        # "If you answer 'not sure' to any of the questions, seek advice": a Not sure may
        # never lead, directly, to sharing.
        if UNSURE in spec.values and UNSURE in node.next:
            target_node = pack.nodes.get(node.next[UNSURE])
            if (
                target_node is not None
                and target_node.kind == "outcome"
                and target_node.outcome in ("share", "must_share")
            ):
                add(
                    Problem(
                        f"{where}.next.unsure",
                        "'Not sure' leads to sharing; it must lead to advice",
                    )
                )
            if target_node is not None and target_node.kind != "outcome":
                add(
                    Problem(
                        f"{where}.next.unsure",
                        "'Not sure' must lead to an outcome (seek advice), not to another question",
                    )
                )
        if node.kind == "judgement" and not node.reasons_prompt:
            add(Problem(where, "a judgement must say what reasons to record ('reasons')"))
        for i, duty in enumerate(node.weigh + node.proportionality):
            cited(f"{where}.weigh[{i}]", duty.cite)

    for fact, question in pack.questions.items():
        cited(f"questions.toml: {fact}", question.cite)
        for option in question.options:
            for cond in option.unless:
                spec = pack.facts.get(cond.fact)
                if spec is None or set(cond.values) - set(spec.values):
                    add(
                        Problem(
                            f"questions.toml: {fact}.options.{option.value}.unless",
                            f"'{cond.fact}' with {list(cond.values)} is not a fact and answers "
                            "of this pack",
                        )
                    )
    for rule in pack.golden_rules + pack.principles:
        cited(f"pack.toml: rule {rule.title!r}", rule.cite)
    for interrupt in pack.interrupts:
        cited(f"pack.toml: interrupts.{interrupt.id}", interrupt.cite)
        for cond in interrupt.when_any:
            spec = pack.facts.get(cond.fact)
            if spec is None:
                add(
                    Problem(f"pack.toml: interrupts.{interrupt.id}", f"'{cond.fact}' is not a fact")
                )
            elif set(cond.values) - set(spec.values):
                add(
                    Problem(
                        f"pack.toml: interrupts.{interrupt.id}",
                        f"not answers of '{cond.fact}': {sorted(set(cond.values) - set(spec.values))}",
                    )
                )
        where = f"pack.toml: interrupts.{interrupt.id}"
        if interrupt.ask_before_outcome:
            # The engine asks these facts at an outcome node, so each needs its question.
            for cond in interrupt.when_any:
                if cond.fact not in pack.questions:
                    add(
                        Problem(
                            f"{where}.ask_before_outcome",
                            f"asks '{cond.fact}' before any outcome, but no question in "
                            "questions.toml asks it",
                        )
                    )
        if interrupt.not_assessed is not None:
            cited(f"{where}.not_assessed", interrupt.not_assessed.cite)
        elif interrupt.id == REFER_NOW:
            # An outcome reached without the harm facts says so in the pack's words
            # (docs/contract.md, "Refer now assessed"); a pack must have them.
            add(
                Problem(
                    where,
                    "must say in 'not_assessed' what to do about harm when a decision did "
                    "not assess it",
                )
            )
    if pack.replaced_by is not None:
        where = "pack.toml: replaced_by"
        if (
            pack.replaced_by == pack.id
            or not (pack.path.parent / pack.replaced_by / "pack.toml").is_file()
        ):
            add(Problem(where, f"'{pack.replaced_by}' is not another pack beside this one"))
        cited("pack.toml: replaced_cite", pack.replaced_cite)
    for i, duty in enumerate(pack.how_to_share):
        cited(f"pack.toml: how_to_share[{i}]", duty.cite)
    for i, duty in enumerate(pack.record):
        cited(f"pack.toml: record[{i}]", duty.cite)

    problems += _graph_problems(pack)
    return sorted(set(problems))


def _graph_problems(pack: Pack) -> list[Problem]:
    """Unreachable nodes and cycles, by depth-first search from the start node."""
    problems: list[Problem] = []
    seen: set[str] = set()
    on_path: set[str] = set()
    reported_cycles: set[str] = set()

    def visit(node_id: str, path: list[str]) -> None:
        if node_id in on_path:
            cycle = [*path[path.index(node_id) :], node_id]
            if node_id not in reported_cycles:
                reported_cycles.add(node_id)
                problems.append(
                    Problem(
                        f"flow.toml: nodes.{node_id}", "is part of a cycle: " + " -> ".join(cycle)
                    )
                )
            return
        if node_id in seen or node_id not in pack.nodes:
            return
        seen.add(node_id)
        on_path.add(node_id)
        for target in dict.fromkeys(pack.nodes[node_id].next.values()):
            visit(target, [*path, node_id])
        on_path.discard(node_id)

    visit(pack.start, [])
    for node_id in pack.nodes:
        if node_id not in seen:
            problems.append(
                Problem(f"flow.toml: nodes.{node_id}", "cannot be reached from the start")
            )
    return problems
