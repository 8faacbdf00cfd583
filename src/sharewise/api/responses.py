"""JSON responses made outside ninja's serialisation."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

CONTENT_TYPE = "application/json; charset=utf-8"


def json_response(document: Any, status: int = 200, **headers: str) -> HttpResponse:
    # UTF-8 rather than \u escapes, as `sharewise decide` prints: names in Welsh, Polish or
    # Arabic stay readable in a log, and both forms are the same JSON.
    return HttpResponse(
        json.dumps(document, ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
    )
