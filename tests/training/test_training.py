"""The course as a learner takes it, through the web pages, and the report a manager
sees. Personas (tests/factories.py): practitioner A and manager A of agency A, and
practitioner B of agency B, whose training manager A must never see."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, ServiceError
from sharewise.guidance.course import case_get, case_run, course_get, quiz_get
from sharewise.guidance.explain import OUTCOME_WORDS
from sharewise.training import services
from sharewise.training.models import TrainingRecord
from tests.factories import Personas, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> Personas:
    return personas()


def _client(sign_in: Any, user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _take_the_course(
    client: Client, pack_id: str, *, wrong_quiz: str | None = None
) -> TrainingRecord:
    """Walk every step in order as the pages lead, answering each quiz with 000's answers
    (ticking every option of `wrong_quiz` instead), then complete the course."""
    response = client.post(reverse("training:start", args=[pack_id]))
    assert response.status_code == 302
    course = course_get(pack_id)
    url = response["Location"]
    for step in course.steps[:-1]:
        assert url.endswith(f"/{step.id}/"), (url, step.id)
        page = client.get(url)
        assert page.status_code == 200
        if step.kind == "quiz":
            quiz = quiz_get(step.ref)
            chosen = quiz.options if step.ref == wrong_quiz else quiz.answers
            answered = client.post(url, {"answer": list(chosen)})
            assert answered.status_code == 302
        response = client.post(url)
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
    assert url.endswith("/finish/")
    completed = client.post(url.replace("/finish/", "/complete/"))
    assert completed.status_code == 302
    return TrainingRecord.objects.get(pk=int(re.findall(r"/records/(\d+)/", url)[0]))


@pytest.mark.parametrize("pack_id", ["hmg-2008", "hmg-2018"])
def test_a_user_completing_the_course_gets_a_completion_record(
    people: Personas, sign_in: Any, pack_id: str
) -> None:
    client = _client(sign_in, people.practitioner_a)
    record = _take_the_course(client, pack_id, wrong_quiz="quiz-who-to-talk-to")
    course = course_get(pack_id)
    assert record.user == people.practitioner_a
    assert record.module == "information-sharing"
    assert record.pack_id == pack_id
    assert record.pack_version == course.pack.version
    assert record.pack_hash == course.pack.hash
    assert record.completed_at is not None and record.completed_at >= record.started_at
    # Ticking the IT helpdesk is the one option judged wrong.
    assert (record.quiz_score, record.quiz_total) == (course.quiz_total - 1, course.quiz_total)
    assert AuditEntry.objects.filter(verb="training.complete", object_id=str(record.pk)).exists()
    page = client.get(reverse("training:record", args=[record.pk]))
    assert "Course completed" in page.content.decode()
    assert f"{course.quiz_total - 1} of {course.quiz_total}" in page.content.decode()


def test_any_role_may_take_the_course(people: Personas, sign_in: Any) -> None:
    for user in (people.outsider, people.admin, people.auditor_a):
        record = _take_the_course(_client(sign_in, user), "hmg-2024")
        assert record.is_completed


def test_a_quiz_is_marked_on_the_server_and_explained_after_answering(
    people: Personas, sign_in: Any
) -> None:
    client = _client(sign_in, people.practitioner_a)
    record = services.training_start(user=people.practitioner_a, pack_id="hmg-2008")
    quiz = quiz_get("quiz-golden-rules")
    url = reverse("training:step", args=[record.pk, quiz.id])
    before = client.get(url).content.decode()
    # Before answering, the page shows the statements and nothing of the answers.
    assert "Check my answer" in before
    assert quiz.explanation[:40] not in before
    assert "govuk-tag--green" not in before

    nothing = client.post(url, {})
    assert nothing.status_code == 400
    assert "Select every statement you think is true" in nothing.content.decode()
    assert client.post(url, {"answer": ["Ignore the guidance"]}).status_code == 400

    client.post(url, {"answer": [quiz.options[0], *quiz.answers]})
    after = client.get(url).content.decode()
    assert "5 of 6 right" in after
    assert quiz.explanation[:40] in after
    assert "Wrong" in after

    # Answered once: a second answer does not change the score.
    again = client.post(url, {"answer": list(quiz.answers)})
    assert again.status_code == 400
    assert record.answers.get(quiz=quiz.id).score == 5


def test_moving_on_from_a_quiz_needs_an_answer(people: Personas) -> None:
    record = services.training_start(user=people.practitioner_a, pack_id="hmg-2008")
    with pytest.raises(ServiceError, match="Answer the quiz"):
        services.training_step_done(
            user=people.practitioner_a, record=record, step_id="quiz-golden-rules"
        )


def test_the_course_cannot_be_completed_until_every_step_is_done(
    people: Personas, sign_in: Any
) -> None:
    client = _client(sign_in, people.practitioner_a)
    record = services.training_start(user=people.practitioner_a, pack_id="hmg-2008")
    response = client.post(reverse("training:complete", args=[record.pk]))
    assert response.status_code == 400
    assert "before you complete the course" in response.content.decode()
    record.refresh_from_db()
    assert record.completed_at is None and record.quiz_score is None


def test_progress_is_saved_and_resumed(people: Personas) -> None:
    user = people.practitioner_a
    record = services.training_start(user=user, pack_id="hmg-2018")
    services.training_step_done(user=user, record=record, step_id="why-it-matters")
    resumed = services.training_start(user=user, pack_id="hmg-2018")
    assert resumed.pk == record.pk
    assert resumed.steps_done == ["why-it-matters"]
    assert resumed.current_step == "quiz-why-sharing-matters"
    # Another pack's course is another attempt.
    assert services.training_start(user=user, pack_id="hmg-2008").pk != record.pk


def test_a_completed_course_is_never_reopened(people: Personas, sign_in: Any) -> None:
    client = _client(sign_in, people.practitioner_a)
    first = _take_the_course(client, "hmg-2008")
    with pytest.raises(ServiceError, match="completed this course"):
        services.training_step_done(
            user=people.practitioner_a, record=first, step_id="why-it-matters"
        )
    again = services.training_start(user=people.practitioner_a, pack_id="hmg-2008")
    assert again.pk != first.pk and again.completed_at is None


def test_another_users_record_does_not_exist_for_them(people: Personas, sign_in: Any) -> None:
    record = services.training_start(user=people.practitioner_a, pack_id="hmg-2008")
    for user in (people.manager_a, people.practitioner_b):
        client = _client(sign_in, user)
        assert client.get(reverse("training:record", args=[record.pk])).status_code == 404
        step = reverse("training:step", args=[record.pk, "why-it-matters"])
        assert client.get(step).status_code == 404
        assert client.post(step).status_code == 404
        with pytest.raises(NotFound):
            services.training_step_done(user=user, record=record, step_id="why-it-matters")
    record.refresh_from_db()
    assert record.steps_done == []


@pytest.mark.parametrize("case_id", ["2008-jack", "2018-maggie", "2008-helen"])
def test_a_case_page_shows_the_engines_trace_and_outcome(
    people: Personas, sign_in: Any, case_id: str
) -> None:
    case = case_get(case_id)
    client = _client(sign_in, people.practitioner_a)
    record = services.training_start(user=people.practitioner_a, pack_id=case.pack)
    page = client.get(reverse("training:step", args=[record.pk, f"case-{case.id}"]))
    html = page.content.decode()
    outcome = case_run(case)
    assert OUTCOME_WORDS[outcome.outcome] in html
    for step in outcome.trace:
        for cite in step.cite:
            assert f"/packs/{case.pack}/sources/{cite}/" in html
    assert ("refer-now-title" in html) == outcome.refer_now


def test_the_manager_report_shows_only_their_agency(people: Personas, sign_in: Any) -> None:
    _take_the_course(_client(sign_in, people.practitioner_a), "hmg-2008")
    _take_the_course(_client(sign_in, people.practitioner_b), "hmg-2008")
    services.training_start(user=people.lead_a, pack_id="hmg-2018")
    manager = _client(sign_in, people.manager_a)

    html = manager.get(reverse("training:report")).content.decode()
    assert "practitioner_a" in html and "lead_a" in html
    assert "practitioner_b" not in html
    assert "Completed" in html and "In progress" in html and "Not started" in html

    export = manager.get(reverse("training:report_csv"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {row["agency"] for row in rows} == {people.agency_a.name}
    assert "practitioner_b" not in {row["username"] for row in rows}
    done = next(row for row in rows if row["username"] == "practitioner_a")
    assert (done["status"], done["pack"], done["quiz_total"]) == ("Completed", "hmg-2008", "20")
    assert done["completed"] and done["quiz_score"] == "20"
    # The partnership administrator is not the agency's staff.
    assert "admin" not in {row["username"] for row in rows}
    assert AuditEntry.objects.filter(verb="training.report_export").count() == 1
    assert AuditEntry.objects.filter(verb="training.report_view").count() == 1


def test_only_managers_see_the_report(people: Personas, sign_in: Any) -> None:
    for user in (people.practitioner_a, people.lead_a, people.auditor_a, people.admin):
        client = _client(sign_in, user)
        assert client.get(reverse("training:report")).status_code == 403
        assert client.get(reverse("training:report_csv")).status_code == 403


def test_the_export_writes_formulas_as_text(people: Personas, sign_in: Any) -> None:
    people.practitioner_a.first_name = "=HYPERLINK(1)"
    people.practitioner_a.save()
    export = _client(sign_in, people.manager_a).get(reverse("training:report_csv"))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert "'=HYPERLINK(1)" in {row["name"] for row in rows}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_that_would_start_a_formula_is_escaped(
    people: Personas, sign_in: Any, start: str
) -> None:
    # The agency's name is typed by an administrator and is in every row of the export.
    name = f"{start}cmd|' /C calc'!A0"
    people.agency_a.name = name
    people.agency_a.save()
    _take_the_course(_client(sign_in, people.practitioner_a), "hmg-2008")
    export = _client(sign_in, people.manager_a).get(reverse("training:report_csv"))
    assert export["Content-Disposition"].startswith('attachment; filename="training-')
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert rows and {row["agency"] for row in rows} == {"'" + name}
    # The scores are numbers still, not text.
    done = next(row for row in rows if row["username"] == "practitioner_a")
    assert (done["quiz_score"], done["quiz_total"]) == ("20", "20")


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("pack_id", ["hmg-2008", "hmg-2018", "hmg-2024"])
def test_pages_render_without_inline_styles_or_scripts(
    people: Personas, sign_in: Any, pack_id: str
) -> None:
    client = _client(sign_in, people.manager_a)
    record = services.training_start(user=people.manager_a, pack_id=pack_id)
    services.training_quiz_answer(
        user=people.manager_a,
        record=record,
        quiz_id="quiz-golden-rules",
        chosen=quiz_get("quiz-golden-rules").answers,
    )
    urls = [
        reverse("training:home"),
        reverse("training:record", args=[record.pk]),
        reverse("training:report"),
    ] + [reverse("training:step", args=[record.pk, s.id]) for s in course_get(pack_id).steps]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE.search(html), (url, INLINE.search(html))
