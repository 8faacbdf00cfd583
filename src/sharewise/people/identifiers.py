"""Identifiers used in the field, validated as the issuing bodies define them."""

from __future__ import annotations

import re

from sharewise.common import ServiceError


def nhs_number_clean(value: str) -> str:
    """An NHS number as its ten digits, or ServiceError naming what is wrong.

    The tenth digit is a modulus 11 check digit: weights 10 down to 2 on the first nine
    digits, 11 minus the remainder of the sum divided by 11 (11 becomes 0, and 10 means
    the number is not valid). This catches a mistyped digit before a record is linked to
    the wrong child.
    """
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ServiceError(
            "Enter an NHS number with 10 digits, like 943 476 5919", field="nhs_number"
        )
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ServiceError("This is not a valid NHS number: check the digits", field="nhs_number")
    return digits


# A Unique Pupil Number: a check letter then 12 digits, or 11 digits and a final letter for
# a temporary UPN (DfE, "Unique pupil numbers (UPN)"). The check letter is from the
# alphabet without I, O and S, at the position given by the weighted sum modulo 23.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_clean(value: str) -> str:
    upn = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        raise ServiceError(
            "Enter a Unique Pupil Number: a letter followed by 12 characters, like P234567890123",
            field="upn",
        )
    letter_values = {c: i for i, c in enumerate(UPN_LETTERS)}
    total = 0
    for position, char in enumerate(upn[1:], start=2):
        value_of = int(char) if char.isdigit() else letter_values.get(char, -1)
        if value_of < 0:
            raise ServiceError(
                "This Unique Pupil Number has a letter that is never used", field="upn"
            )
        total += value_of * position
    if UPN_LETTERS[total % 23] != upn[0]:
        raise ServiceError(
            "This is not a valid Unique Pupil Number: check the characters", field="upn"
        )
    return upn
