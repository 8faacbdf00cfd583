"""The API's lists say in the OpenAPI document how they page: `limit` (1 to 200) and
`offset`, with `count` beside the items (issue 16: they used to stop at 200 unsaid)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

PAGED = ["/api/v1/requests", "/api/v1/disclosures", "/api/v1/followups", "/api/v1/meetings"]


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("path", [*PAGED, "/api/v1/advice"])
def test_each_list_takes_a_bounded_limit_and_offset(document: dict[str, Any], path: str) -> None:
    operation = document["paths"][path]["get"]
    parameters = _parameters(operation)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 200)
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 2**31 - 1)
    assert "422" in operation["responses"]


@pytest.mark.parametrize("path", PAGED)
def test_each_list_answers_with_items_and_count(document: dict[str, Any], path: str) -> None:
    operation = document["paths"][path]["get"]
    assert _parameters(operation)["limit"]["default"] == 50
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    properties = _schema(document, body)["properties"]
    assert set(properties) == {"items", "count"}
    assert properties["items"]["type"] == "array"
    assert properties["count"]["type"] == "integer"


def test_the_advice_list_keeps_its_lists_and_adds_a_count_to_each(
    document: dict[str, Any],
) -> None:
    operation = document["paths"]["/api/v1/advice"]["get"]
    assert _parameters(operation)["limit"]["default"] == 200
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    properties = _schema(document, body)["properties"]
    assert set(properties) == {"asked", "asked_count", "to_answer", "to_answer_count"}
    assert "same `limit` and `offset`" in operation["description"]
