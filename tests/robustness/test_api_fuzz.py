"""Schemathesis against the JSON API, in process: whatever an integrator sends, Sharewise
never answers with a server error, every refusal says in JSON what was wrong, and every
answer is one the OpenAPI document describes: its status code, its content type and its
body (schemathesis's conformance checks, issue 17).

The schema is read from the app itself (`/api/v1/openapi.json` through the WSGI
application), never downloaded. Each operation gets a bounded number of generated
requests, so the test runs in well under a minute on both databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.generation import GenerationMode

from tests.factories import PersonFactory, api_token_for, personas

from .helpers import signed_decision

OPENAPI = "/api/v1/openapi.json"
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def practitioner_token(db: None) -> dict[str, Any]:
    """A token of a practitioner in an agency that holds a person and a signed decision,
    so that generated requests can reach real records as well as missing ones."""
    world = personas()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = signed_decision(user=world.practitioner_a, person=person)
    token = api_token_for(world.practitioner_a, "fuzz")
    return {"token": token, "person_id": person.pk, "decision_id": decision.pk}


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    # Django closes the database connection at the start and end of every request it
    # handles through WSGI. Inside a test that connection holds the test's transaction,
    # so it is kept open here, as Django's own test client does for its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations() -> list[Any]:
    # Built here rather than imported at collection, so that WhiteNoise lists the static
    # files after the suite has collected them.
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi(OPENAPI, get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def _cases(operation: Any) -> st.SearchStrategy[Any]:
    # Requests that follow the schema and requests that break it on purpose: both must
    # be answered without a server error.
    return st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )


def _check(case: Any, response: Any) -> None:
    described = (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    )
    assert response.status_code < 500, described
    if 400 <= response.status_code < 500:
        # Schemathesis gives the headers with lower-case names, each as a list of values.
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), described
        document = json.loads(response.text)
        assert isinstance(document, dict), described
        assert isinstance(document.get("error"), str) and document["error"].strip(), described
    # What an integrator's generated client relies on: the answer is one the document
    # describes. Raises naming the operation, the answer and what the document said.
    case.validate_response(response, checks=CONFORMANCE)


CONFORMANCE = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


# Schemathesis's own pytest integration (`from_fixture` and `parametrize`) does not run on
# pytest 9.2, so each operation is driven with Hypothesis directly.
def test_no_input_makes_a_server_error_and_every_answer_is_documented(
    connections_kept_open: None, practitioner_token: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {practitioner_token['token']}"}
    operations = _operations()
    assert len(operations) >= 10, "the OpenAPI document lists fewer operations than expected"
    for operation in operations:

        @given(case=_cases(operation), use_real_record=st.booleans())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answer_without_server_error(case: Any, use_real_record: bool) -> None:
            # Half the generated requests name the practitioner's own person or decision,
            # the other half whatever number was generated (mostly records that do not
            # exist).
            if use_real_record and case.path_parameters:
                for name in ("person_id", "decision_id"):
                    if name in case.path_parameters:
                        case.path_parameters[name] = practitioner_token[name]
            _check(case, case.call(headers=headers))

        answer_without_server_error()
