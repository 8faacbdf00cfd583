"""`decide` as the contract defines it: a raw JSON facts object in, an outcome out.

The one function the CLI, the JSON API and the web wizard share, so that input validation
and pack selection cannot differ between them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .engine import Outcome, evaluate
from .errors import FactError
from .facts import DATE_KEY, PACK_KEY, Facts, facts_validate
from .packs import Pack, pack_default_id, pack_get, packs_dirs


def decide(raw: Any, *, pack_id: str | None = None) -> Outcome:
    """Validate `raw` (the contract's facts object) and evaluate it.

    `pack_id` overrides the `pack` field of the input (`--pack`); without either the
    default pack is used. Raises FactError (or PackError) naming the offending field.
    """
    if not isinstance(raw, dict):
        raise FactError("The input must be one JSON object of facts", field=None)
    chosen = pack_id if pack_id is not None else raw.get(PACK_KEY)
    if chosen is None:
        chosen = pack_default_id()
    if not isinstance(chosen, str) or chosen not in packs_dirs():
        known = ", ".join(packs_dirs())
        raise FactError(f"'pack' must be one of: {known}", field=PACK_KEY)
    pack = pack_get(chosen)
    facts, reasons = facts_validate(raw, vocabulary=pack.facts)
    day = decision_date(raw.get(DATE_KEY))
    in_force_check(pack, facts, day)
    # The date also tells the outcome whether the pack's guidance had been replaced by
    # then, which the outcome must say in words (`Outcome.pack_replaced`).
    return evaluate(pack, facts, reasons, day=day)


def decision_date(value: Any) -> dt.date:
    """The `date` of a decision's input: an ISO date, or today when absent."""
    if value is None:
        return dt.date.today()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FactError("'date' must be the date of the decision, as YYYY-MM-DD", field=DATE_KEY)


def in_force_check(pack: Pack, facts: Facts, day: dt.date) -> None:
    """Refuse to apply law to a decision made before it came into force: a pack before
    its `in_force_from` (an overlay's is the commencement of the law it adds), or an
    answer before the date its pack gives for it (a lawful basis not yet enacted)."""
    if day < pack.in_force_from:
        raise FactError(
            f"Pack {pack.id} applies to decisions made on or after "
            f"{pack.in_force_from.isoformat()}; this decision is dated {day.isoformat()}. "
            "Use a pack in force on that date.",
            field=DATE_KEY,
        )
    iso = day.isoformat()
    for name, answer in facts.items():
        for value, since in pack.facts[name].since:
            chosen = answer if isinstance(answer, tuple) else (answer,)
            if value in chosen and iso < since:
                raise FactError(
                    f"'{name}' is {value!r}, which the law allows only for decisions made "
                    f"on or after {since}; this decision is dated {iso}",
                    field=name,
                )
