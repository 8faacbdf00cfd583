"""What Sharewise refuses as input in every area, whichever way it arrives (the API, a web
form, the command line): text the database cannot store, and dates outside the range a
safeguarding record can mean.

The API's parser and schemas (api/errors.py, api/schemas.py) and the web's middleware and
date helper (web/bad_input.py, web/forms.py) all ask these functions, so the rule is
written once and every way in refuses the same input in the same words.
"""

from __future__ import annotations

import datetime as dt
import re

# PostgreSQL refuses NUL in a text column, and UTF-8 cannot encode a lone surrogate (JSON
# can spell one, "\ud800", and Python decodes it), so either would fail on the database
# write with a server error. No name or note ever needs them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# The years a date in a record can mean: the oldest date of birth of an adult at risk, the
# furthest review or follow-up date anyone would plan. Outside them a date is a typing
# mistake, and years such as 1 or 9999 make date arithmetic overflow (a due date, a time
# zone moved to UTC).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def unstorable_text_problem(value: str) -> str | None:
    """Why `value` cannot be stored, in words to follow the field's name, or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain the NUL character (\\u0000)"
    return "must not contain a lone surrogate (\\ud800 to \\udfff): send the text as UTF-8"


def date_out_of_range(value: dt.date) -> bool:
    """Whether a date (or the date of a date and time) is outside the years a record can
    mean. A datetime is judged by the year as written, before any time zone is applied."""
    return not EARLIEST_YEAR <= value.year <= LATEST_YEAR


def date_range_message() -> str:
    return f"must be a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}"
