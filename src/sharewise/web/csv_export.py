"""Every CSV download of Sharewise is written here, so none can forget what a spreadsheet
does with a cell that looks like a formula.

A CSV file is read by Excel, LibreOffice Calc or Google Sheets, which run a cell that
starts with `=`, `+`, `-` or `@` (and, in some, a tab or a carriage return) as a formula:
`=HYPERLINK(...)` in a name typed into Sharewise would send the spreadsheet's other cells
wherever it pointed once a manager opened the export (CSV or formula injection, CWE-1236).
OWASP's advice is followed: such a cell is written with a single quote before it, which the
spreadsheet reads as "this is text", and the `csv` module quotes any cell holding a comma,
a quote or a line break, so no cell can start a new one. A number is not a formula: -3 is
written as -3, so the figures stay figures a spreadsheet can add up.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
# Injection"), and the null character, which ASVS 5.0 (1.2.10) adds to the list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
# A plain decimal number written as text ("-3", "10.0"): a spreadsheet reads it as the
# number it is and runs nothing, so it is left as it is. Nothing else that starts with a
# minus sign passes: "-3+1", "-1e5" or "-cmd" are escaped.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# What a downloaded file's name may hold: no quote, slash, control character or space
# that could break out of the Content-Disposition header or name a path.
FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
FILENAME_LONGEST = 120


def spreadsheet_cell(value: object) -> str:
    """The text of one cell as a spreadsheet should read it: a number as a number, and
    anything else that would start a formula prefixed with a single quote."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return text
    # An infinity or NaN is no figure ("-inf" would be read as a formula): it is text.
    if isinstance(value, float) and math.isfinite(value):
        return text
    if isinstance(value, Decimal) and value.is_finite():
        return text
    if PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_filename(name: str, *, extension: str = ".csv") -> str:
    """`name` made fit for a Content-Disposition header and any file system: letters,
    digits, dots, hyphens and underscores only, never hidden, ending in `extension`."""
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    stem = FILENAME_UNSAFE.sub("-", stem).strip(".-") or "sharewise"
    return stem[:FILENAME_LONGEST] + extension


def csv_response(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A download of `header` and `rows` as CSV (UTF-8), every cell made safe for a
    spreadsheet and the file named safely. The caller audits the export."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    writer = csv.writer(response)
    writer.writerow([spreadsheet_cell(value) for value in header])
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return response
