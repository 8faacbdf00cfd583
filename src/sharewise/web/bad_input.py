"""Requests Sharewise refuses before any view sees them: a body larger than it accepts
(413, not 400) and text the database cannot store (the NUL character, a lone surrogate).

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE by raising RequestDataTooBig when
something first reads it (the CSRF check reads every form), and turns that into its 400
"bad request" page, which tells a practitioner who pasted a long document into a note
nothing useful. This middleware looks at the declared length before anything reads the
body and answers 413 (Content Too Large) with a plain message instead: a GOV.UK-style page
on the web, the API's one error object under /api/.

A NUL character in a form field or a query would reach the database and fail there with a
server error on PostgreSQL (SQLite stores it); no browser sends one from a form, so the
web answers with its 400 page. The API refuses it in its own parser, naming the field
(api/errors.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from sharewise.input_limits import unstorable_text_problem

API_PREFIX = "/api/"


def body_too_large(request: HttpRequest) -> bool:
    """Whether the request declares a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, the
    same test Django makes when the body is read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return False
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        # A Content-Length that is not a number is left for Django to refuse as malformed.
        return False
    return declared > limit


def holds_unstorable_text(request: HttpRequest) -> bool:
    """Whether a query or form value (or name) holds text the database cannot store (the
    NUL character; a lone surrogate, which Django's decoding already replaces, is checked
    too so that the rule is the API's: sharewise.input_limits). Reading the form here is
    safe: the size was checked first, and Django keeps what it read for the view."""
    for values in (request.GET, request.POST if request.method == "POST" else None):
        if values is None:
            continue
        for name, items in values.lists():
            if any(unstorable_text_problem(text) for text in (name, *items)):
                return True
    return False


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not body_too_large(request):
            if not request.path.startswith(API_PREFIX) and holds_unstorable_text(request):
                return HttpResponse(render_to_string("400.html"), status=400)
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            # Imported here so the API's error words stay in one place (api/errors.py)
            # without the web layer importing the API at start-up.
            from sharewise.api.errors import error_document
            from sharewise.api.responses import json_response

            status, document = error_document(RequestDataTooBig())
            return json_response(document, status)
        html = render_to_string("413.html", {"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
        return HttpResponse(html, status=413)
