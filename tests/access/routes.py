"""Every URL the service answers, found by walking Django's URL resolver, and the world
the access tests call them in.

Nothing here lists a URL by hand: a new page appears in the matrix the moment it is added
to a urls.py, and fails there until it declares who may open it (sharewise.web.access).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from ninja.operation import PathView

from sharewise.consents.services import consent_record
from sharewise.decisions import services as decision_services
from sharewise.web.access import Policy, policy_of
from tests.factories import Personas, PersonFactory, api_token_for, personas

PERSONAS = (
    "anonymous",
    "outsider",
    "practitioner_a",
    "lead_a",
    "manager_a",
    "auditor_a",
    "practitioner_b",
    "admin",
)
SIGNED_IN_PERSONAS = PERSONAS[1:]

# Helen (003 Appendix 3, case 6) under the 2008 questions: a path that ends in sharing
# without consent, in the public interest, and referring now.
HELEN_2008_ANSWERS: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
SIGNING_DETAILS: dict[str, Any] = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}


@dataclass(frozen=True)
class Route:
    """One URL pattern, or for the API one operation (a method) of a pattern."""

    route: str
    url_name: str | None
    view: Callable[..., Any]
    methods: tuple[str, ...]
    pattern: URLPattern
    is_api: bool

    @property
    def policy(self) -> Policy | None:
        return policy_of(self.view, self.url_name)

    @property
    def test_id(self) -> str:
        methods = "+".join(self.methods)
        # An API operation by its function: ninja names the pattern after the first of
        # the operations that share a path.
        name = self.view.__name__ if self.is_api or not self.url_name else self.url_name
        return f"{methods} /{self.route} ({name})"


def _path_view(callback: Callable[..., Any]) -> PathView | None:
    """The ninja PathView behind a URL pattern's view, if it is one: ninja's view is a
    closure over the PathView, and api/urls.py wraps it once more with functools.wraps."""
    function: Any = callback
    while function is not None:
        if callable(function) and inspect.isfunction(function):
            found = inspect.getclosurevars(function).nonlocals.get("self")
            if isinstance(found, PathView):
                return found
        function = getattr(function, "__wrapped__", None)
    return None


def _web_methods(callback: Callable[..., Any]) -> tuple[str, ...]:
    """The methods a web view accepts: a class-based view's handlers, or the list given to
    Django's require_http_methods (require_safe, require_POST)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return tuple(m.upper() for m in ("get", "post") if hasattr(view_class, m))
    function: Any = callback
    while function is not None:
        if inspect.isfunction(function):
            allowed = inspect.getclosurevars(function).nonlocals.get("request_method_list")
            if allowed is not None:
                return tuple(m for m in ("GET", "POST") if m in allowed)
        function = getattr(function, "__wrapped__", None)
    return ("GET", "POST")


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), namespace, pattern


def discover_routes() -> list[Route]:
    routes = []
    # ninja gives a path with several operations one URL pattern per operation, each
    # serving all of them; each operation is listed once.
    operations_seen: set[tuple[str, int]] = set()
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        url_name = f"{namespace}{pattern.name}" if pattern.name else None
        is_api = route.startswith("api/")
        path_view = _path_view(pattern.callback)
        if path_view is not None:
            for operation in path_view.operations:
                if (route, id(operation)) in operations_seen:
                    continue
                operations_seen.add((route, id(operation)))
                routes.append(
                    Route(
                        route,
                        url_name,
                        operation.view_func,
                        tuple(operation.methods),
                        pattern,
                        is_api,
                    )
                )
        else:
            routes.append(
                Route(
                    route,
                    url_name,
                    pattern.callback,
                    _web_methods(pattern.callback),
                    pattern,
                    is_api,
                )
            )
    return routes


@dataclass
class World:
    people: Personas
    person: Any
    signed: Any
    draft: Any
    answered: Any
    consent: Any
    tokens: dict[str, str]
    # What each area's extension (tests/access/extensions/) made, by the area's name, and
    # the sample values of the URL parameters it brings.
    extra: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return getattr(self.people, persona)


def _build_world() -> World:
    people = personas()
    person = PersonFactory(agency=people.agency_a, created_by=people.practitioner_a)
    user = people.practitioner_a
    draft = decision_services.decision_start(
        user=user,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient="Children's social care",
        information=["bruising seen on 3 November"],
        pack_id="hmg-2008",
    )
    signed = decision_services.decision_start(
        user=user,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient="Children's social care",
        information=["bruising seen on 3 November"],
        pack_id="hmg-2008",
    )
    signed = decision_services.decision_answer(
        user=user, decision=signed, answers=HELEN_2008_ANSWERS
    )
    answered = decision_services.decision_start(
        user=user,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient="Children's social care",
        information=["bruising seen on 3 November"],
        pack_id="hmg-2008",
    )
    answered = decision_services.decision_answer(
        user=user, decision=answered, answers=HELEN_2008_ANSWERS
    )
    signed = decision_services.decision_details_update(
        user=user, decision=signed, details=SIGNING_DETAILS
    )
    signed = decision_services.decision_sign(user=user, decision=signed)
    consent = consent_record(user=user, person=person, given_by="parent", response="refused")
    # allauth shows the recovery codes page only to someone who has codes.
    for persona in SIGNED_IN_PERSONAS:
        RecoveryCodes.activate(getattr(people, persona))
    tokens = {
        persona: api_token_for(getattr(people, persona), "access matrix")
        for persona in SIGNED_IN_PERSONAS
    }
    world = World(people, person, signed, draft, answered, consent, tokens)
    for extension in extensions():
        world.samples.update(extension.build(world))
    return world


def extensions() -> list[ModuleType]:
    """Each area's part of the matrix (tests/access/extensions/<area>.py), found by walking
    the folder so that no list of areas is kept by hand. An extension module has:

    - `build(world) -> dict[str, str]`: makes the area's records in the world (keeping
      what it needs in `world.extra[<area>]`) and returns a sample value for each URL
      parameter its routes take;
    - optionally `SAMPLES_BY_VIEW: dict[view name, Callable[[World], dict[str, str]]]`,
      samples for one view where the area-wide ones do not suit it;
    - optionally `API_BODIES` and `WEB_FORMS`, as in test_matrix.py, for its writes;
    - optionally `EXPECTED` and `EXPECTED_WRITE`, for the access policies it adds.
    """
    from tests.access import extensions as package

    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def world_for_module(django_db_blocker: Any) -> Iterator[World]:
    """The personas and records of agency A, for a module-scoped fixture: made once and
    rolled back at the module's end. Each test runs in a savepoint inside it, so what one
    test writes (a correction, a new draft) is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# Which decision a route is called with: the pages that only make sense for a signed
# record get the signed one, the outcome page a draft with every question answered;
# every other page, a draft just started.
SIGNED_DECISION_VIEWS = frozenset({"pdf", "correct", "decision_correct_endpoint"})
ANSWERED_DECISION_VIEWS = frozenset({"outcome_page"})


def sample_values(world: World, route: Route) -> dict[str, str]:
    name = route.view.__name__
    for extension in extensions():
        by_view = getattr(extension, "SAMPLES_BY_VIEW", {})
        if name in by_view:
            return {**_core_samples(world, name), **world.samples, **by_view[name](world)}
    return {**_core_samples(world, name), **world.samples}


def _core_samples(world: World, name: str) -> dict[str, str]:
    decision = (
        world.signed
        if name in SIGNED_DECISION_VIEWS
        else world.answered
        if name in ANSWERED_DECISION_VIEWS
        else world.draft
    )
    return {
        "person_id": str(world.person.pk),
        "decision_id": str(decision.pk),
        "consent_id": str(world.consent.pk),
        "fact": "purpose",
        "pack_id": "hmg-2008",
        "cite": "3.43",
        # allauth's keyed pages and the API's catch-all take any text.
        "key": "no-such-key",
        "uidb36": "1",
        "rest": "no-such-endpoint",
    }


def concrete_url(world: World, route: Route) -> str:
    """The route with a sample in every parameter; fails naming the route when a parameter
    has no sample, so that a new kind of parameter gets one."""
    samples = sample_values(world, route)
    pattern = route.route

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in samples:
            pytest.fail(f"/{route.route}: add a sample value for the parameter '{name}'")
        return samples[name]

    # (?P<name>...) of re_path(), first because its <name> looks like path()'s; then
    # <converter:name> and <name> of path().
    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, pattern)
    url = re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>", fill, url)
    return "/" + url.replace("^", "").replace("$", "")


def client_for(world: World, persona: str, sign_in: Callable[[Client, Any], None]) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, world.user(persona))
    return client


def served_by(route: Route, url: str) -> tuple[Route, bool]:
    """The route that really answers `url`: another pattern earlier in the list may
    shadow this one (Sharewise's account pages replace allauth's of the same address)."""
    match = resolve(url)
    if match.func is route.pattern.callback:
        return route, False
    path_view = _path_view(match.func)
    if path_view is not None and path_view is _path_view(route.pattern.callback):
        return route, False
    for candidate in discover_routes():
        if candidate.pattern.callback is match.func:
            return candidate, True
    pytest.fail(f"/{route.route}: {url} is answered by {match.view_name}, found nowhere")


def login_url() -> str:
    return reverse("account_login")
