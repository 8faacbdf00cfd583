"""The facts of decision contract version 1 and the validation of a set of facts.

The vocabulary here is the public contract (`spec/decision-contract.md`, "Facts"): packs
may add facts of their own (declared in their `pack.toml`), but nothing here may be renamed,
removed or given another meaning. Validation is strict because an integrator's typo must
not silently become a missing fact and so a different question.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .errors import FactError

# A fact's answer: one value from its list, or for a list fact a tuple of its values.
Answer = str | tuple[str, ...]


class FactSpec(NamedTuple):
    """A fact's name, its allowed values and whether it takes a list of them."""

    name: str
    values: tuple[str, ...]
    multiple: bool = False
    meaning: str = ""
    # Answers that the law allows only from a date, as (answer, YYYY-MM-DD): a decision
    # dated before it cannot give that answer (a lawful basis not yet in force).
    since: tuple[tuple[str, str], ...] = ()


YES_NO_UNSURE = ("yes", "no", "unsure")
HARM = ("none", "concern", "reasonable_cause", "evidence")

# Decision contract v1, "Facts". `pack` is validated separately: its values are the packs.
CONTRACT_FACTS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("purpose", YES_NO_UNSURE, meaning="clear and legitimate purpose (Q1)"),
        FactSpec(
            "legal_requirement",
            ("none", "statutory_duty", "court_order"),
            meaning="required by law to share",
        ),
        FactSpec(
            "challenging_court_order",
            ("yes", "no"),
            meaning="the organisation will challenge the court order",
        ),
        FactSpec("identifiable", YES_NO_UNSURE, meaning="a living person can be identified"),
        FactSpec("confidential", YES_NO_UNSURE, meaning="the information is confidential"),
        FactSpec(
            "consent",
            ("given", "refused", "withdrawn", "not_sought", "cannot_be_obtained", "unsure"),
            meaning="the consent of the person whose consent counts",
        ),
        FactSpec("consent_covers", YES_NO_UNSURE, meaning="the consent covers this share"),
        FactSpec(
            "reasons_not_to_seek_consent",
            ("increase_risk_of_harm", "prejudice_serious_crime", "unjustified_delay"),
            multiple=True,
            meaning="why consent should not be sought or the person told",
        ),
        FactSpec("child_harm", HARM, meaning="harm to a child"),
        FactSpec("adult_harm", HARM, meaning="serious harm to an adult"),
        FactSpec("serious_crime", ("yes", "no"), meaning="needed for a serious crime"),
        FactSpec(
            "adult_risk_to_self_only",
            ("yes", "no"),
            meaning="an adult with capacity puts only themself at risk",
        ),
        FactSpec(
            "public_interest",
            ("sufficient", "insufficient", "unsure"),
            meaning="the practitioner's public interest judgement",
        ),
        FactSpec(
            "lawful_basis",
            (
                "safeguarding",
                "legal_obligation",
                "vital_interests",
                "public_task",
                "none",
                "unsure",
            ),
            meaning="the lawful reason identified for sharing without consent",
        ),
    )
}

# Input keys of `decide` that are not facts: which pack, and the practitioner's recorded
# reasons for each judgement (an addition to the contract; judgements need reasons, 3.41).
PACK_KEY = "pack"
REASONS_KEY = "reasons"
# The date the decision is made (YYYY-MM-DD; today when absent): a pack, or an answer such
# as a lawful basis, is never applied to a decision dated before the law it encodes came
# into force (an addition to the contract, docs/contract.md).
DATE_KEY = "date"

Facts = dict[str, Answer]


def facts_validate(
    raw: Any, *, vocabulary: Mapping[str, FactSpec] = CONTRACT_FACTS
) -> tuple[Facts, dict[str, str]]:
    """Check a facts object against the vocabulary and return (facts, judgement reasons).

    Raises FactError naming the first offending field. The `pack` key is left to the
    caller, which knows the packs shipped. Lists are normalised to sorted tuples of unique
    values so that the same answers always give the same outcome and the same hash.
    """
    if not isinstance(raw, dict):
        raise FactError("The facts must be one JSON object", field=None)
    facts: Facts = {}
    reasons: dict[str, str] = {}
    for name, value in raw.items():
        if name in (PACK_KEY, DATE_KEY):
            continue
        if name == REASONS_KEY:
            reasons = _reasons_validate(value, vocabulary)
            continue
        spec = vocabulary.get(name)
        if spec is None:
            raise FactError(f"'{name}' is not a fact this pack knows", field=name)
        facts[name] = _answer_validate(spec, value)
    return facts, reasons


def _answer_validate(spec: FactSpec, value: Any) -> Answer:
    allowed = ", ".join(spec.values)
    if spec.multiple:
        if not isinstance(value, list):
            raise FactError(
                f"'{spec.name}' must be a list of: {allowed} ([] for none)", field=spec.name
            )
        for item in value:
            if not isinstance(item, str) or item not in spec.values:
                raise FactError(
                    f"'{spec.name}' has {item!r}, which is not one of: {allowed}",
                    field=spec.name,
                )
        # Keep the contract's order so traces read the same whatever order was sent.
        return tuple(v for v in spec.values if v in value)
    if not isinstance(value, str):
        raise FactError(f"'{spec.name}' must be one of: {allowed}", field=spec.name)
    if value not in spec.values:
        raise FactError(
            f"'{spec.name}' is {value!r}, which is not one of: {allowed}", field=spec.name
        )
    return value


def _reasons_validate(value: Any, vocabulary: Mapping[str, FactSpec]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise FactError(
            "'reasons' must be an object giving, for each judgement, the reasons recorded",
            field=REASONS_KEY,
        )
    reasons: dict[str, str] = {}
    for name, text in value.items():
        field = f"{REASONS_KEY}.{name}"
        if name not in vocabulary:
            raise FactError(f"'{name}' is not a fact this pack knows", field=field)
        if not isinstance(text, str):
            raise FactError("Reasons must be text", field=field)
        reasons[name] = text.strip()
    return reasons
