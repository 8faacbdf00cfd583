"""Properties over every combination of answers each pack can be given.

The walk (`paths.walk`) branches on every answer of every question a pack asks, so these
tests see every path through the flowchart, not a sample.
"""

from __future__ import annotations

import pytest

from sharewise.guidance.packs import Pack, packs_all
from sharewise.guidance.paths import walk

PACKS = packs_all()
HIGH_HARM = ("reasonable_cause", "evidence")
HARMS = ("none", "concern", "reasonable_cause", "evidence")


def _paths(pack: Pack, seed: dict | None = None):
    return list(walk([pack], seed))


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_path_ends_in_an_outcome(pack: Pack) -> None:
    paths = _paths(pack)
    assert len(paths) > 20
    for facts, (outcome,) in paths:
        assert outcome.outcome in (
            "share",
            "must_share",
            "do_not_share",
            "seek_consent",
            "seek_advice",
        )
        assert outcome.node in pack.nodes
        # The trace answers are exactly the facts the walk supplied, in the order asked.
        assert {step.fact for step in outcome.trace} == set(facts)


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_unsure_never_reaches_share(pack: Pack) -> None:
    for _facts, (outcome,) in _paths(pack):
        if any(step.answer == "unsure" for step in outcome.trace):
            assert outcome.outcome == "seek_advice", outcome.trace


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
@pytest.mark.parametrize("child_harm", HARMS)
@pytest.mark.parametrize("adult_harm", HARMS)
def test_refer_now_whenever_harm_is_known(pack: Pack, child_harm: str, adult_harm: str) -> None:
    expected = child_harm in HIGH_HARM or adult_harm in HIGH_HARM
    for _facts, (outcome,) in _paths(pack, {"child_harm": child_harm, "adult_harm": adult_harm}):
        assert outcome.refer_now is expected
        assert bool(outcome.interrupts) is expected
        if expected:
            assert set(pack.interrupts[0].cite) <= set(outcome.citations)


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_sharing_bases_and_telling_the_person(pack: Pack) -> None:
    for facts, (outcome,) in _paths(pack):
        if outcome.outcome in ("share", "must_share"):
            assert outcome.basis is not None
            assert outcome.how_to_share
        else:
            assert outcome.basis is None
            assert outcome.how_to_share == ()
        assert outcome.record, "Q7: something must always be recorded"
        if outcome.basis in ("anonymised", "not_confidential", "consent") or outcome.basis is None:
            assert outcome.inform_subject is None
        else:
            # Sharing without consent: tell the person unless a reason applies (3.48).
            reasons = facts["reasons_not_to_seek_consent"]
            assert outcome.inform_subject == ("no" if reasons else "yes")


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_citation_of_every_outcome_resolves(pack: Pack) -> None:
    for _facts, (outcome,) in _paths(pack):
        for cite in outcome.citations:
            assert pack.paragraph(cite) is not None, cite


def test_without_purpose_nothing_is_shared() -> None:
    for pack in PACKS:
        for _facts, (outcome,) in _paths(pack, {"purpose": "no"}):
            assert outcome.outcome == "do_not_share"
