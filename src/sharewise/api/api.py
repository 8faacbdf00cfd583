"""The NinjaAPI behind /api/v1/: its routers, authentication, renderer and the one
error handler."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from sharewise.common import ServiceError
from sharewise.guidance.errors import GuidanceError

from .auth import BearerToken
from .errors import ROUTES_WITH_PROBLEMS, JsonBodyParser, MalformedJson, error_document
from .routes import (
    advice,
    decisions,
    disclosures,
    followups,
    guidance,
    people,
    protocols,
    requests,
    retention,
    rights,
)


class Utf8JsonRenderer(JSONRenderer):
    # Names in Welsh, Polish or Arabic go out as UTF-8, as `sharewise decide` prints them,
    # rather than as \u escapes; both are valid JSON, this one is readable in a log.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Sharewise",
    version="1",
    description=(
        "Decide whether to share information about a child or an adult at risk under HM "
        "Government's information-sharing guidance, and keep the decision record. Every "
        "endpoint needs a token (`sharewise token create USERNAME`) sent as "
        "`Authorization: Bearer TOKEN`. Every error is one JSON object "
        '`{"error": "...", "field": "..." or null}`.'
    ),
    urls_namespace="api",
    auth=BearerToken(),
    renderer=Utf8JsonRenderer(),
    parser=JsonBodyParser(),
    # The Swagger UI is served from ninja's own static files ("ninja" is in
    # INSTALLED_APPS), never from a CDN; the online validator badge, which would send the
    # document to swagger.io, is turned off.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("", guidance.router)
api.add_router("", people.router)
api.add_router("", decisions.router)
for area in (disclosures, requests, advice, protocols, followups, rights, retention):
    api.add_router("", area.router)


def api_error(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """The one exception handler: every failure as `{"error", "field"}` (errors.py)."""
    # Ninja's type for a handler allows an exception class; it always passes an instance.
    status, document = error_document(exc if isinstance(exc, Exception) else exc())
    match = request.resolver_match
    if status == 400 and match is not None and match.url_name in ROUTES_WITH_PROBLEMS:
        # Its OpenAPI document promises `problems` with every 400, a body that is not
        # JSON or a decision already signed included: the one problem, then.
        document.setdefault("problems", [{"field": document["field"], "error": document["error"]}])
    response = api.create_response(request, document, status=status)
    if status == 401:
        # RFC 6750: a 401 names the scheme the client should use.
        response["WWW-Authenticate"] = 'Bearer realm="sharewise"'
    return response


# Registered for each class ninja has a default handler for, so that none of ninja's own
# shapes ({"detail": ...}) or Django's HTML pages can reach a caller.
for exception_class in (
    Exception,
    HttpError,
    ValidationError,
    Http404,
    ServiceError,
    GuidanceError,
    MalformedJson,
    SuspiciousOperation,
):
    api.add_exception_handler(exception_class, api_error)
