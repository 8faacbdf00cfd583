"""Which pack applies to a decision: the agency's choice, or the law in force on the day.

A decision tool out of date is worse than none, so an agency that has chosen nothing gets
the newest national pack in force on the decision's date, with the overlays of any law
that applies where the agency is (the duty to share of Children Act 2004 s16LA, in England,
from its commencement). Every choice comes with the reason, which the decision record
keeps, so that a reader years later knows why that guidance was applied.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .errors import PackError
from .packs import Pack, pack_get, packs_all

# Where an agency is; an overlay's `applies_in` names these.
COUNTRIES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}


class PackChoice(NamedTuple):
    pack_id: str
    reason: str


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def pack_in_force(pack: Pack, day: dt.date, country: str) -> str | None:
    """Why `pack` cannot apply to a decision of `day` in `country`, or None if it can."""
    if day < pack.in_force_from:
        return f"{pack.id} applies only from {_day(pack.in_force_from)}"
    if pack.applies_in and country not in pack.applies_in:
        where = ", ".join(COUNTRIES.get(c, c) for c in pack.applies_in)
        return f"{pack.id} applies only in {where}"
    return None


def pack_choose(*, day: dt.date, country: str, chosen: str = "") -> PackChoice:
    """The pack for a decision made on `day` by an agency in `country` whose administrator
    chose `chosen` (empty for the law in force). A chosen pack that cannot apply on that
    day or in that place falls back to the law in force, and the reason says so."""
    fallback = ""
    if chosen:
        pack = pack_get(chosen)
        refused = pack_in_force(pack, day, country)
        if refused is None:
            return PackChoice(pack.id, f"{pack.id} is the pack your agency's administrator set.")
        fallback = f"Your agency's administrator set {pack.id}, but {refused}. "
    national = [
        p for p in packs_all() if p.kind == "national" and pack_in_force(p, day, country) is None
    ]
    if not national:
        raise PackError(f"No national pack is in force on {day.isoformat()}", field="date")
    newest = max(national, key=lambda p: p.in_force_from)
    reason = (
        f"{newest.id} is the newest national guidance in force on {_day(day)} "
        f"(from {_day(newest.in_force_from)})."
    )
    overlays = [
        p
        for p in packs_all()
        if p.kind == "overlay"
        and p.extends == newest.id
        and p.applies_in
        and pack_in_force(p, day, country) is None
    ]
    if not overlays:
        return PackChoice(newest.id, fallback + reason)
    overlay = max(overlays, key=lambda p: p.in_force_from)
    where = COUNTRIES.get(country, country)
    return PackChoice(
        overlay.id,
        fallback
        + reason
        + f" {overlay.id} adds to it the law of {where}, where your agency is, in force "
        f"from {_day(overlay.in_force_from)}: {overlay.title}.",
    )
