"""One error shape for the whole API: `{"error": "...", "field": "..." or null}`.

It is the shape of the decision contract's errors (`GuidanceError.as_json()`) and of the
services' `ServiceError`, so an integrator reads every failure the same way, whether the
facts were bad, a record was not found or the token was wrong. `error_document` decides
the status and the words for every exception the API can meet; the one handler in
`sharewise.api.api` renders it. Never a traceback, never an HTML page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser

from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.guidance.errors import GuidanceError
from sharewise.input_limits import text_limit, text_too_long_message, unstorable_text_problem

logger = logging.getLogger("sharewise.api")

UNAUTHENTICATED = "Send a valid token as Authorization: Bearer TOKEN"
# The field services name when a draft changed after the caller read it: that is a
# conflict (409) the caller resolves by reading the decision again, not a mistake in
# what they sent.
REVISION_FIELD = "revision"


class ErrorOut(Schema):
    """Every error the API answers with."""

    error: str
    field: str | None = None


class SignProblemOut(Schema):
    field: str | None = Field(
        description="The field to put right; null where the request as a whole is at fault "
        "(a body that is not JSON)"
    )
    error: str


class SignRefusedOut(ErrorOut):
    """A decision that cannot be signed yet: the first problem, and all of them."""

    problems: list[SignProblemOut]


# The operations (by URL name) whose 400 is SignRefusedOut, listing every problem.
ROUTES_WITH_PROBLEMS = frozenset({"decision_sign_endpoint"})


class MalformedJson(Exception):
    """The request body is not JSON at all (as opposed to JSON with bad values)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignRefused(ServiceError):
    """A decision cannot be signed yet; `problems` lists everything to put right, as
    (field, message), so an integrator can fix them all in one go."""

    def __init__(self, message: str, *, field: str | None, problems: Sequence[tuple[str, str]]):
        super().__init__(message, field=field)
        self.problems = list(problems)


def json_body(request: HttpRequest) -> Any:
    """The request body parsed as JSON, or MalformedJson saying what is wrong with it, in
    the words `sharewise decide` uses for the same fault; UnstorableText for a string no
    answer could use and no error message could quote (a lone surrogate cannot be written
    out as UTF-8 either)."""
    try:
        body = json.loads(request.body)
    except json.JSONDecodeError as exc:
        raise MalformedJson(
            f"The request body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise MalformedJson("The request body is not UTF-8 text") from exc
    refuse_unstorable_text(body)
    return body


class UnstorableText(Exception):
    """Text the database cannot store: the NUL character (PostgreSQL refuses it) or a lone
    surrogate (UTF-8 cannot encode it). Either would fail on the write with a server error,
    a 500; the rule is `sharewise.input_limits`."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem = problem


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every string in a parsed body or query, at any depth: (its path, the text, whether
    it is a key). Both refusals below walk a body through here."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key), True
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


def refuse_unstorable_text(value: Any) -> None:
    """Raise UnstorableText naming the first string in `value` (keys too) that the database
    could not store. Every string of every body and query passes here, so no API field can
    reach the database with one."""
    for path, text, _ in _strings(value):
        problem = unstorable_text_problem(text)
        if problem is not None:
            raise UnstorableText(path or None, problem)


class TextTooLong(Exception):
    """Free text over the limit of its kind (sharewise.input_limits): refused, never cut
    short, before anything is done with it."""

    def __init__(self, field: str | None, limit: int, length: int) -> None:
        super().__init__(field, limit, length)
        self.field = field
        self.limit = limit
        self.length = length


def refuse_long_text(value: Any) -> None:
    """Raise TextTooLong naming the first string in `value` longer than its field's kind
    allows. The record's own check (sharewise.storable) would refuse it too, on save; this
    answers first, naming the field as the caller spelled it, before a long text is
    redacted, matched or decided with."""
    for path, text, is_key in _strings(value):
        limit = text_limit(path)
        if not is_key and len(text) > limit:
            raise TextTooLong(path or None, limit, len(text))


class JsonBodyParser(Parser):
    """Ninja's parser, with the reason a body is not JSON kept for the error message, and
    text the database cannot store refused before it can reach it, on SQLite as on
    PostgreSQL."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body = json_body(request)
        refuse_long_text(body)
        return cast(dict[str, Any], body)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        refuse_unstorable_text(parsed)
        refuse_long_text(parsed)
        return parsed


def error(message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": message, "field": field}


def error_document(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON error object for `exc`."""
    if isinstance(exc, AuthenticationError):
        return 401, error(UNAUTHENTICATED)
    if isinstance(exc, SignRefused):
        document = error(exc.message, exc.field)
        document["problems"] = [{"field": f, "error": m} for f, m in exc.problems]
        return 400, document
    if isinstance(exc, ServiceError):
        return _service_status(exc), error(exc.message, exc.field)
    if isinstance(exc, GuidanceError):
        # Facts that the contract rejects: `sharewise decide` exits 2 with this object.
        return 422, exc.as_json()
    if isinstance(exc, ValidationError):
        return 422, _validation_document(exc.errors)
    if isinstance(exc, MalformedJson):
        return 400, error(exc.message)
    if isinstance(exc, HttpError) and isinstance(exc.__cause__, (UnstorableText, TextTooLong)):
        # Ninja wraps the parser's refusal in HttpError(400), as for MalformedJson.
        exc = exc.__cause__
    if isinstance(exc, TextTooLong):
        where = f"'{exc.field}'" if exc.field else "The text"
        return 422, error(text_too_long_message(where, exc.limit, exc.length), exc.field)
    if isinstance(exc, UnstorableText):
        where = f"'{exc.field}'" if exc.field else "The request"
        return 422, error(f"{where} {exc.problem}", exc.field)
    if isinstance(exc, HttpError):
        # Ninja wraps a parser's failure in HttpError(400); the parser's own reason is
        # more use to the caller than "Cannot parse request body".
        if isinstance(exc.__cause__, MalformedJson):
            return 400, error(exc.__cause__.message)
        if isinstance(exc, AuthorizationError):
            return 403, error("Your token does not allow this")
        return exc.status_code, error(exc.message)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, error(f"The request body is larger than the {limit} bytes allowed")
    if isinstance(exc, SuspiciousOperation):
        return 400, error("The request was refused as malformed")
    if isinstance(exc, Http404):
        return 404, error("There is no such record")
    # A fault of ours. The traceback goes to the log for the people who run the service;
    # the caller learns only that it was not their fault.
    logger.error("Unhandled error in the JSON API", exc_info=exc)
    return 500, error(
        "Something went wrong in Sharewise and nothing was saved. Try again later; if it "
        "keeps happening, tell the people who run the service."
    )


def _service_status(exc: ServiceError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if exc.field == REVISION_FIELD:
        return 409
    return 400


def _validation_document(errors: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The first fault ninja found, named by its dotted path inside the body or the
    query ("details.person_told", "answers.purpose", "limit")."""
    if not errors:
        return error("The request is not valid")
    first = errors[0]
    location = [str(part) for part in first.get("loc", ())]
    # Ninja's locations start with where the value was ("body", "query", "path") and,
    # for a body, the name of the handler's parameter, which means nothing to a caller.
    path = location[2:] if location[:1] == ["body"] else location[1:]
    field = ".".join(path) or None
    kind = first.get("type")
    message = str(first.get("msg", "is not valid"))
    if field is None:
        if kind == "missing":
            return error("Send the request body as one JSON object")
        return error(f"The request body is not valid: {message}")
    if kind == "missing":
        return error(f"'{field}' is required", field)
    if kind == "extra_forbidden":
        return error(f"'{field}' is not a field this request takes", field)
    return error(f"'{field}': {message}", field)
