"""NHS numbers and Unique Pupil Numbers, validated by their check characters."""

from __future__ import annotations

import pytest

from sharewise.common import ServiceError
from sharewise.people.identifiers import nhs_number_clean, upn_clean


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", "943-476-5919"])
def test_a_valid_nhs_number_in_any_spacing(typed: str) -> None:
    assert nhs_number_clean(typed) == "9434765919"


@pytest.mark.parametrize("typed", ["9434765918", "943476591", "94347659190", "ABC4765919"])
def test_a_mistyped_nhs_number_is_refused(typed: str) -> None:
    with pytest.raises(ServiceError) as caught:
        nhs_number_clean(typed)
    assert caught.value.field == "nhs_number"


def test_check_digit_ten_is_never_valid() -> None:
    # 000000300: the weighted sum is 3 x 4 = 12, so the check would be 11 - 1 = 10, which
    # no NHS number has, whatever its tenth digit.
    for last in "0123456789":
        with pytest.raises(ServiceError, match="not a valid NHS number"):
            nhs_number_clean("000000300" + last)


def test_upn_check_letter() -> None:
    assert upn_clean("p234567890123") == "P234567890123"
    for wrong in ("A234567890123", "P23456789012", "P2345678901I3", "I234567890123"):
        with pytest.raises(ServiceError) as caught:
            upn_clean(wrong)
        assert caught.value.field == "upn"
