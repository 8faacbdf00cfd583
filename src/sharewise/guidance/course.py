"""The information sharing course (DESIGN.md capability 11), built from the packs.

The course follows the Nottingham City Partnership e-learning course (seed 000): why
sharing matters, the seven golden rules, the flowchart of key questions with the
explanations of its blue boxes, how organisations should support practitioners, and the
case examples of 003 Appendix 3. Its data is in `course/`: the order of the modules and
the course's own reading (`course.toml`), the quizzes of 000 with their answers
(`quizzes.toml`) and the facts of the case examples (`cases.toml`).

What the guidance says is never written twice. The golden rules and the questions of the
flowchart come from the pack the course is taken under; the reading is quoted from the
hmg-2008 pack's sources, which hold 000's text word for word; and the outcome of every
case example is computed by `decide`, exactly as a practitioner's decision is, so the
course cannot teach one thing while the engine does another.

Pure Python, like the rest of `guidance`: the training app stores progress and
completion, and marks quizzes by calling `quiz_mark` here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .decide import decide
from .engine import Outcome
from .errors import GuidanceError
from .packs import Pack, flow_order, pack_get, packs_all, prose

COURSE_DIR = Path(__file__).with_name("course")
# The pack whose sources quote the course (000) and the case examples (003 Appendix 3)
# word for word: its paragraph ids "000:m1.1", "000:box.purpose", "case:1".
TEXT_PACK = "hmg-2008"

STEP_KINDS = ("reading", "quiz", "golden_rule", "flowchart", "case", "finish")
FINISH = "finish"


class CourseError(GuidanceError):
    """The course's data is malformed, or a course, step or answer does not exist."""


class Quiz(NamedTuple):
    """A quiz of 000: choose every option that is true. `section` is the quiz's id in the
    hmg-2008 pack's sources ("000:m1.quiz1"), where each option is marked (true) or
    (false) as 000's answer slide shows it."""

    id: str
    section: str
    slide: str
    title: str
    prompt: str
    options: tuple[str, ...]
    answers: tuple[str, ...]
    explanation: str
    explain_cite: tuple[str, ...]


class QuizMark(NamedTuple):
    """A quiz marked: for each option, whether the learner judged it right (chose a true
    one, or left a false one). Each option judged right scores one."""

    chosen: tuple[str, ...]
    right: tuple[bool, ...]
    score: int
    total: int


class CaseExample(NamedTuple):
    """A case example of 003 Appendix 3 at one moment of its story, as facts of the
    decision contract. `scenario` names the conformance scenario the facts are copied
    from, whose expected outcome the course's must equal."""

    id: str
    case: int
    cite: str
    pack: str
    scenario: str
    moment: str
    facts: Mapping[str, Any]


class CourseStep(NamedTuple):
    """One page of the course."""

    id: str
    kind: str
    module: str
    module_title: str
    title: str
    # reading: the paragraphs quoted; the other kinds say what they show in `ref`.
    cite: tuple[str, ...] = ()
    # quiz: the quiz id; golden_rule: the rule's number; flowchart: the node id;
    # case: the case example's id.
    ref: str = ""


class Course(NamedTuple):
    id: str
    title: str
    summary: str
    pack: Pack
    steps: tuple[CourseStep, ...]

    def step(self, step_id: str) -> CourseStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise CourseError(f"The course has no step '{step_id}'", field="step")

    def position(self, step_id: str) -> int:
        """Where the step comes in the course, from 0."""
        return self.steps.index(self.step(step_id))

    def next_of(self, step_id: str) -> CourseStep | None:
        index = self.position(step_id)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def previous_of(self, step_id: str) -> CourseStep | None:
        index = self.position(step_id)
        return self.steps[index - 1] if index > 0 else None

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(quiz_get(step.ref) for step in self.steps if step.kind == "quiz")

    @property
    def quiz_total(self) -> int:
        """The most a learner can score: one for each option of each quiz."""
        return sum(len(quiz.options) for quiz in self.quizzes)


def _load(name: str) -> dict[str, Any]:
    try:
        with (COURSE_DIR / name).open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CourseError(f"course/{name} cannot be read: {exc}", field=name) from exc


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CourseError(f"{where} must be a list of text", field=where)
    return tuple(value)


@cache
def quizzes_all() -> dict[str, Quiz]:
    """The quizzes of 000, by id. An answer that is not one of its quiz's options is a
    fault of the data, refused here so that no quiz can be unanswerable."""
    found: dict[str, Quiz] = {}
    for index, raw in enumerate(_load("quizzes.toml").get("quizzes", [])):
        where = f"quizzes.toml: quizzes[{index}]"
        quiz = Quiz(
            id=str(raw["id"]),
            section=str(raw["section"]),
            slide=str(raw.get("slide", "")),
            title=str(raw["title"]),
            prompt=str(raw["prompt"]),
            options=_strs(raw.get("options"), f"{where}.options"),
            answers=_strs(raw.get("answers"), f"{where}.answers"),
            explanation=prose(str(raw.get("explanation", ""))),
            explain_cite=_strs(raw.get("explain_cite", []), f"{where}.explain_cite"),
        )
        stray = [a for a in quiz.answers if a not in quiz.options]
        if stray or not quiz.answers or len(set(quiz.options)) != len(quiz.options):
            raise CourseError(
                f"{where}: every answer must be one of its options, once each; not {stray}",
                field=f"{where}.answers",
            )
        found[quiz.id] = quiz
    return found


def quiz_get(quiz_id: str) -> Quiz:
    quiz = quizzes_all().get(quiz_id)
    if quiz is None:
        raise CourseError(f"There is no quiz '{quiz_id}'", field="quiz")
    return quiz


def quiz_mark(quiz: Quiz, chosen: Iterable[str]) -> QuizMark:
    """Mark the options a learner chose as true (000: "Which statements do you think are
    true and which false?"). An option the quiz does not have is refused."""
    picked = tuple(dict.fromkeys(chosen))
    unknown = [c for c in picked if c not in quiz.options]
    if unknown:
        raise CourseError("Choose from the statements shown", field="answer")
    right = tuple((option in picked) == (option in quiz.answers) for option in quiz.options)
    return QuizMark(
        chosen=tuple(o for o in quiz.options if o in picked),
        right=right,
        score=sum(right),
        total=len(quiz.options),
    )


def _facts(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CourseError(f"{where}.facts must be a table of facts", field=f"{where}.facts")
    return {name: list(v) if isinstance(v, list) else v for name, v in raw.items()}


@cache
def cases_all() -> dict[str, CaseExample]:
    """The case examples of 003 Appendix 3, by id, in the order of cases.toml."""
    found: dict[str, CaseExample] = {}
    for index, raw in enumerate(_load("cases.toml").get("cases", [])):
        where = f"cases.toml: cases[{index}]"
        case = CaseExample(
            id=str(raw["id"]),
            case=int(raw["case"]),
            cite=str(raw["cite"]),
            pack=str(raw["pack"]),
            scenario=str(raw["scenario"]),
            moment=str(raw["moment"]),
            facts=_facts(raw.get("facts"), where),
        )
        found[case.id] = case
    return found


def case_get(case_id: str) -> CaseExample:
    case = cases_all().get(case_id)
    if case is None:
        raise CourseError(f"There is no case example '{case_id}'", field="case")
    return case


def case_run(case: CaseExample) -> Outcome:
    """The case through the engine, under the pack its facts are written for: the same
    `decide` the CLI, the API and the guided decision call."""
    return decide({**case.facts, "pack": case.pack})


def cases_for(pack: Pack) -> list[CaseExample]:
    """The case examples a course under `pack` shows: those written for it, or else
    those of the newest edition before it that has some (a newer edition's course shows
    the cases under the advice they were written for, rather than guess at facts the
    newer pack asks and the case does not say)."""
    cases = list(cases_all().values())
    own = [c for c in cases if c.pack == pack.id]
    if own:
        return own
    editions = sorted(
        {pack_get(c.pack) for c in cases if pack_get(c.pack).in_force_from <= pack.in_force_from},
        key=lambda p: p.in_force_from,
    )
    return [c for c in cases if editions and c.pack == editions[-1].id]


def course_packs() -> list[Pack]:
    """The packs a course can be taken under: the national packs with golden rules
    (an overlay adds a law to a national pack; its course is the national pack's)."""
    return [p for p in packs_all() if p.kind == "national" and p.golden_rules]


def course_get(pack_id: str) -> Course:
    """The course under pack `pack_id`, one step per page."""
    if pack_id not in {p.id for p in course_packs()}:
        known = ", ".join(p.id for p in course_packs())
        raise CourseError(
            f"There is no course for pack '{pack_id}'. Courses: {known}", field="pack"
        )
    return _course(pack_id)


@cache
def _course(pack_id: str) -> Course:
    pack = pack_get(pack_id)
    text = pack_get(TEXT_PACK)
    raw = _load("course.toml")
    steps: list[CourseStep] = []
    for module in raw.get("modules", []):
        module_id, module_title = str(module["id"]), str(module["title"])

        def add(step_id: str, kind: str, title: str, **rest: Any) -> None:
            steps.append(CourseStep(step_id, kind, module_id, module_title, title, **rest))  # noqa: B023

        for entry in module.get("steps", []):
            if "reading" in entry:
                add(
                    str(entry["reading"]),
                    "reading",
                    str(entry["title"]),
                    cite=_strs(entry.get("cite"), "course.toml: cite"),
                )
            elif "quiz" in entry:
                quiz = quiz_get(str(entry["quiz"]))
                add(quiz.id, "quiz", f"Quiz: {quiz.title}", ref=quiz.id)
            elif entry.get("golden_rules"):
                for number, rule in enumerate(pack.golden_rules, start=1):
                    add(f"rule-{number}", "golden_rule", rule.title, ref=str(number))
            elif entry.get("flowchart"):
                for node_id in flow_order(pack):
                    node = pack.nodes[node_id]
                    question = pack.questions.get(node.fact)
                    title = question.text if question is not None else node.fact
                    add(f"question-{node_id}", "flowchart", title, ref=node_id)
            elif entry.get("cases"):
                for case in cases_for(pack):
                    paragraph = text.paragraph(case.cite)
                    heading = paragraph.heading if paragraph is not None else case.cite
                    add(f"case-{case.id}", "case", f"Case {case.case}: {heading}", ref=case.id)
            else:
                raise CourseError(f"course.toml: unknown step {entry}", field="course.toml")
    steps.append(
        CourseStep(FINISH, "finish", "finish", "Complete the course", "Check your progress")
    )
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise CourseError("course.toml: two steps share an id", field="course.toml")
    return Course(
        id=str(raw["id"]),
        title=str(raw["title"]),
        summary=prose(str(raw.get("summary", ""))),
        pack=pack,
        steps=tuple(steps),
    )


def course_id() -> str:
    """The id completion records keep for this course ("information-sharing")."""
    return str(_load("course.toml")["id"])
