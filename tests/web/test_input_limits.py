"""A date part too large to be a year (twenty digits) or a year outside the range a record
can mean is an error beside its field on every page that takes a date, never a server error
(issue 17, "server errors")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from tests.factories import Personas, PersonFactory, personas
from tests.followups.conftest import fortnightly
from tests.robustness.helpers import signed_decision

from sharewise.audit.models import AuditEntry
from sharewise.decisions import services as decision_services

HUGE = "99999999999999999999"


@pytest.fixture
def world(db: None) -> Personas:
    return personas()


def _counts() -> dict[str, int]:
    """How many rows each record kind holds; audit entries by verb, as a page shown again
    may audit that it was read (a person's retention page), but nothing else."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("sharewise.") and model._meta.app_label != "audit"
    }
    for verb in AuditEntry.objects.values_list("verb", flat=True):
        if not verb.endswith("view"):
            counts[verb] = counts.get(verb, 0) + 1
    return counts


def _parts(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


# (page, the date input's name, what the page calls it, other fields it takes)
PAGES: list[tuple[str, str, str, dict[str, str]]] = [
    ("/people/new/", "date_of_birth", "The date of birth", {"given_name": "Ben"}),
    (
        "/people/{person}/consents/new/",
        "given_at",
        "The date of the response",
        {"given_by": "parent", "party": "mother", "response": "refused"},
    ),
    (
        "/requests/record/",
        "received_at",
        "The date it arrived",
        {"channel": "letter", "requester_name": "Sam Lee", "subject_name": "Helen"},
    ),
    (
        "/decisions/{decision}/followups/new/",
        "first_due",
        "The first follow-up date",
        {"how_often": "once", "trigger": "School reports a missed day"},
    ),
    (
        "/people/{person}/meetings/new/",
        "held_on",
        "The date of the meeting",
        {"kind": "strategy_discussion", "chair": "Jo Bell"},
    ),
    (
        "/followups/{followup}/contact/",
        "contacted_on",
        "The date of the contact",
        {"findings": "Settled", "with_whom": "Teacher"},
    ),
    (
        "/disclosures/new/{signed}/",
        "item-1-dated",
        "The date of item 1",
        {"item-1-text": "Missed two appointments", "item-1-source": "Register"},
    ),
]


def _signed_in(world: Personas, sign_in: Callable[[Client, Any], None], user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize(("page", "name", "label", "others"), PAGES)
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((HUGE, "1", "2020"), "must be a real date"),
        (("1", HUGE, "2020"), "must be a real date"),
        (("1", "1", HUGE), "must be between the years 1900 and 2100"),
        (("31", "12", "9999"), "must be between the years 1900 and 2100"),
        (("1", "1", "0001"), "must be between the years 1900 and 2100"),
    ],
)
def test_a_date_too_large_or_out_of_range_is_a_field_error(
    world: Personas,
    sign_in: Any,
    page: str,
    name: str,
    label: str,
    others: dict[str, str],
    parts: tuple[str, str, str],
    message: str,
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = decision_services.decision_start(
        user=world.practitioner_a, person=person, purpose="Refer", pack_id="hmg-2008"
    )
    signed = signed_decision(user=world.practitioner_a, person=person)
    followup = fortnightly(world, signed)
    client = _signed_in(world, sign_in, world.practitioner_a)
    before = _counts()
    url = page.format(
        person=person.pk, decision=decision.pk, signed=signed.pk, followup=followup.pk
    )
    response = client.post(url, {**others, **_parts(name, *parts)})
    assert response.status_code == 400, response.content.decode()[:2000]
    assert f"{label} {message}" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("path", ["/reports/", "/reports/decisions-by-outcome.csv"])
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        (_parts("date_from", "1", "1", HUGE), "The start of the period must be between"),
        (_parts("date_to", HUGE, "1", "2026"), "The end of the period must be a real date"),
        ({"agency": HUGE}, "Choose one of the agencies listed"),
    ],
)
def test_a_report_period_too_large_is_a_field_error(
    world: Personas, sign_in: Any, path: str, query: dict[str, str], shown: str
) -> None:
    client = _signed_in(world, sign_in, world.manager_a)
    response = client.get(path, query)
    assert response.status_code == 400
    assert shown in response.content.decode()


# --- How long free text may be ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "fields", "message"),
    [
        (
            "practitioner_a",
            "/people/{person}/decisions/new/",
            {"purpose": "x" * 200_000, "pack_id": "hmg-2008"},
            "Purpose of sharing must be 5,000 characters or fewer; this is 200,000",
        ),
        (
            "manager_a",
            "/retention/people/{person}/holds/",
            {"record": "person", "reason": "x" * 200_000},
            "Reason must be 5,000 characters or fewer; this is 200,000",
        ),
        (
            "admin",
            "/protocols/new/",
            {"title": "x" * 200_000, "parties": "{agency}"},
            "Title must be 300 characters or fewer; this is 200,000",
        ),
        (
            "practitioner_a",
            "/people/new/",
            {"given_name": "Ben", "aliases": "A" * 201},
            "Each alias: Name must be 200 characters or fewer; this is 201",
        ),
    ],
)
def test_free_text_over_its_limit_is_a_field_error_and_nothing_is_saved(
    world: Personas, sign_in: Any, who: str, page: str, fields: dict[str, str], message: str
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    client = _signed_in(world, sign_in, getattr(world, who))
    before = _counts()
    data = {k: v.replace("{agency}", str(world.agency_a.pk)) for k, v in fields.items()}
    response = client.post(page.format(person=person.pk), data)
    assert response.status_code == 400, response.content.decode()[:3000]
    assert message in response.content.decode()
    assert _counts() == before


def test_a_party_id_too_large_for_the_database_is_a_field_error(
    world: Personas, sign_in: Any
) -> None:
    client = _signed_in(world, sign_in, world.admin)
    before = _counts()
    response = client.post("/protocols/new/", {"title": "Sharing", "parties": HUGE})
    assert response.status_code == 400
    assert "Choose the parties from the agencies listed" in response.content.decode()
    assert _counts() == before
