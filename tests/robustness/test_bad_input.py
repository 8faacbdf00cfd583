"""Bad input on the web and the API is refused in plain words, and good input in any
script comes back exactly as it was sent ("Nothing lost").

These run on whichever database the suite runs on; `.ci/run` runs them on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from typing import Any

import pytest
from django.test import Client

from sharewise.decisions.models import Decision
from sharewise.people.models import Person
from tests.api.conftest import ApiClient
from tests.factories import Personas, PersonFactory, api_token_for, personas

# Names as practitioners in the UK meet them: Welsh, Polish (every diacritic the language
# has), Arabic (right to left) and an emoji built from several code points (a woman, a
# skin tone, a zero-width joiner and a medical symbol).
NAMES = [
    ("Siân", "Llŷr"),
    ("Zażółć", "Gęślą Jaźń"),
    ("لينا", "حداد"),
    ("Ali 👩🏽‍⚕️", "Nurse 👩🏽‍⚕️"),
    # The same Welsh name decomposed (a letter and a combining accent): it is stored as
    # sent, not normalised, because the record must hold what the practitioner entered.
    (unicodedata.normalize("NFD", "Siân"), unicodedata.normalize("NFD", "Llŷr")),
]
SMALL_LIMIT = 1000


@pytest.fixture
def world(db: None) -> Personas:
    return personas()


@pytest.fixture
def web_a(world: Personas, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, world.practitioner_a)
    return client


@pytest.fixture
def api_a(world: Personas, api_as: Any) -> ApiClient:
    return api_as(world.practitioner_a)


@pytest.fixture
def api_as() -> Any:

    def make(user: Any) -> ApiClient:
        token = api_token_for(user, "tests")
        return ApiClient(token)

    return make


# --- Bodies over the limit ----------------------------------------------------------


def test_the_limit_is_one_megabyte_unless_configured() -> None:
    def limit(value: str | None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "SHAREWISE_MAX_BODY_BYTES"}
        if value is not None:
            env["SHAREWISE_MAX_BODY_BYTES"] = value
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "import sharewise.settings as s; print(s.DATA_UPLOAD_MAX_MEMORY_SIZE)",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert limit(None).stdout.strip() == str(1024 * 1024)
    assert limit("5000").stdout.strip() == "5000"
    refused = limit("1MB")
    assert refused.returncode != 0
    assert "SHAREWISE_MAX_BODY_BYTES must be a whole number of bytes, not '1MB'" in refused.stderr


def test_a_web_form_over_the_limit_is_413_and_saves_nothing(web_a: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    response = web_a.post("/people/new/", {"given_name": "Helen", "address": "1 Long Road\n" * 200})
    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent is too large" in html
    assert "Sharewise accepts up to 1000" in html
    assert 'class="govuk-heading-l"' in html
    assert "Traceback" not in html
    assert not Person.objects.exists()


def test_a_form_over_the_limit_is_413_before_signing_in(settings: Any) -> None:
    # The size is checked before anything else reads the body, the sign-in form too.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    response = Client().post("/accounts/login/", {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


@pytest.mark.parametrize("path", ["/decide", "/decisions", "/no-such-endpoint"])
def test_an_api_body_over_the_default_limit_is_413_as_json(
    world: Personas, api_a: ApiClient, path: str
) -> None:
    body = {"purpose": "yes", "reasons": {"public_interest": "x" * (1024 * 1024)}}
    response = api_a.post(path, body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": "The request body is larger than the 1048576 bytes allowed",
        "field": None,
    }
    assert not Decision.objects.exists()


def test_a_body_just_under_the_limit_is_read(
    world: Personas, api_a: ApiClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    # Exactly at the limit: padded with spaces, which JSON ignores.
    body = json.dumps({"purpose": "yes"})
    body += " " * (SMALL_LIMIT - len(body.encode()))
    assert len(body.encode()) == SMALL_LIMIT
    response = api_a.post("/decide", raw=body)
    assert response.status_code == 200, response.json()


# --- Bodies that are not JSON --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/decisions"), ("patch", "/decisions/{id}"), ("post", "/decisions/{id}/sign")],
)
@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('{"person_id": ', "Expecting value (line 1, column 15)"),
        ("{'person_id': 1}", "Expecting property name enclosed in double quotes"),
        ('{"revision": 1,}', "(line 1, column 16)"),
        (b'{"purpose": "\xff"}', "not UTF-8"),
    ],
)
def test_malformed_json_is_400_naming_the_problem(
    world: Personas, api_a: ApiClient, method: str, path: str, raw: str | bytes, problem: str
) -> None:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    started = api_a.post("/decisions", {"person_id": person.pk, "purpose": "Refer to CSC"})
    assert started.status_code == 201, started.json()
    response = api_a.send(method, path.format(id=started.json()["id"]), raw=raw)
    assert response.status_code == 400
    document = response.json()
    assert document["field"] is None
    assert problem in document["error"]
    assert "The request body" in document["error"]


# --- Names in every script round-trip unchanged ---------------------------------------


@pytest.mark.parametrize(
    ("given", "family"), NAMES, ids=["welsh", "polish", "arabic", "emoji", "nfd"]
)
def test_names_round_trip_through_the_web_form_and_the_api(
    world: Personas, web_a: Client, api_a: ApiClient, given: str, family: str
) -> None:
    alias = f"{given} {family}"
    created = web_a.post(
        "/people/new/",
        {
            "given_name": given,
            "family_name": family,
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "2015",
            "address": f"{family}\n1 Heol y Bont",
            "aliases": alias,
        },
    )
    assert created.status_code == 302, created.content.decode()
    person = Person.objects.get()
    # Stored exactly as typed, code point for code point.
    assert (person.given_name, person.family_name) == (given, family)
    assert list(person.aliases.values_list("name", flat=True)) == [alias]
    assert person.address == f"{family}\n1 Heol y Bont"

    page = web_a.get(created["Location"]).content.decode()
    assert given in page and family in page

    detail = api_a.get(f"/people/{person.pk}")
    assert detail.status_code == 200
    assert (detail.json()["given_name"], detail.json()["family_name"]) == (given, family)
    assert [a["name"] if isinstance(a, dict) else a for a in detail.json()["aliases"]] == [alias]
    # Sent as UTF-8, not as \u escapes, and the same text either way.
    assert given.encode("utf-8") in detail.content

    found = api_a.get("/people", {"search": family})
    assert [p["id"] for p in found.json()["items"]] == [person.pk]

    # Free text of a decision, in and out of the API.
    started = api_a.post(
        "/decisions",
        {
            "person_id": person.pk,
            "purpose": f"Tell {given}'s school nurse",
            "recipient": f"{family} family support",
            "information": [alias, "👩🏽‍⚕️"],
        },
    )
    assert started.status_code == 201, started.json()
    decision = api_a.get(f"/decisions/{started.json()['id']}").json()
    assert decision["purpose"] == f"Tell {given}'s school nurse"
    assert decision["recipient"] == f"{family} family support"
    assert decision["information"] == [alias, "👩🏽‍⚕️"]
    stored = Decision.objects.get(pk=decision["id"])
    assert (stored.purpose, stored.recipient, stored.information) == (
        decision["purpose"],
        decision["recipient"],
        decision["information"],
    )


# --- Text with the NUL character ---------------------------------------------------------


def test_nul_in_api_text_is_422_naming_the_field(world: Personas, api_a: ApiClient) -> None:
    # PostgreSQL cannot store NUL in text; the API refuses it on both databases alike
    # instead of failing with a server error on one of them.
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    response = api_a.get("/people", {"search": "Helen\x00"})
    assert response.status_code == 422
    assert response.json() == {
        "error": "'search' must not contain the NUL character (\\u0000)",
        "field": "search",
    }
    response = api_a.post(
        "/decisions", {"person_id": person.pk, "purpose": "Refer", "information": ["a\x00b"]}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "information"
    started = api_a.post("/decisions", {"person_id": person.pk, "purpose": "Refer"}).json()
    response = api_a.patch(
        f"/decisions/{started['id']}",
        {"details": {"notes": "\x00"}, "revision": started["revision"]},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "details.notes"
    assert Decision.objects.count() == 1


def test_nul_in_a_web_form_or_query_is_the_bad_request_page(web_a: Client) -> None:
    response = web_a.post("/people/new/", {"given_name": "Siân\x00"})
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()
    assert not Person.objects.exists()
    response = web_a.get("/people/", {"q": "Siân\x00"})
    assert response.status_code == 400
