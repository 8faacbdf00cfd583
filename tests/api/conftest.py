"""Fixtures for the JSON API's tests: the personas of tests/factories.py, each with a
token, and a client that speaks JSON to /api/v1/ as an integrator would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import Personas, api_token_for, give_authenticator, personas

API = "/api/v1"


class ApiClient:
    """Django's test client, sending JSON with `Authorization: Bearer TOKEN`, through the
    whole middleware stack as a real request would go."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self.client = Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self._headers())

    def send(
        self, method: str, path: str, body: Any = None, *, raw: str | bytes | None = None
    ) -> Any:
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(
            API + path, data=data, content_type="application/json", headers=self._headers()
        )

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        return self.send("post", path, body, raw=raw)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("patch", path, body)


@pytest.fixture
def world(db: None) -> Personas:
    """The personas, each having set up an authenticator app, as the API asks of anyone
    whose role shows identifiable data (tests/api/test_tokens.py tests the refusal)."""
    people = personas()
    for user in (people.practitioner_a, people.auditor_a, people.practitioner_b):
        give_authenticator(user)
    return people


@pytest.fixture
def api_as() -> Callable[[Any], ApiClient]:
    """An API client holding a new token of `user`."""

    def make(user: Any) -> ApiClient:
        token = api_token_for(user, "tests")
        return ApiClient(token)

    return make


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient(None)
