"""The engine on its own: asking, tracing, citing, replaying."""

from __future__ import annotations

import json

import pytest

from sharewise.guidance.decide import decide, decision_date
from sharewise.guidance.engine import evaluate
from sharewise.guidance.errors import FactError
from sharewise.guidance.packs import pack_get

HELEN = {
    "pack": "hmg-2008",
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "reasons_not_to_seek_consent": [],
    "child_harm": "reasonable_cause",
}


def test_asks_the_first_missing_question_in_the_packs_order() -> None:
    outcome = decide({"pack": "hmg-2008", "purpose": "yes"})
    assert outcome.outcome == "ask"
    assert outcome.question is not None
    assert outcome.question["id"] == "legal_requirement"
    assert outcome.question["options"] == ["none", "statutory_duty", "court_order"]
    assert outcome.question["cite"][:2] == ["3.7", "3.8"]
    assert [s.fact for s in outcome.trace] == ["purpose"]


def test_the_2018_pack_asks_consent_before_identifiable() -> None:
    outcome = decide({"pack": "hmg-2018", "purpose": "yes"})
    assert outcome.question is not None and outcome.question["id"] == "consent"


def test_default_pack_is_hmg_2018() -> None:
    assert decide({}).pack == "hmg-2018"
    assert decide({"pack": "hmg-2018"}, pack_id="hmg-2008").pack == "hmg-2008"


def test_trace_follows_the_path_with_citations() -> None:
    outcome = decide(HELEN)
    assert [(s.fact, s.answer) for s in outcome.trace] == [
        ("purpose", "yes"),
        ("legal_requirement", "none"),
        ("identifiable", "yes"),
        ("confidential", "yes"),
        ("consent", "refused"),
        ("child_harm", "reasonable_cause"),
        ("reasons_not_to_seek_consent", ()),
    ]
    assert outcome.outcome == "share" and outcome.basis == "public_interest"
    # Citations: the path's, the outcome's, the refer-now banner's and Q6/Q7's, once each.
    assert "3.43" in outcome.citations and "2.5" in outcome.citations
    assert "3.49" in outcome.citations and "3.51" in outcome.citations
    assert len(outcome.citations) == len(set(outcome.citations))


def test_judgement_is_followed_and_its_reasons_reported() -> None:
    facts = {**HELEN, "child_harm": "concern", "adult_harm": "none", "serious_crime": "no"}
    without = decide({**facts, "public_interest": "sufficient"})
    assert without.outcome == "share"
    (judgement,) = without.judgements
    assert judgement.fact == "public_interest" and not judgement.reasons
    assert any("public interest judgement" in line for line in without.record)
    with_reasons = decide(
        {
            **facts,
            "public_interest": "insufficient",
            "reasons": {"public_interest": "Small benefit."},
        }
    )
    assert with_reasons.outcome == "do_not_share"
    assert with_reasons.judgements[0].as_json()["reasons_recorded"] is True


def test_judgement_question_carries_what_to_weigh() -> None:
    facts = {**HELEN, "child_harm": "concern", "adult_harm": "none", "serious_crime": "no"}
    outcome = decide(facts)
    assert outcome.question is not None
    assert outcome.question["kind"] == "judgement"
    assert any("proportionality" in p["cite"][0] for p in outcome.question["proportionality"])
    assert outcome.question["weigh"]


def test_same_facts_same_outcome_replay() -> None:
    pack = pack_get("hmg-2008")
    recorded = decide(HELEN).as_json()
    # Replay from the trace alone, as a stored decision would be replayed years later.
    facts = {step.fact: step.answer for step in decide(HELEN).trace}
    replayed = evaluate(pack, facts, day=decision_date(HELEN.get("date"))).as_json()
    assert json.dumps(replayed, sort_keys=True) == json.dumps(recorded, sort_keys=True)
    assert recorded["pack_hash"] == pack.hash and pack.hash.startswith("sha256:")


def test_list_order_does_not_change_the_outcome() -> None:
    a = decide(
        {**HELEN, "reasons_not_to_seek_consent": ["unjustified_delay", "increase_risk_of_harm"]}
    )
    b = decide(
        {**HELEN, "reasons_not_to_seek_consent": ["increase_risk_of_harm", "unjustified_delay"]}
    )
    assert a.as_json() == b.as_json()
    assert a.inform_subject == "no"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"purpose": "maybe"}, "purpose"),
        ({"purpose": True}, "purpose"),
        ({"colour": "blue"}, "colour"),
        ({"reasons_not_to_seek_consent": ["because"]}, "reasons_not_to_seek_consent"),
        ({"reasons_not_to_seek_consent": "increase_risk_of_harm"}, "reasons_not_to_seek_consent"),
        ({"pack": "hmg-1066"}, "pack"),
        ({"pack": 2018}, "pack"),
        ({"reasons": ["x"]}, "reasons"),
        ({"reasons": {"public_interest": 3}}, "reasons.public_interest"),
    ],
)
def test_bad_input_names_the_field(facts: dict, field: str) -> None:
    with pytest.raises(FactError) as caught:
        decide(facts)
    assert caught.value.field == field
    assert caught.value.message


def test_refer_now_is_raised_before_any_question_is_answered() -> None:
    outcome = decide({"pack": "hmg-2018", "adult_harm": "evidence"})
    assert outcome.outcome == "ask" and outcome.refer_now is True
    assert outcome.interrupts[0]["id"] == "refer_now"
