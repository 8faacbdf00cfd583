"""`decide` as the contract defines it: a raw JSON facts object in, an outcome out.

The one function the CLI, the JSON API and the web wizard share, so that input validation
and pack selection cannot differ between them.
"""

from __future__ import annotations

from typing import Any

from .engine import Outcome, evaluate
from .errors import FactError
from .facts import PACK_KEY, facts_validate
from .packs import pack_default_id, pack_get, packs_dirs


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
    return evaluate(pack, facts, reasons)
