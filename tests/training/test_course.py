"""The course's data against its sources, with no database: every quiz answer is one of
its options and is the answer 000 gives; every case example's outcome is the engine's and
equals its conformance scenario's expected outcome."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sharewise.guidance.course import (
    TEXT_PACK,
    CourseError,
    case_run,
    cases_all,
    course_get,
    course_packs,
    quiz_get,
    quiz_mark,
    quizzes_all,
)
from sharewise.guidance.packs import flow_order, pack_get

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "scenarios" / "cases"
SEED_000 = ROOT.parent / "shared" / "seeds" / "000_2ef930efaaba0395.txt"
QUIZZES = list(quizzes_all().values())
CASES = list(cases_all().values())


def _marked(text: str) -> dict[str, bool]:
    """The options of a quiz as the pack's source quotes them: "- option (true)"."""
    found = {}
    for line in text.splitlines():
        match = re.fullmatch(r"- (.*) \((true|false)\)", line.strip())
        if match:
            found[match.group(1)] = match.group(2) == "true"
    return found


@pytest.mark.parametrize("quiz", QUIZZES, ids=[q.id for q in QUIZZES])
def test_every_answer_is_one_of_its_options_and_cites_a_000_section(quiz: Any) -> None:
    assert quiz.answers
    assert set(quiz.answers) <= set(quiz.options)
    paragraph = pack_get(TEXT_PACK).paragraph(quiz.section)
    assert paragraph is not None, f"{quiz.section} is not a paragraph of {TEXT_PACK}"
    assert paragraph.document == "000"
    assert quiz.section.startswith("000:")


@pytest.mark.parametrize("quiz", QUIZZES, ids=[q.id for q in QUIZZES])
def test_every_answer_is_the_one_000_gives(quiz: Any) -> None:
    paragraph = pack_get(TEXT_PACK).paragraph(quiz.section)
    assert paragraph is not None
    marked = _marked(paragraph.text)
    # The same options, word for word, and true exactly where 000's answer slide says so.
    assert list(marked) == list(quiz.options)
    assert {option for option, true in marked.items() if true} == set(quiz.answers)
    assert quiz.prompt in paragraph.text or quiz.prompt.startswith("Which statements")


@pytest.mark.parametrize("quiz", QUIZZES, ids=[q.id for q in QUIZZES])
def test_every_option_is_in_the_seed_itself(quiz: Any) -> None:
    if not SEED_000.is_file():
        pytest.skip(f"the seed documents are not beside this checkout ({SEED_000})")
    seed = SEED_000.read_text()
    for option in quiz.options:
        assert option in seed, option
        assert _seed_answer(seed, option) == (option in quiz.answers), option


def _seed_answer(seed: str, option: str) -> bool:
    """What 000's answer slide says of an option: true options are bold (Module 3 adds
    "TRUE"), false ones struck through (Module 3 says "FALSE")."""
    if f"{option} FALSE**" in seed or f"~~{option}~~" in seed or f"~~⦿ {option}~~" in seed:
        return False
    assert f"{option} TRUE**" in seed or f"{option}**" in seed, f"no answer for {option}"
    return True


def test_the_explanations_cite_paragraphs_that_exist() -> None:
    text_pack = pack_get(TEXT_PACK)
    for quiz in QUIZZES:
        assert quiz.explanation
        for cite in quiz.explain_cite:
            assert text_pack.paragraph(cite) is not None, (quiz.id, cite)


def test_marking_scores_each_option_judged_right() -> None:
    quiz = quiz_get("quiz-who-to-talk-to")
    every_answer = quiz_mark(quiz, quiz.answers)
    assert (every_answer.score, every_answer.total) == (4, 4)
    helpdesk_too = quiz_mark(quiz, quiz.options)
    assert helpdesk_too.score == 3
    assert helpdesk_too.right == (True, False, True, True)
    with pytest.raises(CourseError):
        quiz_mark(quiz, ["Ask the person's neighbours"])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_case_outcome_is_the_engines_and_its_scenarios(case: Any) -> None:
    scenario = json.loads((SCENARIOS / f"{case.scenario}.json").read_text())
    # The facts are the scenario's, and the scenario is a case example of 003 Appendix 3.
    assert {**case.facts, "pack": case.pack} == scenario["facts"]
    assert f"case {case.case}" in scenario["source"]
    assert pack_get(TEXT_PACK).paragraph(case.cite) is not None
    result = case_run(case).as_json()
    for dotted, wanted in scenario["expect"].items():
        value: Any = result
        for key in dotted.split("."):
            value = value[key]
        assert value == wanted, (case.id, dotted)


def test_every_appendix_3_scenario_is_in_the_course() -> None:
    scenarios = {
        path.stem
        for pattern in ("2008-case-*.json", "2018-case-*.json")
        for path in SCENARIOS.glob(pattern)
        if "003 Appendix 3" in json.loads(path.read_text())["source"]
    }
    assert scenarios == {case.scenario for case in CASES}


@pytest.mark.parametrize("pack", course_packs(), ids=[p.id for p in course_packs()])
def test_the_course_is_built_from_the_pack(pack: Any) -> None:
    course = course_get(pack.id)
    kinds = [step.kind for step in course.steps]
    assert kinds.count("golden_rule") == len(pack.golden_rules) == 7
    assert [s.ref for s in course.steps if s.kind == "flowchart"] == flow_order(pack)
    assert [s.ref for s in course.steps if s.kind == "quiz"] == [q.id for q in QUIZZES]
    assert kinds[-1] == "finish"
    assert course.quiz_total == sum(len(q.options) for q in QUIZZES)
    assert any(s.kind == "case" for s in course.steps)


def test_packs_without_golden_rules_offer_no_course() -> None:
    assert {p.id for p in course_packs()} == {"hmg-2008", "hmg-2018", "hmg-2024"}
    with pytest.raises(CourseError):
        course_get("hmg-2024-duty")
