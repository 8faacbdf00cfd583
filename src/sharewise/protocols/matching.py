"""Whether a protocol speaks to a proposed share: the recipient among its parties, and the
share's purpose among its purposes. Plain functions of text, with no database.

A decision names its recipient and purpose in the practitioner's own words ("children's
social care", "refer concerns about bruising"), so the match is by words. It only chooses
what supporting information to show beside a decision: a protocol that is missed, or one
that is not there at all, never holds a share back (001 question 13).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Words that say nothing about which agency or which purpose is meant.
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "about",
        "their",
        "them",
        "they",
        "this",
        "that",
        "these",
        "those",
        "into",
        "where",
        "when",
        "which",
        "who",
        "would",
        "could",
        "should",
        "other",
        "any",
        "all",
        "our",
        "your",
        # Every protocol and every decision is about sharing information: these words
        # would make everything match everything.
        "information",
        "share",
        "sharing",
        "shared",
        "data",
        "personal",
    }
)

# Words that name a part of an agency, not which agency: "children's social care team" is
# children's social care.
ORGANISATION_WORDS = frozenset({"team", "service", "services", "department", "office", "unit"})

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The words of `text`, lower case, without possessives ("children's" is "children")."""
    cleaned = text.lower().replace("\u2019", "'").replace("'s", "")
    return _WORD.findall(cleaned)


def significant_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) >= 4 and w not in STOP_WORDS}


def _words_meet(a: str, b: str) -> bool:
    # One word the start of the other meets "concern" with "concerns", "refer" with
    # "referral" and "child" with "children"; short words must match whole, so that "care"
    # does not meet "career".
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 5 and longer.startswith(shorter)


def _contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    return any(
        list(haystack[i : i + len(needle)]) == list(needle)
        for i in range(len(haystack) - len(needle) + 1)
    )


def recipient_names_agency(recipient: str, agency_name: str, agency_kind_label: str) -> bool:
    """Whether the recipient a practitioner wrote names this agency: its name, or the words
    of the recipient found in its name in order ("children's social care" names "Northtown
    Children's Social Care"), or exactly its kind ("the police" names an agency of kind
    Police; "school nurse" does not name a school)."""
    ignored = STOP_WORDS | ORGANISATION_WORDS
    said = [w for w in words(recipient) if w not in ignored]
    if not said:
        return False
    name = [w for w in words(agency_name) if w not in ignored]
    kind = [w for w in words(agency_kind_label) if w not in ignored]
    return _contains_run(said, name) or _contains_run(name, said) or said == kind


def purposes_covering(purpose: str, protocol_purposes: Iterable[str]) -> list[str]:
    """The protocol's purposes that share a meaningful word with the decision's purpose;
    all of them when the decision gives no purpose to compare."""
    listed = [p for p in protocol_purposes if p.strip()]
    wanted = significant_words(purpose)
    if not wanted:
        return listed
    return [
        p for p in listed if any(_words_meet(a, b) for a in significant_words(p) for b in wanted)
    ]
