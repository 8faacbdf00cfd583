"""`POST /api/v1/decide` and `/consent` answer exactly what `sharewise decide` and
`sharewise consent` print, for every scenario the command is tested with, and every
other failure is one `{"error", "field"}` object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ApiClient

SHAREWISE = Path(sys.executable).with_name("sharewise")
SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*/*.json"))


def _command(kind: str, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHAREWISE), kind, *args, "-"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def client(world, api_as) -> ApiClient:
    return api_as(world.practitioner_a)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_api_answers_as_the_command_does(client: ApiClient, path: Path) -> None:
    scenario = json.loads(path.read_text())
    kind = scenario.get("kind", "decide")
    body = scenario["raw"] if "raw" in scenario else json.dumps(scenario["facts"])
    command = _command(kind, body)
    response = client.post(f"/{kind}", raw=body)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    printed = json.loads(command.stdout)
    if command.returncode == 0:
        assert response.status_code == 200
        assert response.json() == printed
    elif "raw" in scenario:
        # Not JSON at all: the command exits 2, the API says 400 (bad request), both
        # with the same shape.
        assert response.status_code == 400
        assert response.json()["field"] is None and "not valid JSON" in response.json()["error"]
    else:
        assert command.returncode == 2
        assert response.status_code == 422
        assert response.json() == printed


def test_pack_in_the_query_overrides_the_body_as_pack_does(client: ApiClient) -> None:
    body = json.dumps({"pack": "hmg-2018", "purpose": "no"})
    response = client.post("/decide?pack=hmg-2008", raw=body)
    assert response.status_code == 200
    assert response.json()["pack"] == "hmg-2008"
    assert response.json() == json.loads(_command("decide", body, "--pack", "hmg-2008").stdout)


def test_an_unknown_pack_in_the_query_is_422_naming_pack(client: ApiClient) -> None:
    response = client.post("/decide?pack=hmg-1066", {"purpose": "yes"})
    assert response.status_code == 422
    assert response.json()["field"] == "pack"


def test_bad_facts_are_422_with_the_contracts_error(client: ApiClient) -> None:
    response = client.post("/decide", {"pack": "hmg-2008", "purpose": "maybe"})
    assert response.status_code == 422
    assert response.json() == {
        "error": "'purpose' is 'maybe', which is not one of: yes, no, unsure",
        "field": "purpose",
    }
    for body, field in (
        ([1], None),
        ({"colour": "blue"}, "colour"),
        ({"reasons_not_to_seek_consent": "none"}, "reasons_not_to_seek_consent"),
        ({"reasons": {"public_interest": 3}}, "reasons.public_interest"),
    ):
        response = client.post("/decide", body)
        assert response.status_code == 422, body
        assert set(response.json()) == {"error", "field"}
        assert response.json()["field"] == field


@pytest.mark.parametrize("path", ["/decide", "/consent", "/decisions"])
@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('{"purpose": yes}', "Expecting value (line 1, column 13)"),
        ("", "Expecting value (line 1, column 1)"),
        (b"\xff\xfe\xfa", "not"),
    ],
)
def test_a_body_that_is_not_json_is_400_naming_the_problem(
    client: ApiClient, path: str, raw: str | bytes, problem: str
) -> None:
    response = client.post(path, raw=raw)
    if path == "/decisions" and raw == "":
        # An empty body where a schema is expected is a missing body: 422.
        assert response.status_code == 422
        assert response.json() == {
            "error": "Send the request body as one JSON object",
            "field": None,
        }
        return
    assert response.status_code == 400
    document = response.json()
    assert document["field"] is None
    assert problem in document["error"]


@pytest.mark.parametrize("path", ["/decide", "/decisions"])
def test_a_body_over_the_limit_is_413(client: ApiClient, settings: Any, path: str) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"pack": "hmg-2008", "reasons": {"public_interest": "x" * 2000}}
    response = client.post(path, body)
    assert response.status_code == 413
    assert response.json() == {
        "error": "The request body is larger than the 1000 bytes allowed",
        "field": None,
    }


def test_unknown_paths_and_methods_are_json_too(client: ApiClient) -> None:
    response = client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "error": "There is no API endpoint at /api/v1/no-such-thing",
        "field": None,
    }
    response = client.get("/decide")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"error": "GET is not allowed here; use POST", "field": None}


def test_a_fault_of_ours_is_500_json_without_a_traceback(
    client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sharewise.api.routes import guidance

    def broken(raw: Any, *, pack_id: str | None = None) -> Any:
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(guidance, "contract_decide", broken)
    client.client.raise_request_exception = False
    response = client.post("/decide", {"purpose": "yes"})
    assert response.status_code == 500
    assert response.json()["field"] is None
    assert "Traceback" not in response.content.decode()
    assert "the engine fell over" not in response.content.decode()
