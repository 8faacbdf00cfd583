"""Conformance scenarios as data: the contract's own (copied from spec/scenarios) and ours
(the case examples of 003 Appendix 3 under both packs, consent, errors).

Each scenario runs twice: in-process against the core, and through the installed
`sharewise` command exactly as `spec/run_scenarios.py` runs it, so a fault in either the
engine or the command line fails here before it reaches an integrator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sharewise.guidance.consent import consent_from_json
from sharewise.guidance.decide import decide
from sharewise.guidance.errors import GuidanceError

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*/*.json"))
SHAREWISE = Path(sys.executable).with_name("sharewise")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def _lookup(document: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(document, dict) or key not in document:
            return KeyError(dotted)
        document = document[key]
    return document


def _check(scenario: dict[str, Any], exit_status: int, output: dict[str, Any]) -> None:
    expect = dict(scenario["expect"])
    assert exit_status == expect.pop("exit", 0), output
    if exit_status:
        assert "error" in output
        field = expect.pop("field", None)
        if field is not None:
            assert output.get("field") == field, output
    for dotted, wanted in expect.items():
        assert _lookup(output, dotted) == wanted, f"{dotted} in {json.dumps(output)[:400]}"


def _in_process(scenario: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    try:
        raw = scenario["facts"] if "facts" in scenario else json.loads(scenario["raw"])
    except json.JSONDecodeError as exc:
        return 2, {"error": str(exc), "field": None}
    try:
        if scenario.get("kind", "decide") == "consent":
            return 0, consent_from_json(raw)
        return 0, decide(raw).as_json()
    except GuidanceError as exc:
        return 2, exc.as_json()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_in_process(path: Path) -> None:
    scenario = _load(path)
    _check(scenario, *_in_process(scenario))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_through_the_command(path: Path) -> None:
    scenario = _load(path)
    stdin = scenario.get("raw") or json.dumps(scenario["facts"])
    proc = subprocess.run(
        [str(SHAREWISE), scenario.get("kind", "decide"), "-"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert "Traceback" not in proc.stderr
    _check(scenario, proc.returncode, json.loads(proc.stdout))


def test_every_contract_scenario_is_copied() -> None:
    # The copies must not drift from the contract's own scenarios where both exist.
    shared = HERE.parents[2] / "shared" / "spec" / "scenarios"
    if not shared.is_dir():
        pytest.skip(f"the shared spec is not beside this checkout ({shared})")
    for original in shared.glob("*.json"):
        copy = HERE / "contract" / original.name
        assert copy.is_file(), f"{original.name} is not copied into tests/scenarios/contract"
        assert _load(copy) == _load(original)
