"""API tokens: made by `sharewise token create`, stored only as a hash, and the only way
in. Any token that is missing, unknown, revoked or of a deactivated user gets the same 401.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from sharewise.api.models import ApiToken
from sharewise.api.services import api_token_create, api_token_revoke
from sharewise.cli import main

from .conftest import ApiClient

SHAREWISE = Path(sys.executable).with_name("sharewise")
UNAUTHENTICATED = {"error": "Send a valid token as Authorization: Bearer TOKEN", "field": None}


def test_token_create_prints_the_token_alone_and_keeps_only_its_hash(world, capsys) -> None:
    assert main(["token", "create", "practitioner_a", "--name", "Case system"]) == 0
    out, _ = capsys.readouterr()
    token = out.strip()
    assert out == token + "\n" and token.startswith("sw_") and len(token) > 40
    record = ApiToken.objects.get(user=world.practitioner_a)
    assert record.name == "Case system"
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {getattr(record, f.attname) for f in ApiToken._meta.concrete_fields}
    assert ApiClient(token).get("/people").status_code == 200


def test_token_create_for_an_unknown_user_exits_2(world, capsys) -> None:
    assert main(["token", "create", "nobody"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "There is no user called nobody" in err
    assert not ApiToken.objects.exists()


def test_token_revoke_by_name_stops_it_working(world, capsys) -> None:
    main(["token", "create", "practitioner_a", "--name", "old system"])
    token = capsys.readouterr().out.strip()
    assert main(["token", "revoke", "practitioner_a", "--name", "old system"]) == 0
    assert ApiClient(token).get("/people").json() == UNAUTHENTICATED
    assert main(["token", "revoke", "practitioner_a", "--name", "old system"]) == 2


def test_token_create_through_the_installed_command(tmp_path: Path) -> None:
    # A data directory of its own and no DATABASE_URL: SQLite made by `manage migrate`,
    # as on a fresh machine, never the suite's database.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SHAREWISE_SECRET_KEY")
    }
    env |= {
        "SHAREWISE_DATA_DIR": str(tmp_path / "data"),
        "SHAREWISE_CACHE_DIR": str(tmp_path / "cache"),
    }

    def sharewise(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SHAREWISE), *args], capture_output=True, text=True, env=env, timeout=120
        )

    assert sharewise("manage", "migrate", "-v", "0").returncode == 0
    made = sharewise(
        "manage",
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('alice')",
    )
    assert made.returncode == 0, made.stderr

    created = sharewise("token", "create", "alice", "--name", "case system")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert created.stdout == token + "\n" and token.startswith("sw_")
    assert "Traceback" not in created.stderr

    check = sharewise(
        "manage",
        "shell",
        "-v",
        "0",
        "-c",
        "from sharewise.api.models import ApiToken; "
        "t = ApiToken.objects.get(); print(t.user.username, t.name, t.token_hash)",
    )
    assert check.stdout.split() == [
        "alice",
        "case",
        "system",
        hashlib.sha256(token.encode()).hexdigest(),
    ]
    # The token itself is nowhere in the database files (WAL mode keeps recent writes in
    # the -wal file until a checkpoint).
    for database_file in (tmp_path / "data").glob("sharewise.sqlite3*"):
        assert token.encode() not in database_file.read_bytes()

    unknown = sharewise("token", "create", "bob")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert "There is no user called bob" in unknown.stderr
    assert "Traceback" not in unknown.stderr


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer sw_not-a-token", "Token sw_not-a-token", "sw_x"],
)
def test_no_valid_token_is_401(world, authorization: str | None) -> None:
    client = ApiClient(None)
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.client.get("/api/v1/people", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == 'Bearer realm="sharewise"'
    assert response.json() == UNAUTHENTICATED


def test_a_revoked_token_is_401(world) -> None:
    record, token = api_token_create(user=world.practitioner_a, name="to revoke")
    client = ApiClient(token)
    assert client.get("/people").status_code == 200
    api_token_revoke(api_token=record)
    response = client.get("/people")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_a_deactivated_users_token_is_401(world) -> None:
    _, token = api_token_create(user=world.practitioner_a, name="leaver")
    world.practitioner_a.is_active = False
    world.practitioner_a.save()
    assert ApiClient(token).get("/people").status_code == 401


def test_every_endpoint_needs_a_token(world, anonymous) -> None:
    document = anonymous.client.get("/api/v1/openapi.json").json()
    operations = [
        (path, method) for path, methods in document["paths"].items() for method in methods
    ]
    assert len(operations) >= 11
    for path, method in operations:
        url = path.replace("{person_id}", "1").replace("{decision_id}", "1")
        response = getattr(anonymous.client, method)(url, content_type="application/json")
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED), (method, url)


def test_last_used_at_is_written_at_most_once_a_minute(world) -> None:
    record, token = api_token_create(user=world.practitioner_a, name="busy")
    client = ApiClient(token)
    client.get("/people")
    record.refresh_from_db()
    first = record.last_used_at
    assert first is not None
    client.get("/people")
    record.refresh_from_db()
    assert record.last_used_at == first
    a_while_ago = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=a_while_ago)
    client.get("/people")
    record.refresh_from_db()
    assert record.last_used_at is not None and record.last_used_at > a_while_ago


# Two-factor authentication is not for the web alone (DESIGN.md capability 12): a token
# made for someone who has still to set up an authenticator app must not be the way round it.
MUST_ENROL = (
    "This token's user must protect their account with two-factor authentication before "
    "the API will answer: sign in to Sharewise on the web and set up an authenticator app."
)


@pytest.mark.parametrize("demo", [False, True])
def test_a_token_of_someone_who_must_still_set_up_two_factor_is_refused(
    world, settings, demo: bool
) -> None:
    from allauth.mfa.models import Authenticator

    _, token = api_token_create(user=world.practitioner_a, name="case system")
    assert ApiClient(token).get("/people").status_code == 200
    # They lose their authenticator (an administrator reset it when the phone was lost).
    Authenticator.objects.filter(user=world.practitioner_a).delete()
    settings.SHAREWISE_DEMO = demo
    response = ApiClient(token).get("/people")
    assert response.status_code == 403
    assert response.json() == {"error": MUST_ENROL, "field": None}
    # The same for a write, and nothing is written.
    from sharewise.decisions.models import Decision
    from tests.factories import PersonFactory

    person = PersonFactory(agency=world.agency_a)
    refused = ApiClient(token).post("/decisions", {"person_id": person.pk, "pack": "hmg-2024"})
    assert (refused.status_code, refused.json()) == (403, {"error": MUST_ENROL, "field": None})
    assert not Decision.objects.exists()


def test_a_role_without_identifiable_data_needs_no_second_factor_for_the_api(world) -> None:
    # The partnership administrator sees no case records, so has no second factor to give.
    _, token = api_token_create(user=world.admin, name="reports")
    response = ApiClient(token).get("/people")
    assert response.json().get("error") != MUST_ENROL, response.json()


def test_token_create_is_refused_for_someone_who_must_still_set_up_two_factor(
    world, capsys
) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=world.practitioner_a).delete()
    assert main(["token", "create", "practitioner_a", "--name", "Case system"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "practitioner_a must set up two-factor authentication" in captured.err
    assert not ApiToken.objects.filter(user=world.practitioner_a).exists()
