"""What every area of Sharewise shares: the one error type services raise.

Services raise `ServiceError` with a message a practitioner understands and, where one
field is at fault, its name; the web shows it in a GOV.UK error summary, the API as JSON
naming the field, the CLI on stderr with exit status 2.
"""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """The record does not exist, or the user may not see it. The two are deliberately the
    same: telling them apart would reveal that another agency holds a record (3.15)."""


class PermissionDenied(ServiceError):
    """The user may see the record but not do this to it."""
