"""The pack linter, against the shipped packs and against packs broken on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharewise.guidance.lint import lint, lint_path
from sharewise.guidance.packs import packs_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"


@pytest.mark.parametrize("pack", packs_all(), ids=lambda p: p.id)
def test_shipped_packs_are_sound(pack) -> None:
    assert lint(pack) == []


def test_the_valid_fixture_passes() -> None:
    # Without this the broken fixtures could fail for a reason other than their defect.
    assert lint_path(FIXTURES / "valid") == []


# Each broken fixture has exactly one defect; the linter must name it where it is.
BROKEN = {
    "broken-unreachable-node": ("nodes.orphan", "cannot be reached from the start"),
    "broken-dead-end": ("nodes.identifiable.next", "the answer 'no' leads nowhere"),
    "broken-missing-target": ("nodes.identifiable.next.no", "'shaer', which does not exist"),
    "broken-cycle": ("nodes.purpose", "cycle: purpose -> identifiable -> purpose"),
    "broken-uncited-node": ("nodes.purpose", "cites no paragraph"),
    "broken-unresolved-citation": ("nodes.purpose", "cites '9.99', which is not in sources.toml"),
    "broken-unsure-to-share": ("nodes.identifiable.next.unsure", "leads to sharing"),
    "broken-unsure-unrouted": ("nodes.purpose.next.unsure", "must lead to an outcome"),
    "broken-missing-question": ("nodes.identifiable.fact", "no question in questions.toml"),
    "broken-not-toml": ("flow.toml", "is not valid TOML"),
    "broken-refer-now-not-assessed": ("interrupts.refer_now", "must say in 'not_assessed'"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_fixture_is_caught(name: str) -> None:
    where, message = BROKEN[name]
    problems = lint_path(FIXTURES / name)
    assert problems, f"{name} passed the linter"
    assert any(where in p.where and message in p.message for p in problems), problems


def test_every_fixture_is_accounted_for() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert on_disk == set(BROKEN) | {"valid"}
