"""Input the database cannot store, dates outside the years a record can mean, and text
longer than a practitioner would write are refused in the API's one error shape, naming the
field, with nothing saved (issue 17, "server errors" and "input limits")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from tests.api.conftest import ApiClient
from tests.factories import Personas, PersonFactory

# The JSON text of a lone surrogate, as an integrator's bug would send it: json.loads
# turns it into a Python string that UTF-8 cannot encode.
SURROGATE = '"\\ud800"'


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("sharewise.") and model._meta.app_label != "api"
    }


@pytest.mark.parametrize(
    ("who", "path", "body"),
    [
        ("practitioner_a", "/advice", '{"text": %s}'),
        ("practitioner_a", "/decisions", '{"person_id": {person}, "purpose": %s}'),
        (
            "practitioner_a",
            "/people/{person}/protected-identities",
            '{"name": %s, "role": "other"}',
        ),
        ("practitioner_a", "/requests/received", '{"requester_role": %s}'),
        ("practitioner_a", "/followups", '{"trigger": %s}'),
        ("manager_a", "/retention/people/{person}/holds", '{"reason": %s}'),
        ("admin", "/protocols", '{"title": %s}'),
    ],
)
def test_a_lone_surrogate_is_422_naming_the_field(
    world: Personas, api_as: Callable[[Any], ApiClient], who: str, path: str, body: str
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    api = api_as(getattr(world, who))
    before = _counts()
    raw = (body % SURROGATE).replace("{person}", str(person.pk))
    response = api.post(path.replace("{person}", str(person.pk)), raw=raw)
    assert response.status_code == 422, response.content
    field = raw.split('"')[1] if raw.startswith('{"') and "person_id" not in raw else "purpose"
    assert response.json() == {
        "error": f"'{field}' must not contain a lone surrogate (\\ud800 to \\udfff): send "
        "the text as UTF-8",
        "field": field,
    }
    assert _counts() == before


def test_a_lone_surrogate_is_refused_at_any_depth_and_in_a_key(
    world: Personas, api_as: Callable[[Any], ApiClient]
) -> None:
    api = api_as(world.practitioner_a)
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    started = api.post("/decisions", {"person_id": person.pk, "purpose": "Refer"}).json()
    response = api.send(
        "patch",
        f"/decisions/{started['id']}",
        raw='{"details": {"notes": "a\\udc80b"}, "revision": ' + f"{started['revision']}}}",
    )
    assert (response.status_code, response.json()["field"]) == (422, "details.notes")
    response = api.post("/decide", raw='{"reasons": {"\\ud83d": "x"}}')
    assert (response.status_code, response.json()["field"]) == (422, "reasons")


RECEIVED = {
    "requester_role": "Detective constable",
    "subject_name": "Helen Marsh",
    "information_requested": "Attendance at appointments",
    "purpose": "Strategy discussion",
    "necessity": "To assess risk",
    "channel": "letter",
    "requester_name": "Sam Lee",
    "requester_agency_name": "Northtown Police",
    "received_at": "2025-01-06T10:00:00+00:00",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": "0001-01-01T00:00:00+05:00"}, "received_at"),
        ({"received_at": "9999-12-31T23:59:59-05:00"}, "received_at"),
        ({"due_on": "9999-12-31"}, "due_on"),
        ({"subject_date_of_birth": "0001-01-01"}, "subject_date_of_birth"),
    ],
)
def test_a_request_dated_outside_the_years_a_record_can_mean_is_refused(
    world: Personas, api_as: Callable[[Any], ApiClient], changes: dict[str, Any], field: str
) -> None:
    api = api_as(world.practitioner_a)
    before = _counts()
    response = api.post("/requests/received", RECEIVED | changes)
    assert response.status_code == 422, response.content
    assert response.json() == {
        "error": f"'{field}': must be a date between the years 1900 and 2100",
        "field": field,
    }
    assert _counts() == before
    assert api.post("/requests/received", RECEIVED).status_code == 201


def test_every_input_model_of_the_api_takes_the_shared_checks() -> None:
    # The date range (and the strictness) live on schemas.StrictInput; an input model
    # made from ninja's Schema directly would silently skip them.
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    from sharewise.api import routes
    from sharewise.api.schemas import StrictInput

    # Every route module, so that an area added later is checked without being listed.
    modules = [
        importlib.import_module(f"{routes.__name__}.{found.name}")
        for found in pkgutil.iter_modules(routes.__path__)
    ]
    assert len(modules) >= 10
    inputs = [
        (module.__name__, name)
        for module in modules
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and issubclass(value, Schema)
        and name.endswith("In")
        and not issubclass(value, StrictInput)
    ]
    assert inputs == []


# --- How long free text may be ------------------------------------------------------------


def _protocol_body(world: Personas, **changes: Any) -> dict[str, Any]:
    return {"title": "Riverside information sharing", "parties": [world.agency_a.pk]} | changes


@pytest.mark.parametrize(
    ("who", "path", "body", "field", "limit"),
    [
        ("practitioner_a", "/decisions", {"purpose": "x" * 5_001}, "purpose", 5_000),
        ("practitioner_a", "/decisions", {"recipient": "x" * 301}, "recipient", 300),
        ("practitioner_a", "/decisions", {"information": ["x" * 301]}, "information", 300),
        (
            "manager_a",
            "/retention/people/{person}/holds",
            {"reason": "x" * 200_000},
            "reason",
            5_000,
        ),
        ("admin", "/protocols", {"title": "x" * 200_000}, "title", 300),
        ("practitioner_a", "/advice", {"text": "x" * 20_001}, "text", 20_000),
    ],
)
def test_free_text_over_the_limit_of_its_kind_is_422_naming_the_field_and_the_limit(
    world: Personas,
    api_as: Callable[[Any], ApiClient],
    who: str,
    path: str,
    body: dict[str, Any],
    field: str,
    limit: int,
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    api = api_as(getattr(world, who))
    before = _counts()
    full = {"person_id": person.pk, "purpose": "Refer"} if path == "/decisions" else {}
    if path == "/protocols":
        full = _protocol_body(world)
    response = api.post(path.replace("{person}", str(person.pk)), full | body)
    assert response.status_code == 422, response.content
    length = len(body[field]) if isinstance(body[field], str) else len(body[field][0])
    assert response.json() == {
        "error": f"'{field}' must be {limit:,} characters or fewer; this is {length:,}",
        "field": field,
    }
    assert _counts() == before


def test_text_at_the_limit_is_kept_whole(
    world: Personas, api_as: Callable[[Any], ApiClient]
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    purpose = "é" * 5_000
    response = api_as(world.practitioner_a).post(
        "/decisions", {"person_id": person.pk, "purpose": purpose}
    )
    assert response.status_code == 201, response.content
    assert response.json()["purpose"] == purpose
    title = "T" * 300
    response = api_as(world.admin).post("/protocols", _protocol_body(world, title=title))
    assert response.status_code == 201, response.content
    assert response.json()["title"] == title


def test_a_field_shorter_in_the_record_than_its_kind_is_refused_on_save(
    world: Personas, api_as: Callable[[Any], ApiClient]
) -> None:
    # A meeting's chair is kept in 200 characters: within a short field's 300, so the
    # record's own check (sharewise.storable) refuses it, as PostgreSQL would have with a
    # server error, and SQLite not at all.
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    api = api_as(world.practitioner_a)
    before = _counts()
    response = api.post(
        "/meetings",
        {"kind": "marac", "held_on": "2025-01-06", "chair": "C" * 250, "person_ids": [person.pk]},
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": "Chair must be 200 characters or fewer; this is 250",
        "field": "chair",
    }
    assert _counts() == before


def test_an_id_too_large_for_the_database_is_no_agency(
    world: Personas, api_as: Callable[[Any], ApiClient]
) -> None:
    api = api_as(world.admin)
    before = _counts()
    response = api.post("/protocols", _protocol_body(world, parties=[10**20]))
    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": "Choose the parties from the agencies listed",
        "field": "parties",
    }
    assert _counts() == before


def test_the_openapi_document_states_the_limits(db: None) -> None:
    from django.test import Client

    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    start = schemas["DecisionStartIn"]["properties"]
    assert (start["purpose"]["maxLength"], start["recipient"]["maxLength"]) == (5_000, 300)
    assert start["information"]["items"]["maxLength"] == 300
    assert schemas["ProtocolIn"]["properties"]["title"]["maxLength"] == 300
    assert schemas["HoldIn"]["properties"]["reason"]["maxLength"] == 5_000
    assert schemas["AnswersIn"]["properties"]["reasons"]["additionalProperties"] == {
        "type": "string",
        "maxLength": 5_000,
    }
