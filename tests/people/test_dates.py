"""Dates that depend on the day the code runs: they must hold on every day of the year."""

from __future__ import annotations

import datetime as dt

from sharewise.people.models import years_before


def test_years_before_holds_on_29_february() -> None:
    assert years_before(dt.date(2028, 2, 29), 7) == dt.date(2021, 2, 28)
    assert years_before(dt.date(2028, 2, 29), 4) == dt.date(2024, 2, 29)
    assert years_before(dt.date(2026, 12, 7), 7) == dt.date(2019, 12, 7)
