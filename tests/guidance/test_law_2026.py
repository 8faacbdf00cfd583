"""The law as it stands in 2026: the 2024 advice, the duty to share as an overlay on it, the
recognised legitimate interest, and the choice of pack by date and place (issue 7).

The outcomes of each rule are scenario files (tests/scenarios/cases/2024-*.json); these
tests cover what a scenario file cannot: how an overlay is built from its base, the
judgement records, and which pack applies when.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sharewise.guidance.choice import pack_choose
from sharewise.guidance.decide import decide
from sharewise.guidance.errors import FactError, PackError
from sharewise.guidance.packs import SHIPPED_PACKS_DIR, pack_get, pack_load

BASE = {"purpose": "yes", "identifiable": "yes", "legal_requirement": "none"}
DUTY = {"duty_sender_bound": "yes", "duty_recipient_bound": "yes", "duty_relevant": "yes"}


def test_the_overlay_reroutes_the_base_flow_and_keeps_the_rest() -> None:
    base, overlay = pack_get("hmg-2024"), pack_get("hmg-2024-duty")
    assert base.nodes["legal_requirement"].next["none"] == "child_harm"
    assert overlay.nodes["legal_requirement"].next["none"] == "duty_sender_bound"
    # Every node of the base is still there, unchanged unless the overlay replaced it.
    for node_id, node in base.nodes.items():
        if node_id != "legal_requirement":
            assert overlay.nodes[node_id] == node
    assert overlay.golden_rules == base.golden_rules
    # The overlay's duties come after the base's, which still apply.
    assert overlay.record[: len(base.record)] == base.record
    assert "s16LA" in overlay.record[-1].cite
    # It cites the base's paragraphs as well as its own.
    assert overlay.paragraph("GR1") == base.paragraph("GR1")
    assert overlay.paragraph("s16LA") is not None and base.paragraph("s16LA") is None
    assert overlay.default is False and overlay.kind == "overlay"
    assert overlay.applies_in == ("england",)


def _copy_packs(tmp_path: Path) -> Path:
    for name in ("hmg-2024", "hmg-2024-duty"):
        shutil.copytree(SHIPPED_PACKS_DIR / name, tmp_path / name)
    return tmp_path


def test_a_change_to_the_base_gives_the_overlay_a_new_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path / "cache"))
    packs = _copy_packs(tmp_path / "packs")
    before = pack_load(packs / "hmg-2024-duty").hash
    questions = packs / "hmg-2024" / "questions.toml"
    questions.write_text(questions.read_text().replace("Not sure", "Unsure", 1))
    assert pack_load(packs / "hmg-2024-duty").hash != before


def test_an_overlay_must_extend_a_national_pack_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path / "cache"))
    packs = _copy_packs(tmp_path / "packs")
    meta = packs / "hmg-2024-duty" / "pack.toml"
    meta.write_text(meta.read_text().replace('extends = "hmg-2024"', 'extends = "hmg-2099"'))
    with pytest.raises(PackError, match="hmg-2099"):
        pack_load(packs / "hmg-2024-duty")


def test_a_pack_may_add_answers_to_a_contract_fact_but_never_remove_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path / "cache"))
    packs = _copy_packs(tmp_path / "packs")
    meta = packs / "hmg-2024" / "pack.toml"
    meta.write_text(meta.read_text().replace('"vital_interests", ', "", 1))
    with pytest.raises(PackError, match="vital_interests"):
        pack_load(packs / "hmg-2024")


def test_the_detriment_exception_is_a_judgement_needing_reasons() -> None:
    # Harm is asked before any outcome (golden rule 1): answered here, so that what is
    # left to ask is whether to tell the person.
    facts = {
        "pack": "hmg-2024-duty",
        "date": "2026-11-23",
        **BASE,
        **DUTY,
        "child_harm": "none",
        "adult_harm": "none",
    }
    without = decide({**facts, "duty_detriment": "not_more_detrimental"})
    assert without.outcome == "ask"
    assert without.question is not None and without.question["id"] == "reasons_not_to_seek_consent"
    outcome = decide(
        {
            **facts,
            "duty_detriment": "not_more_detrimental",
            "reasons_not_to_seek_consent": [],
            "reasons": {"duty_detriment": "Nothing suggests telling the school would harm him."},
        }
    )
    assert outcome.outcome == "must_share" and outcome.basis == "legal_obligation"
    [judgement] = outcome.judgements
    assert judgement.fact == "duty_detriment" and judgement.reasons
    assert "s16LA" in outcome.citations and "s16LA-exception" in outcome.citations
    unrecorded = decide(
        {**facts, "duty_detriment": "not_more_detrimental", "reasons_not_to_seek_consent": []}
    )
    assert unrecorded.judgements[0].as_json()["reasons_recorded"] is False


def test_the_detriment_judgement_shows_what_to_weigh() -> None:
    asked = decide({"pack": "hmg-2024-duty", "date": "2026-11-23", **BASE, **DUTY})
    assert asked.question is not None
    assert asked.question["id"] == "duty_detriment" and asked.question["kind"] == "judgement"
    assert asked.question["weigh"] and asked.question["reasons_prompt"]


@pytest.mark.parametrize(
    ("day", "field"),
    [("2026-09-29", "date"), ("2024-01-01", "date")],
)
def test_the_duty_is_refused_before_its_commencement(day: str, field: str) -> None:
    with pytest.raises(FactError) as raised:
        decide({"pack": "hmg-2024-duty", "date": day, **BASE})
    assert raised.value.field == field
    assert "2026-09-30" in raised.value.message


def test_the_duty_applies_from_the_day_of_commencement() -> None:
    outcome = decide({"pack": "hmg-2024-duty", "date": "2026-09-30", **BASE})
    assert outcome.question is not None and outcome.question["id"] == "duty_sender_bound"


def test_the_recognised_legitimate_interest_only_from_5_february_2026() -> None:
    facts = {
        "pack": "hmg-2024",
        **BASE,
        "child_harm": "concern",
        "adult_harm": "none",
        "confidential": "no",
        "lawful_basis": "recognised_legitimate_interest",
        "public_authority": "no",
        "reasons_not_to_seek_consent": [],
    }
    with pytest.raises(FactError) as raised:
        decide({**facts, "date": "2026-02-04"})
    assert raised.value.field == "lawful_basis"
    assert decide({**facts, "date": "2026-02-05"}).basis == "recognised_legitimate_interest"


def test_the_recognised_legitimate_interest_asks_whether_a_public_authority() -> None:
    outcome = decide(
        {
            "pack": "hmg-2024",
            "date": "2026-11-23",
            **BASE,
            "child_harm": "none",
            "adult_harm": "concern",
            "confidential": "no",
            "lawful_basis": "recognised_legitimate_interest",
        }
    )
    assert outcome.question is not None and outcome.question["id"] == "public_authority"
    assert "rli-not-public-authorities" in outcome.question["cite"]


@pytest.mark.parametrize(
    ("day", "country", "chosen", "expected"),
    [
        (dt.date(2020, 1, 1), "england", "", "hmg-2018"),
        (dt.date(2024, 4, 19), "england", "", "hmg-2024"),
        (dt.date(2026, 9, 29), "england", "", "hmg-2024"),
        (dt.date(2026, 9, 30), "england", "", "hmg-2024-duty"),
        (dt.date(2026, 11, 23), "wales", "", "hmg-2024"),
        (dt.date(2026, 11, 23), "england", "hmg-2018", "hmg-2018"),
        # Set, but not the law where the agency is: the law in force applies instead.
        (dt.date(2026, 11, 23), "wales", "hmg-2024-duty", "hmg-2024"),
        (dt.date(2025, 1, 1), "england", "hmg-2024-duty", "hmg-2024"),
    ],
)
def test_which_pack_applies(day: dt.date, country: str, chosen: str, expected: str) -> None:
    choice = pack_choose(day=day, country=country, chosen=chosen)
    assert choice.pack_id == expected
    assert expected in choice.reason


def test_the_reason_says_why_the_overlay_applies() -> None:
    choice = pack_choose(day=dt.date(2026, 11, 23), country="england")
    assert "newest national guidance in force on 23 November 2026" in choice.reason
    assert "England" in choice.reason and "30 September 2026" in choice.reason
    fallback = pack_choose(day=dt.date(2026, 11, 23), country="wales", chosen="hmg-2024-duty")
    assert fallback.reason.startswith("Your agency's administrator set hmg-2024-duty")
    assert "applies only in England" in fallback.reason


def test_every_paragraph_of_the_new_packs_says_how_it_was_confirmed() -> None:
    # Neither pack's text is in the seed documents: each paragraph must say where its
    # wording came from, or that it could not be confirmed.
    for pack_id in ("hmg-2024", "hmg-2024-duty"):
        paragraphs = pack_get(pack_id).sources.paragraphs.values()
        assert paragraphs
        unconfirmed = [p.id for p in paragraphs if not p.note]
        assert not unconfirmed, f"{pack_id}: {unconfirmed}"
