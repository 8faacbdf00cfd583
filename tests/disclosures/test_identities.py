"""Withholding identities from text: the pure function, no database (003 3.50)."""

from __future__ import annotations

from sharewise.disclosures.identities import Protected, identities_withhold

NEIGHBOUR = Protected(key=1, label="a neighbour", terms=("Ann Jones", "Ann", "14 Elm Road"))


def test_whole_words_whatever_the_case_and_spacing() -> None:
    text, found = identities_withhold("ANN   jones said Ann's door; Annual leave", [NEIGHBOUR])
    assert text == "[a neighbour] said [a neighbour]'s door; Annual leave"
    assert found == {1}


def test_the_longest_term_goes_first() -> None:
    text, _ = identities_withhold("Ann Jones of 14 Elm Road", [NEIGHBOUR])
    assert text == "[a neighbour] of [a neighbour]"


def test_text_without_them_is_unchanged() -> None:
    assert identities_withhold("Nothing to hide (really)", [NEIGHBOUR]) == (
        "Nothing to hide (really)",
        set(),
    )
