"""The minimum-count rule (reports/small_numbers.py) alone: plain pytest, no database."""

from __future__ import annotations

import itertools

import pytest

from sharewise.reports.small_numbers import ShownCount, count_shown, figure_shown


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_a_count_below_the_minimum_is_fewer_than_it_and_not_drawn(count: int) -> None:
    assert count_shown(count, minimum=5) == ShownCount("Fewer than 5", 0.0, hidden=True)


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (5, "5"), (6, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15"), (1002, "1000")],
)
def test_other_counts_are_rounded_to_the_nearest_multiple(count: int, text: str) -> None:
    shown = count_shown(count, minimum=5)
    assert (shown.text, shown.height, shown.hidden) == (text, float(text), False)


def test_another_minimum() -> None:
    assert count_shown(9, minimum=10).text == "Fewer than 10"
    assert count_shown(14, minimum=10).text == "10"
    assert count_shown(15, minimum=10).text == "20"


@pytest.mark.parametrize("minimum", [None, 1])
def test_without_a_minimum_every_count_is_shown_as_it_is(minimum: int | None) -> None:
    for count in (0, 1, 3, 7, 12):
        assert count_shown(count, minimum=minimum) == ShownCount(str(count), float(count), False)


def test_a_negative_count_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        count_shown(-1, minimum=5)


def _could_be(shown: str, minimum: int = 5, largest: int = 80) -> set[int]:
    return {n for n in range(largest) if count_shown(n, minimum=minimum).text == shown}


def test_a_hidden_count_of_one_two_or_three_cannot_be_worked_back_by_subtraction() -> None:
    # The administrator sees the partnership's figure and each agency's. For every count
    # of agency A and every hidden count of agency B, what the two figures allow for B is
    # worked out; a small count (1 to 3) is never the only possibility. (Two hidden counts
    # of 4 whose sum rounds to 10 can be told apart as 4 and 4: docs/reports.md.)
    for a, b in itertools.product(range(60), range(1, 5)):
        partnership = count_shown(a + b, minimum=5).text
        agency_a = count_shown(a, minimum=5).text
        possible_b = {
            whole - part
            for whole, part in itertools.product(_could_be(partnership), _could_be(agency_a))
            if 1 <= whole - part <= 4
        }
        assert b in possible_b
        if b < 4:
            assert len(possible_b) >= 2, (a, b, possible_b)


def test_an_average_of_too_few_records_is_hidden_with_them() -> None:
    assert figure_shown(6.0, based_on=1, minimum=5, none_text="None answered") == (
        "Not shown: fewer than 5 answered",
        None,
    )
    assert figure_shown(6.04, based_on=5, minimum=5, none_text="None answered") == ("6.0", 6.04)
    assert figure_shown(6.0, based_on=1, minimum=None, none_text="None answered") == ("6.0", 6.0)
    assert figure_shown(None, based_on=0, minimum=5, none_text="None answered") == (
        "None answered",
        None,
    )
