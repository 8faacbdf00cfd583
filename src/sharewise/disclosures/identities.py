"""Withholding the identity of people who might be harmed if identified (003 3.50; the
2024 golden rule on protecting the identities of anyone who might be harmed).

Pure functions, no Django: the text to share in, the text with each protected person's
name and identifying details replaced by a neutral label out ("[a neighbour]").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Protected:
    key: int
    label: str
    terms: tuple[str, ...]


def _pattern(term: str) -> re.Pattern[str]:
    # Whole words only, whatever the spacing and case: "Mrs  jones" is Mrs Jones, and a
    # name inside another word ("Ann" in "Annual") is not her.
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def identities_withhold(text: str, protected: Sequence[Protected]) -> tuple[str, set[int]]:
    """`text` with every protected person's terms replaced by their label in brackets,
    and the keys of those found in it."""
    found: set[int] = set()
    # Longest terms first, so that "Mrs Ann Jones" goes whole before "Ann" could split it.
    terms = sorted(
        ((term.strip(), person) for person in protected for term in person.terms if term.strip()),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for term, person in terms:
        text, count = _pattern(term).subn(f"[{person.label}]", text)
        if count:
            found.add(person.key)
    return text, found


def identities_mentioned(texts: Iterable[str], protected: Sequence[Protected]) -> set[int]:
    """The keys of the protected people named in any of `texts`."""
    found: set[int] = set()
    for text in texts:
        found |= identities_withhold(text, protected)[1]
    return found
