"""The errors the guidance core raises.

Each carries a message a practitioner or integrator can act on, and the name of the
offending field, so the web shows it in an error summary, the API as JSON with the field
named and the CLI on stderr with exit status 2 (decision contract, "Entry points").
"""

from __future__ import annotations


class GuidanceError(Exception):
    """Bad input to the core: `field` names what is wrong, `message` says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_json(self) -> dict[str, str | None]:
        return {"error": self.message, "field": self.field}


class FactError(GuidanceError):
    """A fact given to `decide` is unknown, of the wrong type or outside its values."""


class ConsentInputError(GuidanceError):
    """The consent responses given to `consent` are malformed."""


class PackError(GuidanceError):
    """A policy pack on disk is malformed or an unknown pack was asked for.

    `field` is the path inside the pack ("flow.toml: nodes.purpose.next") so an author can
    find the line to fix.
    """
