"""Walking every combination of answers through a pack, or through two packs at once.

Used by the property tests (every path ends in an outcome, "unsure" never reaches share),
by `sharewise packs diff` and by the training module. The walk branches only on the facts
the flow actually asks, so it covers every path without the cross product of all facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations

from .engine import Outcome, evaluate
from .facts import Answer, FactSpec
from .packs import Pack


def answers_of(spec: FactSpec) -> list[Answer]:
    """Every answer a fact can take: each value, or for a list fact every subset."""
    if not spec.multiple:
        return list(spec.values)
    subsets: list[Answer] = []
    for size in range(len(spec.values) + 1):
        subsets += [tuple(c) for c in combinations(spec.values, size)]
    return subsets


def walk(
    packs: Sequence[Pack], seed: Mapping[str, Answer] | None = None
) -> Iterator[tuple[dict[str, Answer], list[Outcome]]]:
    """Yield (facts, outcomes) for every way of answering the questions `packs` ask,
    starting from `seed`, until no pack asks for anything more."""
    stack: list[dict[str, Answer]] = [dict(seed or {})]
    while stack:
        facts = stack.pop()
        outcomes = [evaluate(pack, facts) for pack in packs]
        pending = next((o for o in outcomes if o.outcome == "ask"), None)
        if pending is None:
            yield facts, outcomes
            continue
        assert pending.question is not None
        fact = pending.question["id"]
        asking = next(p for p, o in zip(packs, outcomes, strict=True) if o is pending)
        for answer in reversed(answers_of(asking.facts[fact])):
            stack.append({**facts, fact: answer})
