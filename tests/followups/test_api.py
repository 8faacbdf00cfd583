"""Follow-ups and meetings over the API: the same services, the same rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.followups.models import FollowUp
from tests.api.conftest import ApiClient, api_as  # noqa: F401

from .conftest import decision_started_on, fortnightly

pytestmark = pytest.mark.django_db


def test_a_follow_up_over_the_api(world, signed, api_as) -> None:  # noqa: F811
    api: ApiClient = api_as(world.practitioner_a)
    response = api.post(
        "/followups",
        {
            "decision_id": signed.pk,
            "interval_days": 14,
            "owner": "lead_a",
            "agencies_involved": ["School"],
            "trigger": "Refer if care does not improve",
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    signed_on = timezone.localdate(signed.signed_at)
    assert created["next_due"] == (signed_on + dt.timedelta(days=14)).isoformat()
    assert (created["owner"], created["status"], created["contacts"]) == ("lead_a", "active", [])

    today = timezone.localdate()
    response = api.post(
        f"/followups/{created['id']}/contacts",
        {"contacted_on": today.isoformat(), "findings": "Settled", "with_whom": "Teacher"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["next_due"] == (today + dt.timedelta(days=14)).isoformat()
    assert [c["findings"] for c in body["contacts"]] == ["Settled"]

    response = api.post(f"/followups/{created['id']}/stop", {"reason": "Closed"})
    assert (response.status_code, response.json()["status"]) == (200, "stopped")
    response = api.post(f"/followups/{created['id']}/stop", {"reason": "Again"})
    assert (response.status_code, response.json()["field"]) == (400, "status")


def test_the_overdue_filter(world, person, api_as) -> None:  # noqa: F811
    today = timezone.localdate()
    decision = decision_started_on(world, person, today - dt.timedelta(days=30))
    late = fortnightly(world, decision, interval_days=None, first_due=today - dt.timedelta(days=2))
    soon = fortnightly(world, decision, interval_days=None, first_due=today + dt.timedelta(days=2))
    api = api_as(world.manager_a)
    assert [f["id"] for f in api.get("/followups").json()["items"]] == [late.pk, soon.pk]
    overdue = api.get("/followups", {"overdue": "true"}).json()
    assert [(f["id"], f["overdue"]) for f in overdue["items"]] == [(late.pk, True)]
    assert overdue["count"] == 1
    not_overdue = api.get("/followups", {"overdue": "false"}).json()["items"]
    assert [f["id"] for f in not_overdue] == [soon.pk]
    assert api_as(world.practitioner_b).get("/followups").json() == {"items": [], "count": 0}


def test_due_within_is_bounded(world, person, api_as) -> None:  # noqa: F811
    # Found by the API fuzzer: a number of days past the calendar was a server error.
    api = api_as(world.manager_a)
    for days in ("-739943", "99999999"):
        response = api.get("/followups", {"due_within": days})
        assert response.status_code == 422, days
        assert response.json()["field"] == "due_within"
    assert api.get("/followups", {"due_within": "14"}).status_code == 200


def test_other_agencies_and_readers(world, signed, api_as) -> None:  # noqa: F811
    followup = fortnightly(world, signed)
    theirs = api_as(world.practitioner_b)
    assert theirs.get(f"/followups/{followup.pk}").status_code == 404
    response = theirs.post(
        "/followups", {"decision_id": signed.pk, "interval_days": 14, "trigger": "x"}
    )
    assert (response.status_code, response.json()["field"]) == (404, "decision_id")
    auditor = api_as(world.auditor_a)
    assert auditor.get(f"/followups/{followup.pk}").status_code == 200
    assert auditor.post(f"/followups/{followup.pk}/stop", {"reason": "x"}).status_code == 403
    assert FollowUp.objects.get().status == "active"


def test_a_meeting_over_the_api(world, person, api_as) -> None:  # noqa: F811
    api = api_as(world.practitioner_a)
    today = timezone.localdate()
    response = api.post(
        "/meetings",
        {
            "kind": "marac",
            "held_on": today.isoformat(),
            "chair": "Police DA coordinator",
            "person_ids": [person.pk],
            "attendees": [
                {"name": "PC Patel", "role": "Police officer", "agency_id": world.agency_b.pk},
                {"name": "Ann", "role": "IDVA", "agency_name": "Women's aid"},
            ],
            "contributions": [
                {"attendee": 0, "text": "Three call-outs", "kind": "fact", "person_id": person.pk}
            ],
            "actions": [{"person_id": person.pk, "action": "Safety plan", "owner_name": "Ann"}],
        },
    )
    assert response.status_code == 201, response.json()
    meeting = response.json()
    assert [a["agency"] for a in meeting["attendees"]] == ["Northtown Police", "Women's aid"]
    assert meeting["actions"][0]["person_id"] == person.pk
    assert meeting["contributions"][0]["attendee_id"] == meeting["attendees"][0]["id"]
    assert api.get(f"/meetings/{meeting['id']}").json()["people"] == [
        {"id": person.pk, "full_name": person.full_name}
    ]
    listed = api.get("/meetings", {"person_id": person.pk}).json()
    assert [m["id"] for m in listed["items"]] == [meeting["id"]]
    assert listed["count"] == 1
    theirs = api_as(world.practitioner_b)
    assert theirs.get(f"/meetings/{meeting['id']}").status_code == 404
    assert theirs.get("/meetings").json() == {"items": [], "count": 0}

    response = api.post(
        "/meetings",
        {
            "kind": "marac",
            "held_on": today.isoformat(),
            "chair": "Chair",
            "person_ids": [person.pk],
            "actions": [{"person_id": person.pk + 999, "action": "x", "owner_name": "y"}],
        },
    )
    assert (response.status_code, response.json()["field"]) == (400, "actions.0.person_id")


FOLLOWUP_ROUTES = {
    ("/api/v1/followups", "post"),
    ("/api/v1/followups", "get"),
    ("/api/v1/followups/{followup_id}", "get"),
    ("/api/v1/followups/{followup_id}/contacts", "post"),
    ("/api/v1/followups/{followup_id}/stop", "post"),
    ("/api/v1/meetings", "post"),
    ("/api/v1/meetings", "get"),
    ("/api/v1/meetings/{meeting_id}", "get"),
}


def test_the_openapi_document_lists_them_under_their_tag(db) -> None:
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    tagged = {
        (path, method)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if "Follow-ups and meetings" in operation.get("tags", [])
    }
    assert tagged == FOLLOWUP_ROUTES
    for path, method in FOLLOWUP_ROUTES:
        operation = document["paths"][path][method]
        assert operation["security"] and "401" in operation["responses"], (path, method)
