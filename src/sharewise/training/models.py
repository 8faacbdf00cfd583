"""Who has taken the information sharing course, how far they have got, and how they did
(DESIGN.md capability 11).

A `TrainingRecord` is one attempt at the course under one pack: the pack's version and
content hash are kept, as a decision keeps them, because the golden rules and the
flowchart the learner was taught are the pack's. Progress is the steps seen; each quiz
answer is a row of its own (`QuizAnswer`), marked on the server when it is given and
never changed, so the score is what was first answered. A learner who takes the course
again starts a new record; a completed record is never reopened.

Training records are about staff, not about the people practitioners work with: they
hold no personal data of a child or adult at risk. A manager sees those of their own
agency's staff only (agencies.selectors, 003 3.15).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class TrainingRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    # guidance.course.course_id(): "information-sharing".
    module = models.CharField(max_length=60)
    pack_id = models.CharField("policy pack", max_length=60)
    pack_version = models.CharField(max_length=20)
    pack_hash = models.CharField(max_length=80)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The ids of the steps the learner has finished (guidance.course.CourseStep.id), in
    # the order finished; and the step to resume at.
    steps_done = models.JSONField(default=list, blank=True)
    current_step = models.CharField(max_length=80, blank=True)
    # Set on completion: the options judged right over all quizzes, out of quiz_total.
    quiz_score = models.PositiveIntegerField(null=True, blank=True)
    quiz_total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "module", "pack_id"])]
        constraints = [
            # One attempt under way per learner, course and pack: starting again resumes it.
            models.UniqueConstraint(
                fields=["user", "module", "pack_id"],
                condition=Q(completed_at__isnull=True),
                name="training_one_attempt_under_way",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(quiz_score__isnull=False, quiz_total__isnull=False),
                name="training_completed_has_score",
            ),
        ]

    def __str__(self) -> str:
        state = "completed" if self.completed_at else "under way"
        return f"Training {self.pk}: {self.module} under {self.pack_id} ({state})"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class QuizAnswer(models.Model):
    """A learner's answer to one quiz of the course, as marked when it was given."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, related_name="answers")
    quiz = models.CharField(max_length=80)
    # The options chosen as true, in the quiz's order.
    chosen = models.JSONField(default=list, blank=True)
    score = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "quiz"], name="training_quiz_answered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz}: {self.score} of {self.total}"
