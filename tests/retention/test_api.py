"""Retention over the JSON API: the schedules, the review queue, legal holds that block
disposal, keeping records for another period, and disposal that erases the personal data
and leaves the audit chain verifiable; by the same rules as the pages (004 "Record")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from sharewise.audit.audit_cli import _verify
from sharewise.audit.models import AuditEntry
from sharewise.consents.models import ConsentRecord
from sharewise.decisions.models import Decision
from sharewise.people.models import Person
from sharewise.retention import services
from sharewise.retention.erasure import DISPOSED_NAME
from sharewise.retention.models import LegalHold, RecordKind, RetentionReview, ReviewStatus
from sharewise.retention.records import years_after
from tests.api.conftest import ApiClient
from tests.factories import api_token_for

from .conftest import SECRETS, Child, assert_no_words_left
from .test_retention import ALL_DUE, KINDS, _chain_holds

pytestmark = pytest.mark.django_db


def _api(user: Any) -> ApiClient:
    return ApiClient(api_token_for(user, "tests"))


@pytest.fixture
def due(child: Child, monkeypatch: pytest.MonkeyPatch) -> Child:
    """The child, on a day when every one of their records is past its date and the daily
    sweep has put them in the review queue. The API works on today's date, so "today" is
    that day; dates of stored records convert as ever."""
    real = timezone.localdate

    def localdate(value: Any = None, *args: Any) -> Any:
        return ALL_DUE if value is None else real(value, *args)

    monkeypatch.setattr(timezone, "localdate", localdate)
    services.retention_review_due(today=ALL_DUE)
    return child


def _dispose(api: ApiClient, child: Child, kind: str) -> Any:
    return api.post(f"/retention/people/{child.person.pk}/{kind}/dispose", {"confirm": True})


def _error(response: Any) -> tuple[int, str | None, str]:
    document = response.json()
    return response.status_code, document["field"], document["error"]


def test_a_lead_reads_the_queue_and_it_is_audited(due: Child) -> None:
    response = _api(due.people.lead_a).get("/retention/queue")
    assert response.status_code == 200, response.content
    document = response.json()
    assert document["count"] == len(KINDS)
    assert {item["kind"] for item in document["items"]} == set(KINDS)
    decision = next(i for i in document["items"] if i["kind"] == RecordKind.CHILD_PROTECTION)
    assert decision["person_id"] == due.person.pk
    assert decision["person_name"] == due.person.full_name
    assert decision["object_ids"] == [due.decision.pk]
    assert decision["schedule"]["rule"] == "date of birth plus 25 years, then review"
    entry = AuditEntry.objects.filter(verb="retention.queue").latest("id")
    assert entry.actor_username == "lead_a"
    assert entry.details == {"shown": len(KINDS), "due": len(KINDS)}


def test_the_queue_is_paginated_and_bounded(due: Child) -> None:
    api = _api(due.people.manager_a)
    first = api.get("/retention/queue", {"limit": 3}).json()
    rest = api.get("/retention/queue", {"limit": 3, "offset": 3}).json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (len(KINDS), 3, 1)
    seen = [(i["kind"], i["person_id"]) for i in first["items"] + rest["items"]]
    assert len(set(seen)) == len(KINDS)
    for params, field in (
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ):
        refused = api.get("/retention/queue", params)
        assert refused.status_code == 422
        assert refused.json()["field"] == field


def test_disposal_over_the_api_erases_the_personal_data_and_the_chain_still_verifies(
    due: Child,
) -> None:
    assert _chain_holds()
    api = _api(due.people.lead_a)
    results = [_dispose(api, due, kind) for kind in KINDS]
    assert [r.status_code for r in results] == [200] * len(KINDS), results[-1].content
    first, last = results[0].json(), results[-1].json()
    assert (first["kind"], first["records"], first["person_erased"]) == (
        RecordKind.CHILD_PROTECTION,
        1,
        False,
    )
    assert first["rows_erased"]["decisions.Decision"] == 1
    assert last["person_erased"] is True

    person = Person.objects.get(pk=due.person.pk)
    assert (person.given_name, person.family_name, person.address) == (DISPOSED_NAME, "", "")
    decision = Decision.objects.get(pk=due.decision.pk)
    assert (decision.notes, decision.purpose) == ("", "")
    assert decision.outcome == due.decision.outcome
    assert_no_words_left()

    tombstones = AuditEntry.objects.filter(verb="retention.dispose").order_by("id")
    assert [t.details["kind"] for t in tombstones] == list(KINDS)
    assert {t.details["authorised_by"] for t in tombstones} == {"lead_a"}
    assert tombstones.last().details["person_erased"] is True
    # `sharewise audit verify` passes over the chain with the tombstones in it.
    assert _chain_holds()
    assert _verify(None) == 0
    # Nothing is left to dispose of, and the queue is empty.
    assert _error(_dispose(api, due, RecordKind.CONSENT))[:2] == (400, "kind")
    assert api.get("/retention/queue").json() == {"count": 0, "items": []}


def test_disposal_needs_the_confirmation(due: Child) -> None:
    api = _api(due.people.lead_a)
    url = f"/retention/people/{due.person.pk}/{RecordKind.CONSENT}/dispose"
    assert _error(api.post(url, {})) == (
        400,
        "confirm",
        "Confirm that these records are to be disposed of",
    )
    assert _error(api.post(url, {"confirm": "yes"}))[:2] == (422, "confirm")
    assert ConsentRecord.objects.get(pk=due.consent.pk).notes == SECRETS["consent_notes"]
    assert not AuditEntry.objects.filter(verb="retention.dispose").exists()


def test_a_hold_on_the_person_blocks_disposal_until_it_is_released(due: Child) -> None:
    api = _api(due.people.manager_a)
    placed = api.post(
        f"/retention/people/{due.person.pk}/holds", {"reason": "Civil claim against the council"}
    )
    assert placed.status_code == 201, placed.content
    hold = placed.json()
    assert (hold["kind"], hold["object_id"], hold["in_force"], hold["placed_by"]) == (
        None,
        None,
        True,
        "manager_a",
    )
    assert AuditEntry.objects.filter(verb="retention.hold", object_id=str(hold["id"])).exists()

    refused = _dispose(api, due, RecordKind.CHILD_PROTECTION)
    assert _error(refused)[:2] == (400, "hold")
    assert "legal hold" in refused.json()["error"]
    assert Decision.objects.get(pk=due.decision.pk).notes == SECRETS["decision_notes"]
    assert api.get("/retention/queue").json()["count"] == 0
    person = api.get(f"/retention/people/{due.person.pk}").json()
    assert person["held"] is True
    assert {r["status"] for r in person["records"]} == {"on_legal_hold"}

    released = api.post(f"/retention/holds/{hold['id']}/release", {"reason": "Claim settled"})
    assert released.status_code == 200, released.content
    assert (released.json()["in_force"], released.json()["released_by"]) == (False, "manager_a")
    again = api.post(f"/retention/holds/{hold['id']}/release", {"reason": "Claim settled"})
    assert _error(again) == (400, "hold", "This hold has already been released")

    assert _dispose(api, due, RecordKind.CHILD_PROTECTION).status_code == 200
    assert Decision.objects.get(pk=due.decision.pk).notes == ""


def test_a_hold_on_one_record_keeps_only_that_record(due: Child) -> None:
    api = _api(due.people.lead_a)
    placed = api.post(
        f"/retention/people/{due.person.pk}/holds",
        {"reason": "Police investigation", "kind": "consent", "object_id": due.consent.pk},
    )
    assert placed.status_code == 201, placed.content
    assert (placed.json()["kind"], placed.json()["object_id"]) == ("consent", due.consent.pk)
    assert _error(_dispose(api, due, RecordKind.CONSENT)) == (
        400,
        "kind",
        "None of these records is due for disposal",
    )
    assert ConsentRecord.objects.get(pk=due.consent.pk).notes == SECRETS["consent_notes"]
    assert _dispose(api, due, RecordKind.CHILD_PROTECTION).status_code == 200
    statuses = {
        r["kind"]: r["status"]
        for r in api.get(f"/retention/people/{due.person.pk}").json()["records"]
    }
    assert statuses[RecordKind.CONSENT] == "on_legal_hold"
    assert statuses[RecordKind.CHILD_PROTECTION] == "disposed"
    assert statuses[RecordKind.DISCLOSURE] == "due"


def test_a_hold_names_the_field_at_fault(due: Child) -> None:
    api = _api(due.people.lead_a)
    url = f"/retention/people/{due.person.pk}/holds"
    assert _error(api.post(url, {"reason": "  "})) == (
        400,
        "reason",
        "Enter why the records must be kept",
    )
    assert _error(api.post(url, {"reason": "Inquiry", "kind": "consent"}))[:2] == (
        400,
        "object_id",
    )
    assert _error(api.post(url, {"reason": "Inquiry", "object_id": due.consent.pk}))[:2] == (
        400,
        "kind",
    )
    assert _error(api.post(url, {"reason": "Inquiry", "colour": "red"}))[:2] == (422, "colour")
    assert _error(api.post(url, {"reason": 7}))[:2] == (422, "reason")
    assert not LegalHold.objects.exists()
    hold = services.legal_hold_place(user=due.people.lead_a, person=due.person, reason="Inquiry")
    release = f"/retention/holds/{hold.pk}/release"
    assert _error(api.post(release, {}))[:2] == (400, "reason")
    assert LegalHold.objects.get().in_force


def test_keeping_records_over_the_api(due: Child) -> None:
    api = _api(due.people.lead_a)
    url = f"/retention/people/{due.person.pk}/{RecordKind.CONSENT}/keep"
    assert _error(api.post(url, {"years": 26, "reason": "Ongoing care proceedings"})) == (
        400,
        "years",
        "Enter how many years to keep the records, from 1 to 25",
    )
    assert _error(api.post(url, {"years": 2, "reason": ""}))[:2] == (400, "reason")
    assert _error(api.post(url, {"years": "two", "reason": "Care proceedings"}))[:2] == (
        422,
        "years",
    )
    reason = "Ongoing care proceedings about Zinnia"
    kept = api.post(url, {"years": 2, "reason": reason})
    assert kept.status_code == 200, kept.content
    document = kept.json()
    assert document["kept_until"] == years_after(ALL_DUE, 2).isoformat()
    assert document["records"] == 1
    review = RetentionReview.objects.get(pk=document["review_ids"][0])
    assert (review.status, review.kept_reason) == (ReviewStatus.KEPT, reason)
    # The reason may name the person: the audit entry says only that records were kept.
    entry = AuditEntry.objects.filter(verb="retention.keep").get()
    assert "Zinnia" not in json.dumps(entry.details)
    kinds = {i["kind"] for i in api.get("/retention/queue").json()["items"]}
    assert kinds == set(KINDS) - {RecordKind.CONSENT}
    assert _error(api.post(url, {"years": 2, "reason": reason}))[:2] == (400, "kind")
    assert api.post(f"/retention/people/{due.person.pk}/no_such_kind/keep", {}).status_code == 404


def test_the_schedules_are_for_the_partnership_administrator(due: Child) -> None:
    listed = _api(due.people.admin).get("/retention/schedules")
    assert listed.status_code == 200
    rules = {s["kind"]: s["rule"] for s in listed.json()}
    assert set(rules) == set(RecordKind.values)
    assert rules[RecordKind.CHILD_PROTECTION] == "date of birth plus 25 years, then review"
    assert _api(due.people.lead_a).get("/retention/schedules").status_code == 403


@pytest.mark.parametrize(
    ("persona", "queue", "person"),
    [
        ("lead_a", 200, 200),
        ("manager_a", 200, 200),
        ("practitioner_a", 403, 403),
        ("auditor_a", 403, 403),
        ("practitioner_b", 403, 404),
        ("admin", 403, 404),
        ("outsider", 403, 404),
    ],
)
def test_access_by_persona(due: Child, persona: str, queue: int, person: int) -> None:
    api = _api(getattr(due.people, persona))
    assert api.get("/retention/queue").status_code == queue
    assert api.get(f"/retention/people/{due.person.pk}").status_code == person
    if person == 200:
        return
    # Those who may not decide can neither hold nor dispose, and learn nothing more.
    held = api.post(f"/retention/people/{due.person.pk}/holds", {"reason": "Mine"})
    assert held.status_code == person
    assert _dispose(api, due, RecordKind.CONSENT).status_code == person
    assert ConsentRecord.objects.get(pk=due.consent.pk).notes == SECRETS["consent_notes"]
    assert not LegalHold.objects.exists()


def test_without_a_token_it_is_401(due: Child) -> None:
    anonymous = ApiClient(None)
    assert anonymous.get("/retention/queue").status_code == 401
    assert _dispose(anonymous, due, RecordKind.CONSENT).status_code == 401
