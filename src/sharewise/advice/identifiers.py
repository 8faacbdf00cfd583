"""The vocabulary of redaction: the kinds of identifier, their labels, and what a
redaction returns. Light on purpose (no Presidio, no spaCy), so that the selectors and
pages can use it without paying for loading the analyser; `redaction.py` does the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What an identifier is; its label is what the safeguarding lead reads instead."""

    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    CASE_REFERENCE = "case_reference"
    ADDRESS = "address"
    STREET = "street"
    POSTCODE = "postcode"
    PHONE_NUMBER = "phone_number"
    EMAIL = "email"
    SCHOOL = "school"
    DATE = "date"
    WEB_ADDRESS = "web_address"
    NI_NUMBER = "ni_number"
    VEHICLE = "vehicle"
    BANK_ACCOUNT = "bank_account"
    CARD_NUMBER = "card_number"
    IP_ADDRESS = "ip_address"
    # A term the practitioner asked to take out that the records do not hold.
    OTHER = "other"


LABELS: dict[Kind, str] = {
    Kind.NAME: "NAME",
    Kind.DATE_OF_BIRTH: "DATE OF BIRTH",
    Kind.NHS_NUMBER: "NHS NUMBER",
    Kind.UPN: "UPN",
    Kind.CASE_REFERENCE: "CASE REFERENCE",
    Kind.ADDRESS: "ADDRESS",
    Kind.STREET: "STREET",
    Kind.POSTCODE: "POSTCODE",
    Kind.PHONE_NUMBER: "PHONE NUMBER",
    Kind.EMAIL: "EMAIL ADDRESS",
    Kind.SCHOOL: "SCHOOL",
    Kind.DATE: "DATE",
    Kind.WEB_ADDRESS: "WEB ADDRESS",
    Kind.NI_NUMBER: "NATIONAL INSURANCE NUMBER",
    Kind.VEHICLE: "VEHICLE REGISTRATION",
    Kind.BANK_ACCOUNT: "BANK ACCOUNT",
    Kind.CARD_NUMBER: "CARD NUMBER",
    Kind.IP_ADDRESS: "IP ADDRESS",
    Kind.OTHER: "REDACTED",
}
# Kinds whose labels are numbered, so that the lead can follow who did what ("[NAME 1]
# told [NAME 2]") without learning who they are. The others are one label each.
NUMBERED = frozenset({Kind.NAME, Kind.ADDRESS, Kind.STREET, Kind.SCHOOL, Kind.OTHER})


@dataclass(frozen=True)
class Identifier:
    """One thing the case's records hold about someone in it. Identifiers with the same
    `group` (one person, one address) share a numbered label."""

    kind: Kind
    value: str
    group: str = ""


@dataclass(frozen=True)
class Replacement:
    """One stretch of the text that was replaced. `original` is the practitioner's words:
    it is for the review screen and the tests, never stored with the request."""

    kind: Kind
    label: str
    start: int
    end: int
    original: str
    known: bool


@dataclass(frozen=True)
class Redaction:
    text: str
    replacements: tuple[Replacement, ...]

    @property
    def kinds(self) -> dict[str, int]:
        """How many of each kind were replaced: what is kept with a sent request."""
        counts: dict[str, int] = {}
        for replacement in self.replacements:
            counts[replacement.kind.value] = counts.get(replacement.kind.value, 0) + 1
        return dict(sorted(counts.items()))
