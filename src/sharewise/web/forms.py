"""Small helpers shared by the pages that take input, so every form reports its errors the
same way: a GOV.UK error summary at the top, each message beside its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, QueryDict
from django.utils.text import slugify

from sharewise.common import PermissionDenied, ServiceError
from sharewise.input_limits import EARLIEST_YEAR, LATEST_YEAR

T = TypeVar("T")


@dataclass(frozen=True)
class SummaryError:
    """One line of a GOV.UK error summary: the message and the id of the field it links to."""

    message: str
    target_id: str


class FieldMessages(dict[str, str]):
    """Messages by field name; a field without one reads as "" rather than failing.

    Templates look messages up as `errors.by_field.NAME`, and a name without a message is
    the usual case. Django silences a missing variable, but not a missing argument of a
    filter (`{{ errors.by_field.a|default:errors.by_field.b }}`), which raised
    VariableDoesNotExist and turned the "check again" page into a server error."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class FormErrors:
    """The errors of one submitted form, by field, in the order they were found."""

    by_field: dict[str, str] = field(default_factory=FieldMessages)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    def add_service_error(self, exc: ServiceError) -> None:
        self.add(exc.field or "form", exc.message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def items(self) -> list[tuple[str, str]]:
        return list(self.by_field.items())

    def __iter__(self) -> Iterator[SummaryError]:
        # The error summary's lines, each linking to its field's element (fields are given
        # ids from their names, slugified, as the templates write them).
        return iter(SummaryError(message, slugify(name)) for name, message in self.by_field.items())

    def get(self, name: str) -> str:
        return self.by_field.get(name, "")


def text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").strip()


def lines(request: HttpRequest, name: str) -> list[str]:
    """A textarea with one item a line, as a list without blanks."""
    return [line.strip() for line in request.POST.get(name, "").splitlines() if line.strip()]


def date_from_parts(
    request: HttpRequest, name: str, errors: FormErrors, label: str
) -> dt.date | None:
    """A GOV.UK date input (name-day, name-month, name-year) as a date; blank is None."""
    return date_from_values(request.POST, name, errors, label)


def date_from_values(
    values: QueryDict, name: str, errors: FormErrors, label: str, example: str = "27 3 2019"
) -> dt.date | None:
    """A GOV.UK date input read from a form or a query (a report's period). A date that is
    not real, or outside the years a record can mean (sharewise.input_limits), is an error
    beside its field: a year of twenty digits would otherwise overflow into a server error."""
    parts = [values.get(f"{name}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None
    # isdigit() alone would take "²" or "١" (Arabic-Indic one), which int() reads as a
    # number: the parts are ASCII digits, as the numeric keypad sends them.
    if not all(p.isascii() and p.isdigit() for p in parts):
        errors.add(name, f"{label} must be a real date, like {example}")
        return None
    day, month, year = (int(p) for p in parts)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        errors.add(name, f"{label} must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        errors.add(name, f"{label} must be a real date, like {example}")
        return None


def submitted(errors: FormErrors, write: Callable[[], T]) -> T | None:
    """Run a form's one service write. What the service refuses as bad input becomes an
    error beside its field; what it refuses as not this user's to do becomes the 403 page.
    Returns what the service returned, or None when there are errors to show."""
    try:
        return write()
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except ServiceError as exc:
        errors.add_service_error(exc)
        return None
