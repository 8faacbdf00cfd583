"""Harm is asked about on every path of the 2024 packs, and a path of the 2008 and 2018
packs that decides without asking says "refer now: not assessed", never "no" (issue 16).

The 2024 advice puts a child's right to be protected first (golden rule 1) and the refer
now interrupt exists so that no practitioner misses a referral; these tests walk every
path of every pack rather than a handful of cases, so a pack edit that opens a path
deciding without asking fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sharewise.guidance.decide import decide
from sharewise.guidance.engine import evaluate
from sharewise.guidance.packs import pack_get
from sharewise.guidance.paths import walk

HARM = ("child_harm", "adult_harm")


def _outcomes(pack_id: str):
    pack = pack_get(pack_id)
    for facts, (outcome,) in walk([pack]):
        yield facts, outcome


@pytest.mark.parametrize("pack_id", ["hmg-2024", "hmg-2024-duty"])
def test_every_outcome_of_the_2024_packs_asks_about_harm_first(pack_id: str) -> None:
    seen = set()
    for facts, outcome in _outcomes(pack_id):
        seen.add(outcome.node)
        asked = [step.fact for step in outcome.trace]
        assert "child_harm" in asked, (outcome.node, facts)
        if not outcome.refer_now:
            # Harm to a child ruled out: harm to an adult at risk is asked too.
            assert "adult_harm" in asked, (outcome.node, facts)
        assert outcome.refer_now_assessed, (outcome.node, facts)
        assert outcome.refer_now_note is None
    # The walk reached the paths that decide before the flow's own harm questions.
    assert {"required_by_law", "share_anonymised", "no_purpose"} <= seen
    if pack_id == "hmg-2024-duty":
        assert "must_share_duty" in seen


@pytest.mark.parametrize("pack_id", ["hmg-2008", "hmg-2018"])
def test_an_outcome_that_did_not_ask_about_harm_says_not_assessed(pack_id: str) -> None:
    unassessed = 0
    for facts, outcome in _outcomes(pack_id):
        answered = all(fact in facts for fact in HARM)
        if outcome.refer_now:
            assert outcome.refer_now_assessed
        elif answered:
            assert outcome.refer_now_assessed, (outcome.node, facts)
        else:
            unassessed += 1
            assert not outcome.refer_now_assessed, (outcome.node, facts)
            note = outcome.refer_now_note
            assert note and "not assessed" in note, (outcome.node, note)
            assert outcome.as_json()["refer_now_note"] == note
    # Both packs have such paths (consent, anonymised, no purpose): the branch ran.
    assert unassessed > 0


def test_harm_answered_off_the_deciding_path_is_on_the_record() -> None:
    # 2018, consent given and covering the share, evidence of harm given although the
    # consent path never asks it: refer now is raised and assessed.
    outcome = decide(
        {
            "pack": "hmg-2018",
            "date": "2023-06-01",
            "purpose": "yes",
            "consent": "given",
            "consent_covers": "yes",
            "child_harm": "evidence",
        }
    )
    assert (outcome.outcome, outcome.basis, outcome.refer_now) == ("share", "consent", True)
    assert outcome.refer_now_assessed


def test_the_duty_path_is_held_until_harm_is_answered_then_the_answers_are_traced() -> None:
    facts = {
        "pack": "hmg-2024-duty",
        "date": "2026-11-23",
        "purpose": "yes",
        "identifiable": "yes",
        "legal_requirement": "none",
        "duty_sender_bound": "yes",
        "duty_recipient_bound": "yes",
        "duty_relevant": "yes",
        "duty_detriment": "not_more_detrimental",
        "reasons_not_to_seek_consent": [],
    }
    first = decide(facts)
    assert first.outcome == "ask" and first.question is not None
    assert first.question["id"] == "child_harm"
    assert first.as_json()["refer_now_assessed"] is False
    # Refer now raised: nothing more about harm is needed before the outcome.
    raised = decide({**facts, "child_harm": "evidence"})
    assert (raised.outcome, raised.refer_now) == ("must_share", True)
    asked = [s.fact for s in raised.trace]
    assert "child_harm" in asked and "adult_harm" not in asked
    # Ruled out for the child: the adult is asked, then the outcome given.
    second = decide({**facts, "child_harm": "none"})
    assert second.question is not None and second.question["id"] == "adult_harm"
    done = decide({**facts, "child_harm": "none", "adult_harm": "none"})
    assert (done.outcome, done.refer_now, done.refer_now_assessed) == ("must_share", False, True)
    asked = [s.fact for s in done.trace]
    assert asked.index("adult_harm") == asked.index("child_harm") + 1


def test_the_detriment_exception_sends_for_advice_not_to_another_ground_for_sharing() -> None:
    # s16LA(3): judged more detrimental, with evidence of harm, must not lead straight to
    # "share on safeguarding grounds" without a further judgement.
    outcome = decide(
        {
            "pack": "hmg-2024-duty",
            "date": "2026-11-23",
            "purpose": "yes",
            "identifiable": "yes",
            "legal_requirement": "none",
            "duty_sender_bound": "yes",
            "duty_recipient_bound": "yes",
            "duty_relevant": "yes",
            "duty_detriment": "more_detrimental",
            "child_harm": "evidence",
        }
    )
    assert outcome.outcome == "seek_advice"
    assert outcome.node == "advice_duty_detriment"
    assert outcome.refer_now


def test_the_overlay_says_the_duty_is_asked_separately_from_a_legal_requirement() -> None:
    question = pack_get("hmg-2024-duty").questions["legal_requirement"]
    assert "16LA" in question.text and "asked next" in question.text
    base = pack_get("hmg-2024").questions["legal_requirement"]
    assert "16LA" not in base.text


@pytest.mark.parametrize(
    ("pack_id", "day", "replaced"),
    [
        ("hmg-2018", dt.date(2024, 4, 18), False),
        ("hmg-2018", dt.date(2024, 4, 19), True),
        ("hmg-2008", dt.date(2015, 3, 25), False),
        ("hmg-2008", dt.date(2020, 1, 1), True),
        ("hmg-2024", dt.date(2026, 11, 23), False),
    ],
)
def test_a_replaced_pack_says_so_on_decisions_after_its_replacement(
    pack_id: str, day: dt.date, replaced: bool
) -> None:
    pack = pack_get(pack_id)
    outcome = evaluate(pack, {"purpose": "no"}, day=day)
    notice = outcome.pack_replaced
    if not replaced:
        assert notice is None
        return
    assert notice is not None
    assert "was replaced on" in notice and "no longer current" in notice
    assert f"{day.day} {day:%B %Y}" in notice
    assert outcome.as_json()["pack_replaced"] == notice
    if pack_id == "hmg-2018":
        assert "19 April 2024" in notice and "hmg-2024" in notice
    else:
        # The chain followed as far as it had gone: 2008 -> 2015/2018 advice -> 2024.
        assert "hmg-2018 was in turn replaced" not in notice  # 2020 is before 2024
