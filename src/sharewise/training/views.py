"""The pages of the information sharing course: the courses on offer, one page per step
(GOV.UK question pages), the learner's progress, and the report for managers.

Views only read input and call one selector or service. What a page shows of the guidance
comes from the pack through `web.pack_pages`, as the pack pages do, and the outcome of a
case example from the engine (`guidance.course.case_run`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied
from sharewise.guidance.course import (
    TEXT_PACK,
    Course,
    CourseError,
    CourseStep,
    case_get,
    case_run,
    course_get,
    course_packs,
    quiz_get,
    quiz_mark,
)
from sharewise.guidance.explain import OUTCOME_WORDS
from sharewise.guidance.packs import Pack, Paragraph, pack_get
from sharewise.web import pack_pages
from sharewise.web.access import SIGNED_IN, TRAINING_MANAGER, TRAINING_OWN, access
from sharewise.web.csv_export import csv_response
from sharewise.web.forms import FormErrors, submitted

from . import selectors, services
from .models import TrainingRecord

# The course's own paragraphs (000) are shown first among a question's explanations: they
# are the flowchart's blue boxes.
BLUE_BOX_PREFIX = "000:"


def _record_or_404(request: HttpRequest, record_id: int) -> TrainingRecord:
    try:
        return selectors.training_record_get_for_user(user=request.user, record_id=record_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _course_of(record: TrainingRecord) -> Course:
    try:
        return course_get(record.pack_id)
    except CourseError as exc:
        raise Http404(exc.message) from exc


def _paragraphs(pack: Pack, cites: tuple[str, ...]) -> list[Paragraph]:
    return [p for p in (pack.paragraph(cite) for cite in cites) if p is not None]


def _step_url(record: TrainingRecord, step_id: str) -> str:
    return reverse("training:step", args=[record.pk, step_id])


@access(SIGNED_IN)
@require_safe
@login_required
def course_home(request: HttpRequest) -> HttpResponse:
    """The course under each pack, with the learner's attempts at it."""
    records = list(selectors.training_records_for_user(user=request.user))
    courses = []
    for pack in course_packs():
        course = course_get(pack.id)
        mine = [r for r in records if r.pack_id == pack.id]
        courses.append(
            {
                "course": course,
                "pack": pack,
                "under_way": next((r for r in mine if not r.is_completed), None),
                "completed": [r for r in mine if r.is_completed],
            }
        )
    context = {
        "courses": courses,
        "manages": bool(selectors.training_report_agencies(user=request.user)),
    }
    return render(request, "training/home.html", context)


@access(SIGNED_IN)
@require_POST
@login_required
def course_start(request: HttpRequest, pack_id: str) -> HttpResponse:
    errors = FormErrors()
    record = submitted(errors, lambda: services.training_start(user=request.user, pack_id=pack_id))
    if record is None:
        raise Http404(errors.get("pack"))
    return redirect(_step_url(record, record.current_step))


@access(TRAINING_OWN)
@require_safe
@login_required
def course_record(request: HttpRequest, training_record_id: int) -> HttpResponse:
    """The learner's progress through the course: every step, done or not, in order (000:
    "You can complete these sections in any order")."""
    record = _record_or_404(request, training_record_id)
    course = _course_of(record)
    answers = selectors.training_answers(record=record)
    modules: list[dict[str, Any]] = []
    for step in course.steps:
        if not modules or modules[-1]["id"] != step.module:
            modules.append({"id": step.module, "title": step.module_title, "steps": []})
        answer = answers.get(step.ref) if step.kind == "quiz" else None
        modules[-1]["steps"].append(
            {"step": step, "done": step.id in record.steps_done, "answer": answer}
        )
    context = {
        "record": record,
        "course": course,
        "modules": modules,
        "done": len([s for s in course.steps if s.id in record.steps_done]),
        "total": len(course.steps) - 1,
    }
    return render(request, "training/record.html", context)


def _reading_context(course: Course, step: CourseStep) -> dict[str, Any]:
    text_pack = pack_get(TEXT_PACK)
    return {"text_pack": text_pack, "paragraphs": _paragraphs(text_pack, step.cite)}


def _golden_rule_context(course: Course, step: CourseStep) -> dict[str, Any]:
    rule = course.pack.golden_rules[int(step.ref) - 1]
    return {"rule": rule, "paragraphs": _paragraphs(course.pack, rule.cite)}


def _flowchart_context(course: Course, step: CourseStep) -> dict[str, Any]:
    pack = course.pack
    question = next(q for q in pack_pages.flowchart_questions(pack) if q.node.id == step.ref)
    cited = _paragraphs(pack, question.cite)
    first = course.steps.index(step) == next(
        i for i, s in enumerate(course.steps) if s.kind == "flowchart"
    )
    return {
        "question": question,
        "blue_boxes": [p for p in cited if p.id.startswith(BLUE_BOX_PREFIX)],
        "paragraphs": [p for p in cited if not p.id.startswith(BLUE_BOX_PREFIX)],
        "interrupts": [
            (interrupt, pack_pages.interrupt_triggers(pack, interrupt))
            for interrupt in pack.interrupts
        ]
        if first
        else [],
    }


def _quiz_context(record: TrainingRecord, step: CourseStep) -> dict[str, Any]:
    quiz = quiz_get(step.ref)
    answer = selectors.training_answers(record=record).get(quiz.id)
    options: list[dict[str, Any]] = [{"text": o, "index": i} for i, o in enumerate(quiz.options)]
    if answer is not None:
        mark = quiz_mark(quiz, answer.chosen)
        for option, right in zip(options, mark.right, strict=True):
            option.update(
                chosen=option["text"] in answer.chosen,
                true=option["text"] in quiz.answers,
                right=right,
            )
    text_pack = pack_get(TEXT_PACK)
    return {
        "quiz": quiz,
        "answer": answer,
        "options": options,
        "text_pack": text_pack,
        "paragraphs": _paragraphs(text_pack, quiz.explain_cite),
    }


def _answer_text(pack: Pack, fact: str, answer: Any) -> str:
    if isinstance(answer, tuple | list):
        labels = [pack_pages.answer_label(pack, fact, str(value)) for value in answer]
        return "; ".join(labels) or pack_pages.LIST_BRANCH_LABELS["none"]
    return pack_pages.answer_label(pack, fact, str(answer))


def _case_context(course: Course, step: CourseStep) -> dict[str, Any]:
    case = case_get(step.ref)
    case_pack = pack_get(case.pack)
    outcome = case_run(case)
    text_pack = pack_get(TEXT_PACK)
    trace = [
        {
            "number": number,
            "question": case_pack.questions[trace_step.fact].text,
            "answer": _answer_text(case_pack, trace_step.fact, trace_step.answer),
            "judgement": trace_step.kind == "judgement",
            "citations": pack_pages.citations(case_pack, trace_step.cite),
            "paragraphs": _paragraphs(case_pack, trace_step.cite),
        }
        for number, trace_step in enumerate(outcome.trace, start=1)
    ]
    return {
        "case": case,
        "case_pack": case_pack,
        "story": text_pack.paragraph(case.cite),
        "text_pack": text_pack,
        "facts": [
            {
                "question": case_pack.questions[fact].text if fact in case_pack.questions else fact,
                "answer": _answer_text(case_pack, fact, value),
            }
            for fact, value in case.facts.items()
        ],
        "outcome": outcome,
        "outcome_words": OUTCOME_WORDS[outcome.outcome],
        "trace": trace,
        "outcome_citations": pack_pages.citations(case_pack, outcome.citations),
        "other_pack": case_pack.id != course.pack.id,
    }


def _finish_context(record: TrainingRecord, course: Course) -> dict[str, Any]:
    answers = selectors.training_answers(record=record)
    missing = [s for s in course.steps if s.kind != "finish" and s.id not in record.steps_done]
    return {
        "missing": missing,
        "quizzes": [(quiz, answers.get(quiz.id)) for quiz in course.quizzes],
        "score": sum(a.score for a in answers.values()),
        "quiz_total": course.quiz_total,
    }


@access(TRAINING_OWN)
@require_http_methods(["GET", "POST"])
@login_required
def course_step(request: HttpRequest, training_record_id: int, training_step: str) -> HttpResponse:
    """One page of the course. Posting it finishes the step (or answers its quiz) and
    moves on; a quiz answered shows its answer and explanation on the same page."""
    record = _record_or_404(request, training_record_id)
    course = _course_of(record)
    try:
        step = course.step(training_step)
    except CourseError as exc:
        raise Http404(exc.message) from exc
    errors = FormErrors()
    if request.method == "POST" and step.kind != "finish":
        # A quiz's page answers it first; once answered, its Continue (which sends no
        # answer) moves on, and a second answer is refused.
        if step.kind == "quiz" and (
            "answer" in request.POST or step.ref not in selectors.training_answers(record=record)
        ):
            answered = submitted(
                errors,
                lambda: services.training_quiz_answer(
                    user=request.user,
                    record=record,
                    quiz_id=step.ref,
                    chosen=request.POST.getlist("answer"),
                ),
            )
            if answered is not None:
                return redirect(_step_url(record, step.id) + "#answer")
        else:
            done = submitted(
                errors,
                lambda: services.training_step_done(
                    user=request.user, record=record, step_id=step.id
                ),
            )
            if done is not None:
                return redirect(_step_url(done, done.current_step))
        record.refresh_from_db()
    return _render_step(request, record, course, step, errors)


def _render_step(
    request: HttpRequest,
    record: TrainingRecord,
    course: Course,
    step: CourseStep,
    errors: FormErrors,
) -> HttpResponse:
    builders = {
        "reading": lambda: _reading_context(course, step),
        "golden_rule": lambda: _golden_rule_context(course, step),
        "flowchart": lambda: _flowchart_context(course, step),
        "quiz": lambda: _quiz_context(record, step),
        "case": lambda: _case_context(course, step),
        "finish": lambda: _finish_context(record, course),
    }
    previous = course.previous_of(step.id)
    following = course.next_of(step.id)
    number = course.position(step.id) + 1
    context = {
        "record": record,
        "course": course,
        "pack": course.pack,
        "step": step,
        "number": number,
        "total": len(course.steps),
        "previous_url": _step_url(record, previous.id) if previous else None,
        "next_url": _step_url(record, following.id) if following else None,
        "done": step.id in record.steps_done,
        "errors": errors,
        **builders[step.kind](),
    }
    return render(
        request, f"training/step_{step.kind}.html", context, status=400 if errors else 200
    )


@access(TRAINING_OWN)
@require_POST
@login_required
def course_complete(request: HttpRequest, training_record_id: int) -> HttpResponse:
    record = _record_or_404(request, training_record_id)
    course = _course_of(record)
    errors = FormErrors()
    completed = submitted(
        errors, lambda: services.training_complete(user=request.user, record=record)
    )
    if completed is not None:
        return redirect("training:record", training_record_id=completed.pk)
    record.refresh_from_db()
    return _render_step(request, record, course, course.step("finish"), errors)


def _report_rows(request: HttpRequest) -> list[selectors.ReportRow]:
    try:
        return selectors.training_report_for_manager(user=request.user)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc


@access(TRAINING_MANAGER)
@require_safe
@login_required
def training_report(request: HttpRequest) -> HttpResponse:
    """Who in the manager's agencies has completed the course, when, and their scores."""
    rows = _report_rows(request)
    agencies = selectors.training_report_agencies(user=request.user)
    audit_append(
        actor=request.user,
        verb="training.report_view",
        agency=agencies[0] if len(agencies) == 1 else None,
        request=request,
        details={"agencies": [a.pk for a in agencies], "shown": len(rows)},
    )
    context = {
        "rows": rows,
        "agencies": agencies,
        "completed": len({r.username for r in rows if r.record and r.record.is_completed}),
        "staff": len({(r.agency, r.username) for r in rows}),
    }
    return render(request, "training/report.html", context)


REPORT_COLUMNS = (
    "agency",
    "username",
    "name",
    "roles",
    "module",
    "pack",
    "pack_version",
    "status",
    "started",
    "completed",
    "quiz_score",
    "quiz_total",
)


@access(TRAINING_MANAGER)
@require_safe
@login_required
def training_report_csv(request: HttpRequest) -> HttpResponse:
    """The report as CSV, one row per member of staff and attempt. Every export is audited."""
    rows = _report_rows(request)
    agencies = selectors.training_report_agencies(user=request.user)
    audit_append(
        actor=request.user,
        verb="training.report_export",
        agency=agencies[0] if len(agencies) == 1 else None,
        request=request,
        details={"agencies": [a.pk for a in agencies], "rows": len(rows), "format": "csv"},
    )
    # A name typed as "=HYPERLINK(...)" is written as text (web.csv_export); scores stay
    # numbers.
    return csv_response(
        filename=f"training-{timezone.localdate().isoformat()}.csv",
        header=REPORT_COLUMNS,
        rows=(_report_cells(row) for row in rows),
    )


def _report_cells(row: selectors.ReportRow) -> tuple[object, ...]:
    """One row of the report as the CSV's cells, in the order of REPORT_COLUMNS."""
    record = row.record
    return (
        row.agency,
        row.username,
        row.name,
        row.roles,
        record.module if record else "",
        record.pack_id if record else "",
        record.pack_version if record else "",
        row.status,
        record.started_at.isoformat() if record else "",
        record.completed_at.isoformat() if record and record.completed_at else "",
        record.quiz_score if record else "",
        record.quiz_total if record else "",
    )
