"""The rights app's part of the access matrix: exports of agency A's person (subject access,
consent records as FHIR), of its signed decision, and the import of a decision.

The subject access export is for leads and auditors only (LEAD_OR_AUDITOR on the web, and
API_LEAD_OR_AUDITOR, added here, over the API). A decision is exported only once signed, so
the export routes are called with the world's signed decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access.routes import World

OK = "allowed"

EXPECTED: dict[str, dict[str, Any]] = {
    "API_LEAD_OR_AUDITOR": {
        "anonymous": 401,
        "practitioner_a": 403,
        "manager_a": 403,
        "lead_a": OK,
        "auditor_a": OK,
        "practitioner_b": 404,
        "outsider": 404,
        "admin": 404,
    },
}


def build(world: World) -> dict[str, str]:
    # The world's person, consent and signed decision are all the routes need.
    return {}


def _signed(world: World) -> dict[str, str]:
    return {"decision_id": str(world.signed.pk)}


SAMPLES_BY_VIEW: dict[str, Callable[[World], dict[str, str]]] = {
    "decision_export": _signed,
    "decision_export_endpoint": _signed,
}

# An empty document: an allowed import stops at "not a decision document" (400) after the
# role check, which refuses the auditor first (403).
API_BODIES: dict[str, Callable[[World], Any]] = {
    "decision_import_endpoint": lambda world: {},
}
WEB_FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "decision_import": lambda world: {},
}
