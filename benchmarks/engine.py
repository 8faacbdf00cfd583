"""Evaluations per second: the pack-driven engine against the same flowchart written by hand.

    uv run python benchmarks/engine.py [--seconds S]

The hand-written function encodes the `hmg-2008` flowchart (decision contract, "Pack
hmg-2008") as plain `if` statements and returns the same outcome, basis, refer_now,
inform_subject and trace (questions, answers and citations) as the engine; the script
checks that on every input before timing anything. Both run on the same inputs, every
path through the flowchart plus every prefix that ends in a question, in the same run.
Last line: `engine/hand-written: R`, R being the ratio of time per evaluation (target: at
most 3).
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

from sharewise.guidance.engine import evaluate
from sharewise.guidance.packs import pack_get
from sharewise.guidance.paths import walk

HIGH = ("reasonable_cause", "evidence")
Result = tuple[
    str, str | None, bool, str | None, str | None, tuple[tuple[str, Any, tuple[str, ...]], ...]
]


def hand_written_2008(facts: dict[str, Any]) -> Result:
    """hmg-2008 written out by hand: (outcome, basis, refer_now, inform_subject, asked, trace)."""
    refer = facts.get("child_harm") in HIGH or facts.get("adult_harm") in HIGH
    trace: list[tuple[str, Any, tuple[str, ...]]] = []

    def ask(fact: str) -> Result:
        return ("ask", None, refer, None, fact, tuple(trace))

    def done(outcome: str, basis: str | None = None, inform: bool = False) -> Result:
        told = None
        if inform:
            reasons = facts.get("reasons_not_to_seek_consent")
            if reasons is None:
                return ask("reasons_not_to_seek_consent")
            if not any(step[0] == "reasons_not_to_seek_consent" for step in trace):
                trace.append(
                    (
                        "reasons_not_to_seek_consent",
                        reasons,
                        ("3.36", "3.11", "000:box.not-seek-consent"),
                    )
                )
            told = "no" if reasons else "yes"
        return (outcome, basis, refer, told, None, tuple(trace))

    def answer(fact: str, cite: tuple[str, ...]) -> Any:
        value = facts.get(fact)
        if value is not None:
            trace.append((fact, value, cite))
        return value

    purpose = answer("purpose", ("3.3",))
    if purpose is None:
        return ask("purpose")
    if purpose == "no":
        return done("do_not_share")
    if purpose == "unsure":
        return done("seek_advice")
    legal = answer("legal_requirement", ("3.7", "3.8"))
    if legal is None:
        return ask("legal_requirement")
    if legal == "court_order":
        challenging = answer("challenging_court_order", ("3.8",))
        if challenging is None:
            return ask("challenging_court_order")
        if challenging == "yes":
            return done("seek_advice")
    if legal != "none":
        return done("must_share", "legal_obligation", inform=True)
    identifiable = answer("identifiable", ("3.10",))
    if identifiable is None:
        return ask("identifiable")
    if identifiable == "no":
        return done("share", "anonymised")
    if identifiable == "unsure":
        return done("seek_advice")
    confidential = answer("confidential", ("3.12",))
    if confidential is None:
        return ask("confidential")
    if confidential == "no":
        return done("share", "not_confidential")
    if confidential == "unsure":
        return done("seek_advice")
    consent = answer("consent", ("3.17",))
    if consent is None:
        return ask("consent")
    if consent == "unsure":
        return done("seek_advice")
    check_reasons = consent == "not_sought"
    if consent == "given":
        covers = answer("consent_covers", ("3.21",))
        if covers is None:
            return ask("consent_covers")
        if covers == "yes":
            return done("share", "consent")
        if covers == "unsure":
            return done("seek_advice")
        check_reasons = True
    if check_reasons:
        reasons = answer("reasons_not_to_seek_consent", ("3.36", "3.38"))
        if reasons is None:
            return ask("reasons_not_to_seek_consent")
        if not reasons:
            return done("seek_consent")
    child = answer("child_harm", ("3.43",))
    if child is None:
        return ask("child_harm")
    if child in HIGH:
        return done("share", "public_interest", inform=True)
    adult = answer("adult_harm", ("3.43",))
    if adult is None:
        return ask("adult_harm")
    if adult in HIGH:
        self_only = answer("adult_risk_to_self_only", ("3.44",))
        if self_only is None:
            return ask("adult_risk_to_self_only")
        if self_only == "no":
            return done("share", "public_interest", inform=True)
    else:
        crime = answer("serious_crime", ("3.43",))
        if crime is None:
            return ask("serious_crime")
        if crime == "yes":
            return done("share", "public_interest", inform=True)
    judgement = answer("public_interest", ("3.38", "3.41", "3.42"))
    if judgement is None:
        return ask("public_interest")
    if judgement == "sufficient":
        return done("share", "public_interest", inform=True)
    if judgement == "insufficient":
        return done("do_not_share")
    return done("seek_advice")


def inputs() -> list[dict[str, Any]]:
    pack = pack_get("hmg-2008")
    complete = [facts for facts, _ in walk([pack])]
    # Every prefix of every path, in the order the facts were asked, ends in a question.
    prefixes = []
    for facts in complete:
        order = [step.fact for step in evaluate(pack, facts).trace]
        for n in range(len(order)):
            prefixes.append({fact: facts[fact] for fact in order[:n]})
    return complete + prefixes


def engine_result(pack: Any, facts: dict[str, Any]) -> Result:
    out = evaluate(pack, facts)
    asked = out.question["id"] if out.question else None
    trace = tuple((s.fact, s.answer, s.cite) for s in out.trace)
    return (out.outcome, out.basis, out.refer_now, out.inform_subject, asked, trace)


def per_call(
    fn: Callable[[dict[str, Any]], Any], cases: list[dict[str, Any]], seconds: float
) -> float:
    """Seconds per evaluation: repeat passes over all cases for about `seconds`, best of 5."""
    best = float("inf")
    for _ in range(5):
        calls = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 5:
            for facts in cases:
                fn(facts)
            calls += len(cases)
        best = min(best, elapsed / calls)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per contestant")
    args = parser.parse_args()
    pack = pack_get("hmg-2008")
    cases = inputs()
    for facts in cases:
        assert engine_result(pack, facts) == hand_written_2008(facts), facts
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    print(f"inputs: {len(cases)} (every path through hmg-2008 and every prefix), all agree")
    hand = per_call(hand_written_2008, cases, args.seconds)
    # The engine derives its trace on first use; ask for it, so that both sides return the
    # outcome and the trace, as the comparison requires.
    engine = per_call(lambda facts: evaluate(pack, facts).trace, cases, args.seconds)
    full = per_call(lambda facts: evaluate(pack, facts).as_json(), cases, args.seconds)
    print(f"hand-written: {1 / hand:,.0f} evaluations/s ({hand * 1e6:.2f} us each)")
    print(f"engine:       {1 / engine:,.0f} evaluations/s ({engine * 1e6:.2f} us each)")
    print(
        f"engine with the whole contract output (citations, duties, JSON): {full * 1e6:.2f} us each"
    )
    print(f"engine/hand-written: {engine / hand:.2f}")


if __name__ == "__main__":
    main()
