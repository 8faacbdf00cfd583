"""The minimum-count rule: how a count is shown to someone who may not see the records it
counts (statistical disclosure control). Pure Python, no Django, so it is tested alone.

A partnership administrator sees the dashboards of every agency but none of the records
(docs/reports.md). "One share without consent by the health visiting team in March" can
tell a reader who knows the area which family it was: a figure that could enable a living
person to be identified when put together with other information is personal information
(003 3.10). So, for that reader:

- a count from 1 up to the minimum (5 by default, `SHAREWISE_REPORTS_MINIMUM_COUNT`) is
  shown as "Fewer than 5", and drawn as no bar at all;
- every other count is rounded to the nearest multiple of the minimum (7 is shown as 5, 13
  as 15), and nought stays nought.

Why the rounding: the administrator can ask for the figures of every agency and of each
one, of each team, and of each dashboard, several of which add up to the same total (the
decisions of a month by outcome, and the same decisions by sharing or not). Hidden small
counts alone could then be worked back by subtraction (12 across the partnership, 9 at
agency A: 3 at agency B). Rounded counts can only be subtracted into a range, so a total
need not be hidden too, and no combination of the tables narrows a hidden count below
"Fewer than 5". The figures of a manager's or an auditor's own agencies are not touched:
they may open the records themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShownCount:
    """A count as the tables, the CSV and the charts show it."""

    # What the table and the CSV say: "3", or "Fewer than 5".
    text: str
    # The height of its bar: the figure shown, or nothing for a hidden count.
    height: float
    hidden: bool


def fewer_than(minimum: int) -> str:
    return f"Fewer than {minimum}"


def count_shown(count: int, *, minimum: int | None) -> ShownCount:
    """`count` as shown to a reader held to `minimum` (None, or 1: shown as it is)."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    if minimum is None or minimum <= 1 or count == 0:
        return ShownCount(str(count), float(count), hidden=False)
    if count < minimum:
        return ShownCount(fewer_than(minimum), 0.0, hidden=True)
    # The nearest multiple, a half rounded up (integers only, no float surprises); never
    # below the minimum itself, since the count is at least that.
    rounded = (2 * count + minimum) // (2 * minimum) * minimum
    return ShownCount(str(rounded), float(rounded), hidden=False)


def figure_shown(
    value: float | None, *, based_on: int, minimum: int | None, none_text: str
) -> tuple[str, float | None]:
    """An average or a longest wait, worked out from `based_on` records, as text and as a
    bar's height. Worked out from fewer records than the minimum, it describes those few
    records, so it is hidden as they are (None for the height: draw no bar)."""
    if value is None:
        return none_text, None
    if minimum is not None and minimum > 1 and 0 < based_on < minimum:
        return f"Not shown: fewer than {minimum} answered", None
    return f"{value:.1f}", value
