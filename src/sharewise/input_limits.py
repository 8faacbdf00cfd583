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


# The largest id either database can hold (a signed 64-bit integer). A larger number sent
# as an id is nobody's record, and a query with it fails with a server error on SQLite.
LARGEST_ID = 2**63 - 1


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


# --- How long free text may be ----------------------------------------------------------
#
# Three kinds, each with the limit a practitioner would think sensible. A limit is never
# applied by cutting the text short: the record must hold what was entered, so text over
# its limit is refused with the limit named, and the practitioner decides what to leave out.

# A name, a title, a role, a kind of information: one line.
SHORT_TEXT = 300
# A purpose, a reason, a trigger, what is asked for: a paragraph or a few.
REASON_TEXT = 5_000
# Notes, findings, the text shared, a request for advice: a long note, about eight pages.
LONG_TEXT = 20_000

# The fields of each kind by name, wherever they are (a model field, an API field, a form
# input): a field not named here that holds free text is LONG_TEXT, and a CharField keeps
# the max_length its model declares.
SHORT_TEXT_FIELDS = frozenset(
    {"title", "name", "full_name", "role", "source", "party", "with_whom", "chair"}
    | {"owner_name", "agency_name", "signatory_name", "signatory_role", "recipient_name"}
    | {"requester_name", "requester_role", "requester_agency_name", "subject_name"}
    | {"information_kind", "recipient", "advice_from", "lawful_basis"}
)
REASON_TEXT_FIELDS = frozenset(
    {"purpose", "reason", "necessity", "trigger", "information_requested", "identity_check"}
    | {"channel_details", "subject_told_how", "address", "subject_address", "how"}
    | {"stopped_reason", "withdrawn_reason", "withdrawal_reason", "outcome_reason"}
    | {"person_not_told_reason", "kept_reason", "release_reason", "question"}
)
# Lists whose every item is one line: kinds of information, purposes, recipients.
SHORT_ITEM_FIELDS = frozenset(
    {"information", "purposes", "recipients", "data_items", "informed_points"}
    | {"agencies_involved", "aliases", "extra_terms"}
)


def text_limit(field: str) -> int:
    """The most characters free text in `field` may hold (its last dotted part names it:
    "details.notes" is a note, "reasons.public_interest" a reason)."""
    parts = field.split(".")
    name = parts[-1]
    if name in SHORT_TEXT_FIELDS or name in SHORT_ITEM_FIELDS:
        return SHORT_TEXT
    if name in REASON_TEXT_FIELDS or (len(parts) > 1 and parts[-2] == "reasons"):
        return REASON_TEXT
    return LONG_TEXT


def text_too_long_message(label: str, limit: int, length: int) -> str:
    return f"{label} must be {limit:,} characters or fewer; this is {length:,}"
