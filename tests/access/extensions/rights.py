"""The rights app's part of the access matrix: exports of agency A's person (subject access,
consent records as FHIR), of its signed decision, and the import of a decision.

The subject access export is for leads and auditors only (LEAD_OR_AUDITOR on the web, and
API_LEAD_OR_AUDITOR, added here, over the API), and so are asking for its PDF, the page that
says whether the PDF is ready and its download. A decision is exported only once signed, so
the export routes are called with the world's signed decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sharewise.rights import services
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
    # The world's person, consent and signed decision are all the export routes need; the
    # subject access PDF's pages are called with a PDF lead A asked for, already prepared,
    # so that an allowed download gets the PDF.
    asked = services.subject_access_request_create(user=world.people.lead_a, person=world.person)
    services.subject_access_request_prepare(subject_access_request_id=asked.pk)
    world.extra["rights"] = {"subject_access_request": asked}
    return {"request_id": str(asked.pk)}


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
    # Asking for the subject access PDF takes no body.
    "subject_access_request_create_endpoint": lambda world: None,
}
WEB_FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "decision_import": lambda world: {},
}
