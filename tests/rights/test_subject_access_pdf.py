"""The subject access PDF, prepared in the background: a lead asks for it, the page says it
is being prepared, the worker (`db_worker`, for real) makes it, and the lead downloads a
PDF about Helen. It is stored encrypted, kept for 7 days, and only the agency's leads and
auditors may see or download it. Asking, preparing and each download are audited."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sharewise.agencies.models import Membership, Role
from sharewise.audit.models import AuditEntry
from sharewise.common import PermissionDenied
from sharewise.rights import services, tasks
from sharewise.rights.models import SubjectAccessRequest, SubjectAccessStatus
from tests.factories import api_token_for
from tests.rights.conftest import Case

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pdf_titles(body: bytes) -> list[str]:
    """The titles a PDF made by WeasyPrint holds in its compressed streams: the document's
    own (from the HTML title, in its metadata) and its bookmarks (the headings). Enough to
    say whom the PDF is about without a PDF library."""
    assert body.startswith(b"%PDF-")
    titles: list[str] = []
    for match in re.finditer(rb"stream\r?\n", body):
        try:
            stream = zlib.decompressobj().decompress(body[match.end() :])
        except zlib.error:
            continue
        titles += [t.decode("latin-1") for t in re.findall(rb"/Title \((.*?)\)", stream)]
    return titles


HELENS_TITLE = "Subject access: information held about Helen Marsh"


def _run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # As tests/followups does: the worker recycles database connections between jobs,
    # which inside this test's transaction would close the connection under the test.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())


def _verbs(case: Case) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            target_type="person", target_id=str(case.helen.pk), verb__startswith="person.subject"
        )
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_a_lead_asks_the_worker_prepares_and_the_lead_downloads(
    case: Case, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = Client()
    sign_in(lead, case.world.lead_a)
    asked = lead.post(f"/rights/people/{case.helen.pk}/subject-access/")
    assert asked.status_code == 302
    request = SubjectAccessRequest.objects.get()
    status_url = f"/rights/subject-access/{request.pk}/"
    assert asked["Location"] == status_url
    assert (request.status, request.requested_by) == ("queued", case.world.lead_a)
    # The job waits in the database for the worker; the page says so and asks for a refresh.
    job = DBTaskResult.objects.get(task_path=tasks.subject_access_prepare.module_path)
    assert job.status == TaskResultStatus.READY
    page = lead.get(status_url).content.decode()
    assert "The subject access PDF is being prepared" in page
    assert "Refresh this page" in page
    assert "<script" not in page.split("</header>")[-1].split("<footer")[0]
    # Not ready yet: the download goes back to the page that says so.
    early = lead.get(f"{status_url}subject-access.pdf")
    assert (early.status_code, early["Location"]) == (302, status_url)

    _run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.READY
    assert request.expires_at - request.prepared_at == dt.timedelta(days=7)
    page = lead.get(status_url).content.decode()
    assert "The subject access PDF is ready" in page

    download = lead.get(f"{status_url}subject-access.pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    titles = pdf_titles(download.content)
    assert HELENS_TITLE in titles
    assert "Information held about Helen Marsh" in titles
    assert "Decisions about sharing information about you" in titles
    assert len(download.content) == request.pdf_size
    lead.get(f"{status_url}subject-access.pdf")

    # Asked, made (as the lead who asked, with the counts), downloaded twice.
    assert _verbs(case) == [
        "person.subject_access_request",
        "person.subject_access",
        "person.subject_access_download",
        "person.subject_access_download",
    ]
    made = AuditEntry.objects.get(verb="person.subject_access")
    assert made.actor_username == "lead_a"
    assert made.details["records"]["decisions"] == 2
    assert made.details["request"] == request.pk

    # Stored encrypted: the column holds neither the PDF nor its base64 in the clear.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf FROM rights_subjectaccessrequest WHERE id = %s", [request.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc:v2:")
    assert "JVBERi" not in stored  # "%PDF-" in base64


def test_only_the_agency_leads_and_auditors_see_or_download_it(case: Case, sign_in) -> None:
    request = services.subject_access_request_create(user=case.world.lead_a, person=case.helen)
    services.subject_access_request_prepare(subject_access_request_id=request.pk)
    status_url = f"/rights/subject-access/{request.pk}/"
    pdf_url = f"{status_url}subject-access.pdf"

    auditor = Client()
    sign_in(auditor, case.world.auditor_a)
    assert HELENS_TITLE in pdf_titles(auditor.get(pdf_url).content)
    for persona, status in (
        ("practitioner_a", 403),
        ("manager_a", 403),
        ("practitioner_b", 404),
        ("outsider", 404),
    ):
        client = Client()
        sign_in(client, getattr(case.world, persona))
        assert client.get(status_url).status_code == status, persona
        assert client.get(pdf_url).status_code == status, persona
        assert client.post(f"/rights/people/{case.helen.pk}/subject-access/").status_code in (
            403,
            404,
        )
    assert Client().get(pdf_url).status_code == 302  # to sign in
    # A practitioner's attempt to ask is refused and recorded as refused; nobody but the
    # auditor downloaded anything.
    assert AuditEntry.objects.filter(
        verb="person.subject_access_request", outcome="denied", actor_username="practitioner_a"
    ).exists()
    downloads = AuditEntry.objects.filter(verb="person.subject_access_download", outcome="ok")
    assert list(downloads.values_list("actor_username", flat=True)) == ["auditor_a"]
    assert SubjectAccessRequest.objects.count() == 1


def test_it_is_prepared_once_however_often_the_job_runs(case: Case) -> None:
    request = services.subject_access_request_create(user=case.world.lead_a, person=case.helen)
    first = services.subject_access_request_prepare(subject_access_request_id=request.pk)
    again = services.subject_access_request_prepare(subject_access_request_id=request.pk)
    assert first.status == again.status == SubjectAccessStatus.READY
    assert again.prepared_at == first.prepared_at
    assert AuditEntry.objects.filter(verb="person.subject_access").count() == 1


def test_someone_who_has_lost_the_role_since_asking_gets_nothing(case: Case) -> None:
    lead = case.world.lead_a
    request = services.subject_access_request_create(user=lead, person=case.helen)
    Membership.objects.filter(user=lead, agency=case.world.agency_a).update(role=Role.PRACTITIONER)
    prepared = services.subject_access_request_prepare(subject_access_request_id=request.pk)
    assert prepared.status == SubjectAccessStatus.FAILED
    assert "safeguarding leads and auditors" in prepared.failure
    assert prepared.pdf == ""
    assert AuditEntry.objects.filter(verb="person.subject_access", outcome="denied").exists()


def test_the_pdf_expires_after_7_days_and_the_sweep_deletes_it(case: Case, sign_in) -> None:
    request = services.subject_access_request_create(user=case.world.lead_a, person=case.helen)
    request = services.subject_access_request_prepare(subject_access_request_id=request.pk)
    assert request.expires_at is not None
    expiry_day = timezone.localdate(request.expires_at)
    # The day it expires, the sweep that runs that morning leaves it; the next day's takes it.
    assert services.subject_access_requests_expire(today=expiry_day) == 0
    # Past its expiry it is refused at once, whether or not the sweep has run.
    SubjectAccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    request.refresh_from_db()
    with pytest.raises(services.ServiceError, match="deleted 7 days after"):
        services.subject_access_request_download(
            user=case.world.lead_a, subject_access_request=request
        )
    lead = Client()
    sign_in(lead, case.world.lead_a)
    page = lead.get(f"/rights/subject-access/{request.pk}/").content.decode()
    assert "The subject access PDF has been deleted" in page
    assert "Ask for the PDF again" in page

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert services.subject_access_requests_expire(today=tomorrow) == 1
    assert services.subject_access_requests_expire(today=tomorrow) == 0
    request.refresh_from_db()
    assert (request.status, request.pdf, request.pdf_size) == ("expired", "", 0)
    assert AuditEntry.objects.filter(verb="person.subject_access_expire").count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_the_task_prepares_the_pdf_through_django_tasks(case: Case) -> None:
    request = services.subject_access_request_create(user=case.world.auditor_a, person=case.helen)
    # The immediate backend ran the job as it was queued.
    assert request.status == SubjectAccessStatus.READY
    prepared = services.subject_access_request_download(
        user=case.world.auditor_a, subject_access_request=request
    )
    titles = pdf_titles(prepared.body)
    assert HELENS_TITLE in titles
    assert not any("Oliver" in title for title in titles)


def test_a_practitioner_cannot_ask(case: Case) -> None:
    with pytest.raises(PermissionDenied):
        services.subject_access_request_create(user=case.world.practitioner_a, person=case.helen)
    assert not SubjectAccessRequest.objects.exists()
    assert not DBTaskResult.objects.exists()


def _api(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_for(user, 'test')}"}


def test_the_api_asks_polls_and_downloads(case: Case) -> None:
    client = Client()
    lead = _api(case.world.lead_a)
    asked = client.post(f"/api/v1/people/{case.helen.pk}/subject-access/pdf", headers=lead)
    assert asked.status_code == 202
    body = asked.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert asked["Location"] == body["status_url"] == f"/api/v1/subject-access/{body['id']}"
    assert client.get(body["status_url"], headers=lead).json()["status"] == "queued"

    tasks.subject_access_prepare.call(subject_access_request_id=body["id"])
    status = client.get(body["status_url"], headers=_api(case.world.auditor_a)).json()
    assert status["status"] == "ready"
    assert status["download_url"] == f"/api/v1/subject-access/{body['id']}/pdf"
    pdf = client.get(status["download_url"], headers=lead)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert HELENS_TITLE in pdf_titles(pdf.content)

    assert (
        client.get(status["download_url"], headers=_api(case.world.practitioner_a)).status_code
        == 403
    )
    assert (
        client.get(status["download_url"], headers=_api(case.world.practitioner_b)).status_code
        == 404
    )
    assert client.get(status["download_url"]).status_code == 401
    assert (
        client.post(
            f"/api/v1/people/{case.helen.pk}/subject-access/pdf",
            headers=_api(case.world.practitioner_a),
        ).status_code
        == 403
    )
