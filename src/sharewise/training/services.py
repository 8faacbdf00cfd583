"""Writes of the training module: start (or resume) the course, finish a step, answer a
quiz, complete the course.

One function per write, for the web pages and any later API alike. A learner writes only
to their own records, and each write appends its audit entry in the same transaction.
Quizzes are marked here, on the server, by the pure core (`guidance.course.quiz_mark`):
the page never learns the answers before the learner has given theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sharewise.audit.services import audit_append
from sharewise.common import NotFound, ServiceError
from sharewise.guidance.course import (
    FINISH,
    Course,
    CourseError,
    course_get,
    course_id,
    quiz_get,
    quiz_mark,
)

from .models import QuizAnswer, TrainingRecord


def _course(pack_id: str) -> Course:
    try:
        return course_get(pack_id)
    except CourseError as exc:
        raise ServiceError(exc.message, field="pack") from exc


def _locked_own(user: Any, record: TrainingRecord) -> TrainingRecord:
    """The record, locked for the write; someone else's does not exist for the user."""
    locked = TrainingRecord.objects.select_for_update().filter(pk=record.pk, user=user).first()
    if locked is None:
        raise NotFound("There is no such training record")
    if locked.is_completed:
        raise ServiceError(
            "You have completed this course. Start it again to take it once more.",
            field="record",
        )
    return locked


def _step_known(course: Course, step_id: str) -> None:
    try:
        course.step(step_id)
    except CourseError as exc:
        raise ServiceError(exc.message, field="step") from exc


@transaction.atomic
def training_start(*, user: Any, pack_id: str) -> TrainingRecord:
    """Start the course under `pack_id`, or resume the attempt already under way. Any
    signed-in user may take it, whatever their role."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("Sign in to take the course")
    course = _course(pack_id)
    module = course_id()
    under_way = (
        TrainingRecord.objects.select_for_update()
        .filter(user=user, module=module, pack_id=pack_id, completed_at__isnull=True)
        .first()
    )
    if under_way is not None:
        return under_way
    try:
        # A savepoint, so that a second tab starting at the same moment meets the unique
        # constraint and resumes the first tab's attempt rather than failing.
        with transaction.atomic():
            record = TrainingRecord.objects.create(
                user=user,
                module=module,
                pack_id=pack_id,
                pack_version=course.pack.version,
                pack_hash=course.pack.hash,
                current_step=course.steps[0].id,
            )
    except IntegrityError:
        return TrainingRecord.objects.get(
            user=user, module=module, pack_id=pack_id, completed_at__isnull=True
        )
    audit_append(
        actor=user,
        verb="training.start",
        obj=record,
        details={"module": module, "pack": pack_id, "pack_version": course.pack.version},
    )
    return record


@transaction.atomic
def training_step_done(*, user: Any, record: TrainingRecord, step_id: str) -> TrainingRecord:
    """Record that the learner has finished a page of reading, a golden rule, a question
    of the flowchart or a case example, and move them on to the next step. A quiz is
    finished by answering it (`training_quiz_answer`)."""
    record = _locked_own(user, record)
    course = _course(record.pack_id)
    _step_known(course, step_id)
    step = course.step(step_id)
    if step.kind == "quiz" and not record.answers.filter(quiz=step.ref).exists():
        raise ServiceError("Answer the quiz before you go on", field="answer")
    if step.kind == "finish":
        raise ServiceError("Complete the course to finish", field="step")
    if step_id not in record.steps_done:
        record.steps_done = [*record.steps_done, step_id]
    following = course.next_of(step_id)
    record.current_step = following.id if following is not None else FINISH
    record.save(update_fields=["steps_done", "current_step"])
    return record


@transaction.atomic
def training_quiz_answer(
    *, user: Any, record: TrainingRecord, quiz_id: str, chosen: Sequence[str]
) -> QuizAnswer:
    """Mark the learner's answer to a quiz and keep it. A quiz is answered once: the
    score is the first answer's, and the page then shows the right answers with their
    explanation (000's "Show Answer")."""
    record = _locked_own(user, record)
    course = _course(record.pack_id)
    if quiz_id not in {quiz.id for quiz in course.quizzes}:
        raise ServiceError("The course has no such quiz", field="quiz")
    if record.answers.filter(quiz=quiz_id).exists():
        raise ServiceError("You have already answered this quiz", field="answer")
    if not chosen:
        raise ServiceError("Select every statement you think is true", field="answer")
    try:
        mark = quiz_mark(quiz_get(quiz_id), chosen)
    except CourseError as exc:
        raise ServiceError(exc.message, field="answer") from exc
    answer = QuizAnswer.objects.create(
        record=record, quiz=quiz_id, chosen=list(mark.chosen), score=mark.score, total=mark.total
    )
    if quiz_id not in record.steps_done:
        record.steps_done = [*record.steps_done, quiz_id]
    record.current_step = quiz_id
    record.save(update_fields=["steps_done", "current_step"])
    audit_append(
        actor=user,
        verb="training.quiz_answer",
        obj=record,
        details={"quiz": quiz_id, "score": mark.score, "total": mark.total},
    )
    return answer


@transaction.atomic
def training_complete(*, user: Any, record: TrainingRecord) -> TrainingRecord:
    """Complete the course: every step finished and every quiz answered. The record keeps
    when, and the score over all the quizzes."""
    record = _locked_own(user, record)
    course = _course(record.pack_id)
    for step in course.steps:
        if step.kind != "finish" and step.id not in record.steps_done:
            message = (
                f"Answer the quiz '{step.title.removeprefix('Quiz: ')}'"
                if step.kind == "quiz"
                else f"Finish the step '{step.title}'"
            )
            raise ServiceError(f"{message} before you complete the course", field="step")
    answers = list(record.answers.all())
    record.quiz_score = sum(a.score for a in answers)
    record.quiz_total = course.quiz_total
    record.completed_at = timezone.now()
    record.current_step = FINISH
    record.save(update_fields=["quiz_score", "quiz_total", "completed_at", "current_step"])
    audit_append(
        actor=user,
        verb="training.complete",
        obj=record,
        details={
            "module": record.module,
            "pack": record.pack_id,
            "score": record.quiz_score,
            "total": record.quiz_total,
        },
    )
    return record
