"""Access enforced everywhere: every URL the service answers, called as every persona, must
answer as the policy declared beside its view says (sharewise.web.access).

The routes are found by walking the URL resolver, ninja's API included, so nobody keeps a
list of them; a route without a declared policy fails here, with its address.

Personas (tests/factories.py): anonymous; an outsider with an account and no agency;
practitioner, safeguarding lead, manager and auditor of agency A, which holds the records;
a practitioner of agency B; a partnership administrator. Web pages are called with a
signed-in session (MFA passed), API routes with a bearer token of the persona instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from sharewise.web import access
from tests.access.routes import (
    PERSONAS,
    Route,
    World,
    client_for,
    concrete_url,
    discover_routes,
    extensions,
    login_url,
    served_by,
    world_for_module,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def access_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    # Made once for the module: building the world per test would make the matrix slow.
    yield from world_for_module(django_db_blocker)


ROUTES = discover_routes()

OK, LOGIN = "allowed", "sent to sign in"

_A_READERS = {"practitioner_a": OK, "lead_a": OK, "manager_a": OK, "auditor_a": OK}
_NOT_A = {"practitioner_b": 404, "outsider": 404, "admin": 404}

# What each persona must get from a route of each policy, when reading it (GET).
EXPECTED: dict[str, dict[str, Any]] = {
    "PUBLIC": dict.fromkeys(PERSONAS, OK),
    "SIGN_IN_STEP": dict.fromkeys(PERSONAS, (OK, LOGIN)),
    "SIGNED_IN": {**dict.fromkeys(PERSONAS, OK), "anonymous": LOGIN},
    "AGENCY_MEMBER": {
        **dict.fromkeys(PERSONAS, OK),
        "anonymous": LOGIN,
        "outsider": 403,
        "admin": 403,
    },
    "AGENCY_READ": {"anonymous": LOGIN, **_A_READERS, **_NOT_A},
    "AGENCY_DECIDE": {"anonymous": LOGIN, **_A_READERS, **_NOT_A},
    "LEAD_OR_AUDITOR": {
        "anonymous": LOGIN,
        "practitioner_a": 403,
        "manager_a": 403,
        "lead_a": OK,
        "auditor_a": OK,
        **_NOT_A,
    },
    "NOTHING_HERE": dict.fromkeys(PERSONAS, 404),
    "API_PUBLIC": dict.fromkeys(PERSONAS, OK),
    "API_ANY_TOKEN": {**dict.fromkeys(PERSONAS, OK), "anonymous": 401},
    "API_AGENCY_READ": {"anonymous": 401, **_A_READERS, **_NOT_A},
    "API_AGENCY_DECIDE": {"anonymous": 401, **_A_READERS, "auditor_a": 403, **_NOT_A},
}
# Where writing differs from reading: an auditor may open a decision's pages but not
# change the decision.
EXPECTED_WRITE: dict[str, dict[str, Any]] = {
    "AGENCY_DECIDE": {**EXPECTED["AGENCY_DECIDE"], "auditor_a": 403},
}
for _extension in extensions():
    EXPECTED.update(getattr(_extension, "EXPECTED", {}))
    EXPECTED_WRITE.update(getattr(_extension, "EXPECTED_WRITE", {}))
assert set(EXPECTED) == {policy.name for policy in access.POLICIES}


def _requests(route: Route) -> list[str]:
    """The methods the matrix sends to a route: GET where the view reads, else its write
    method; and a POST as well where a write policy refuses someone who may read."""
    if "GET" in route.methods:
        methods = ["GET"]
        policy = route.policy
        if policy is not None and policy.name in EXPECTED_WRITE and "POST" in route.methods:
            methods.append("POST")
        return methods
    return [route.methods[0]]


CASES = [
    pytest.param(route, method, persona, id=f"{method} {route.test_id} as {persona}")
    for route in ROUTES
    for method in _requests(route)
    for persona in PERSONAS
]

# The bodies the API's writes are sent with: well formed, so that what answers is the
# access check and not the schema. A stale revision makes an allowed write stop at 409
# rather than change the draft.
API_BODIES: dict[str, Callable[[World], Any]] = {
    "decide": lambda world: {"pack": "hmg-2008", "purpose": "yes"},
    "consent": lambda world: {},
    "decision_create": lambda world: {
        "person_id": world.person.pk,
        "purpose": "Refer concerns about bruising",
        "pack": "hmg-2008",
    },
    "decision_answers": lambda world: {"answers": {"purpose": "yes"}, "revision": -1},
    "decision_update": lambda world: {"revision": -1},
    "decision_sign_endpoint": lambda world: {"revision": -1},
    "decision_correct_endpoint": lambda world: None,
}
for _extension in extensions():
    API_BODIES.update(getattr(_extension, "API_BODIES", {}))


# The forms the web's writes are posted with: complete enough to reach the service's role
# check, with a stale revision so that an allowed write stops there (400) and changes
# nothing.
WEB_FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "decision_new": lambda world: {"purpose": "Refer concerns", "pack_id": "hmg-2008"},
    "question": lambda world: {"purpose": "yes", "revision": "-1"},
    "outcome_page": lambda world: {"revision": "-1"},
}
for _extension in extensions():
    WEB_FORMS.update(getattr(_extension, "WEB_FORMS", {}))


def test_every_route_declares_who_may_reach_it() -> None:
    undeclared = [f"/{route.route} ({route.url_name})" for route in ROUTES if not route.policy]
    assert not undeclared, "Declare an access policy (sharewise.web.access) for: " + ", ".join(
        undeclared
    )


def test_the_matrix_found_the_web_and_the_api() -> None:
    found = {route.route for route in ROUTES}
    assert {"people/<int:person_id>/", "api/v1/people/<person_id>", "packs/"} <= found


def _call(world: World, route: Route, method: str, persona: str, sign_in: Any) -> Any:
    url = concrete_url(world, route)
    if route.is_api:
        client = Client()
        token = world.tokens.get(persona)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method == "GET":
            return client.get(url, headers=headers)
        make_body = API_BODIES.get(route.view.__name__)
        if make_body is None:
            pytest.fail(f"/{route.route}: add a request body for {route.view.__name__}")
        body = make_body(world)
        return client.generic(
            method,
            url,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    client = client_for(world, persona, sign_in)
    if method == "GET":
        return client.get(url)
    make_form = WEB_FORMS.get(route.view.__name__)
    return client.post(url, make_form(world) if make_form else {})


def _outcome(response: Any) -> Any:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return LOGIN if location.split("?")[0] == login_url() else OK
    if 200 <= status < 300:
        return OK
    # A request the route accepted and then found fault with (a form left empty, a stale
    # revision) got past the access check.
    if status in (400, 409, 422):
        return OK
    return status


@pytest.mark.parametrize(("route", "method", "persona"), CASES)
def test_access(route: Route, method: str, persona: str, access_world: World, sign_in: Any) -> None:
    if route.policy is None:
        pytest.fail(f"/{route.route} declares no access policy (sharewise.web.access)")
    url = concrete_url(access_world, route)
    answering, shadowed = served_by(route, url)
    policy = answering.policy
    if policy is None:
        pytest.fail(f"{url} is answered by /{answering.route}, which declares no policy")
    tables = EXPECTED if method == "GET" else {**EXPECTED, **EXPECTED_WRITE}
    expected = tables[policy.name][persona]
    response = _call(access_world, answering, method, persona, sign_in)
    got = _outcome(response)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert got in allowed, (
        f"{method} {url} as {persona}: expected {expected} under {policy}"
        f"{' (answered by /' + answering.route + ')' if shadowed else ''}, "
        f"got {response.status_code} {response.headers.get('Location', '')}"
    )
    # Whatever the answer, no browser or proxy keeps a copy of it, but of a public guidance
    # page seen by someone not signed in: a shared computer's cache must hold no record.
    stored = policy is access.PUBLIC and persona == "anonymous"
    assert (response.headers.get("Cache-Control") == "no-store, private") is not stored, (
        f"{method} {url} as {persona}: Cache-Control {response.headers.get('Cache-Control')}"
    )
