"""What every area's routes share: the error answers each kind of operation documents, the
bounds of a paginated list, and dates read from JSON text. One copy, so that a status an
operation can answer, or a list's bound, is stated once for every area (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, P, QueryEx

from ..errors import ErrorOut

# A read: no token (401), no such record or another agency's (404), bad input (422).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A write: a service's refusal (400), a role that may only read (403) and a body over the
# size limit (413, web/bad_input.py) as well. The 413 was missing from every area's copy
# but one, until schemathesis's conformance check sent a large enough body.
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    413: ErrorOut,
    **READ_ERRORS,
}
# A write checked against the `revision` the caller read: 409 when it changed since.
REVISED_WRITE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}

MAX_LIST_LIMIT = 200
# Bounded because the databases refuse an OFFSET beyond a 64-bit integer with an error of
# their own (a 500), as for /people.
MAX_OFFSET = 2**31 - 1
ListLimit = QueryEx[
    int, P(ge=1, le=MAX_LIST_LIMIT, description=f"How many to return (1 to {MAX_LIST_LIMIT})")
]
ListOffset = QueryEx[int, P(ge=0, le=MAX_OFFSET, description="How many to skip")]

# Dates and times arrive as ISO 8601 text in JSON; the input models are strict otherwise,
# and strict mode would refuse "2026-03-27" as a date.
LenientDate = Annotated[dt.date, Field(strict=False)]
LenientDateTime = Annotated[dt.datetime, Field(strict=False)]
