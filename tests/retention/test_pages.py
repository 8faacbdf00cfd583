"""Retention's pages: the queue, the dry run, disposal with its confirmation, holds and
the schedules, each through the real views."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharewise.audit.models import AuditEntry
from sharewise.decisions.models import Decision
from sharewise.people.models import Person
from sharewise.retention import services
from sharewise.retention.models import LegalHold, RecordKind, RetentionSchedule
from sharewise.retention.records import years_after

from .conftest import SECRETS, Child

pytestmark = pytest.mark.django_db


def _client(sign_in: Any, user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def due_child(child: Child) -> Child:
    # The pages work on today's date: make the child's decision due now by setting its
    # schedule to a year after the record's date, then sweeping.
    schedule = RetentionSchedule.objects.get(kind=RecordKind.CHILD_PROTECTION)
    services.retention_schedule_update(
        user=child.people.admin, schedule=schedule, basis="record_date", years=1, action="dispose"
    )
    services.retention_review_due(today=years_after(child.decision.created_at.date(), 1))
    return child


def test_the_queue_names_the_person_and_is_audited(due_child: Child, sign_in: Any) -> None:
    client = _client(sign_in, due_child.people.lead_a)
    # The queue is read on the real date, which is before the record's due date.
    page = client.get(reverse("retention:queue"))
    assert page.status_code == 200
    assert AuditEntry.objects.filter(verb="retention.queue", actor_username="lead_a").exists()


def test_the_dry_run_page_changes_nothing(due_child: Child, sign_in: Any) -> None:
    client = _client(sign_in, due_child.people.manager_a)
    entries = AuditEntry.objects.count()
    page = client.get(reverse("retention:dry_run"))
    assert page.status_code == 200
    assert AuditEntry.objects.count() == entries
    assert SECRETS["family_name"] not in page.content.decode()


def test_disposal_needs_the_confirmation(
    due_child: Child, sign_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    due_on = years_after(due_child.decision.created_at.date(), 1)
    real = timezone.localdate

    def localdate(value: Any = None, *args: Any) -> Any:
        # The pages' "today" is the due date; dates of stored records convert as ever.
        return due_on if value is None else real(value, *args)

    monkeypatch.setattr(timezone, "localdate", localdate)
    client = _client(sign_in, due_child.people.lead_a)
    url = reverse(
        "retention:dispose", args=[due_child.person.pk, RecordKind.CHILD_PROTECTION.value]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "decisions.Decision" in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert Decision.objects.get(pk=due_child.decision.pk).notes == SECRETS["decision_notes"]
    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert Decision.objects.get(pk=due_child.decision.pk).notes == ""
    # The person keeps their name: their consent, disclosure and meeting records remain.
    assert Person.objects.get(pk=due_child.person.pk).family_name == SECRETS["family_name"]


def test_a_hold_is_placed_and_released_from_the_person_page(child: Child, sign_in: Any) -> None:
    client = _client(sign_in, child.people.manager_a)
    page = client.get(reverse("retention:person", args=[child.person.pk]))
    assert page.status_code == 200 and SECRETS["family_name"] in page.content.decode()
    empty = client.post(reverse("retention:hold_place", args=[child.person.pk]), {"reason": ""})
    assert empty.status_code == 400
    placed = client.post(
        reverse("retention:hold_place", args=[child.person.pk]),
        {"record": f"consent:{child.consent.pk}", "reason": "Complaint to the ombudsman"},
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.kind, hold.object_id) == ("consent", child.consent.pk)
    released = client.post(
        reverse("retention:hold_release", args=[hold.pk]), {"reason": "Complaint closed"}
    )
    assert released.status_code == 302
    assert LegalHold.objects.get().released_at is not None


def test_another_agency_gets_404(child: Child, sign_in: Any) -> None:
    client = _client(sign_in, child.people.practitioner_b)
    assert client.get(reverse("retention:person", args=[child.person.pk])).status_code == 404
    url = reverse("retention:dispose", args=[child.person.pk, "consent"])
    assert client.post(url, {"confirm": "yes"}).status_code == 404


def test_the_administrator_edits_a_schedule(people: Any, sign_in: Any) -> None:
    client = _client(sign_in, people.admin)
    schedule = RetentionSchedule.objects.get(kind=RecordKind.CONSENT)
    url = reverse("retention:schedule_edit", args=[schedule.pk])
    assert client.get(reverse("retention:schedules")).status_code == 200
    bad = client.post(url, {"basis": "record_date", "years": "none", "action": "review"})
    assert bad.status_code == 400
    good = client.post(url, {"basis": "record_date", "years": "10", "action": "review"})
    assert good.status_code == 302
    assert RetentionSchedule.objects.get(pk=schedule.pk).years == 10
