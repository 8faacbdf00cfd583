"""The contract's values in the words a practitioner reads (decision contract, "Outcome").

Identifiers such as `must_share` or `legal_obligation` are for programs; every page, PDF
and record a person reads shows these words instead, and a test renders every scenario's
outcome to check that no identifier is left on the page (tests/decisions/test_words.py).
"""

from __future__ import annotations

import re
from typing import Any

from .packs import Pack

OUTCOME_WORDS = {
    "ask": "A question to answer",
    "share": "Share",
    "must_share": "You must share",
    "do_not_share": "Do not share",
    "seek_consent": "Seek consent",
    "seek_advice": "Seek advice",
}

# Why sharing is lawful, as the contract's `basis` means it (docs/contract.md, "basis"):
# not every value is an Article 6 basis ("safeguarding" is the Data Protection Act 2018
# Schedule 1 condition), so the words say which law each rests on.
BASIS_WORDS = {
    "anonymised": "The information does not identify anyone",
    "not_confidential": "The information is not confidential",
    "consent": "Consent",
    "public_interest": "The public interest in sharing overrides the duty of confidence",
    "legal_obligation": "A legal obligation: required by law",
    "safeguarding": (
        "Safeguarding of children and individuals at risk (Data Protection Act 2018, "
        "Schedule 1 paragraph 18)"
    ),
    "vital_interests": "Vital interests: to protect someone's life",
    "public_task": "The organisation's public task",
    "recognised_legitimate_interest": (
        "The recognised legitimate interest of safeguarding a vulnerable individual"
    ),
}

INFORM_WORDS = {
    "yes": "Yes: explain to the person that you intend to share, what and why",
    "no": "No: a reason not to seek consent applies, so do not tell them",
}

# The contract's `consent` values (and `sharewise consent`'s `ask`).
CONSENT_WORDS = {
    "given": "Given",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    "not_sought": "Not sought",
    "cannot_be_obtained": "Cannot be obtained",
    "unsure": "Not sure",
    "ask": "Not known until competence or capacity is assessed",
}

_PARAGRAPH_NUMBER = re.compile(r"^\d+(\.\d+)*$")
_GOLDEN_RULE = re.compile(r"^GR(\d+)$")


def outcome_words(outcome: str) -> str:
    return OUTCOME_WORDS.get(outcome, outcome.replace("_", " ").capitalize())


def consent_words(consent: str | None) -> str:
    if not consent:
        return ""
    return CONSENT_WORDS.get(consent, consent.replace("_", " ").capitalize())


def basis_words(basis: str | None) -> str:
    if not basis:
        return ""
    return BASIS_WORDS.get(basis, basis.replace("_", " ").capitalize())


def refer_now_words(outcome: dict[str, Any]) -> str:
    """Refer now, as the record says it: yes, no, or not assessed where the path decided
    without asking about harm (the contract allows that in the 2008 and 2018 packs): never
    "No" for a question nobody asked."""
    if outcome.get("refer_now"):
        return "Yes: follow your safeguarding procedures without delay"
    if outcome.get("refer_now_assessed") is False:
        note = outcome.get("refer_now_note") or ""
        return f"Not assessed: the questions about harm were not asked. {note}".strip()
    return "No"


def citation_words(pack: Pack, cite: str) -> str:
    """A citation as a reader knows it: "paragraph 3.43", "golden rule 1", or the heading
    of a provision the pack names by topic ("safeguarding-condition")."""
    if _PARAGRAPH_NUMBER.match(cite):
        return f"paragraph {cite}"
    rule = _GOLDEN_RULE.match(cite)
    if rule:
        return f"golden rule {rule.group(1)}"
    paragraph = pack.paragraph(cite)
    if paragraph is not None and paragraph.heading:
        return paragraph.heading
    return cite.replace("-", " ").replace("_", " ").replace(".", ": ")
