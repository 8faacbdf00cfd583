"""The API's URLs: ninja's, plus JSON answers for what ninja answers in plain text (a
method not allowed) and for paths under /api/v1/ that match no endpoint, which would
otherwise get the web app's HTML 404 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from sharewise.web.access import NOTHING_HERE, access

from .api import api
from .errors import error
from .responses import json_response

View = Callable[..., HttpResponse]


def _json_error(status: int, message: str, **headers: str) -> HttpResponse:
    return json_response(error(message), status, **headers)


def _method_not_allowed_as_json(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            return _json_error(
                405, f"{request.method} is not allowed here; use {allowed}", Allow=allowed
            )
        return response

    return wrapped


def _with_json_405(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLPattern):
        return URLPattern(
            pattern.pattern,
            _method_not_allowed_as_json(pattern.callback),
            pattern.default_args,
            pattern.name,
        )
    return pattern


@access(NOTHING_HERE)
@csrf_exempt
def no_such_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    return _json_error(404, f"There is no API endpoint at {request.path}")


ninja_patterns, ninja_app, ninja_namespace = api.urls

urlpatterns = [
    path("", include(([_with_json_405(p) for p in ninja_patterns], ninja_app), ninja_namespace)),
    re_path(r"^(?P<rest>.*)$", no_such_endpoint),
]
