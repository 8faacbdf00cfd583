"""Requests for information over the JSON API, with bearer tokens as an integrator sends."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharewise.agencies.models import AgencyKind, Role
from sharewise.decisions import services as decision_services
from sharewise.requests.models import InformationRequest
from tests.factories import AgencyFactory, api_token_for, member

from .conftest import NOT_SHARE_ANSWERS

pytestmark = pytest.mark.django_db

API = "/api/v1"


class Api:
    def __init__(self, user: Any) -> None:
        self.headers = {"Authorization": f"Bearer {api_token_for(user, 't')}"}
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get(API + path, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            API + path, json.dumps(body), content_type="application/json", headers=self.headers
        )


REQUEST = {
    "requester_role": "Detective constable",
    "subject_name": "Helen Marsh",
    "subject_nhs_number": "9434765919",
    "subject_date_of_birth": "2018-04-03",
    "information_requested": "Attendance at appointments",
    "purpose": "Strategy discussion",
    "necessity": "To assess risk",
    "lawful_basis": "Children Act 2004 section 16H",
    "statutory": True,
}


def test_send_match_decide_respond_reply_over_the_api(world, child) -> None:
    police, practice = Api(world.practitioner_b), Api(world.practitioner_a)
    created = police.post("/requests", {**REQUEST, "to_agency_id": world.agency_a.pk})
    assert created.status_code == 201, created.content
    sent = created.json()
    assert (sent["statutory"], sent["safeguarding_partner"], sent["status"]) == (
        True,
        "police",
        "received",
    )
    request_id = sent["id"]
    matched = practice.post(f"/requests/{request_id}/match", {"person_id": child.pk})
    assert matched.status_code == 200 and matched.json()["person_id"] == child.pk
    started = practice.post(f"/requests/{request_id}/decision", {"pack": "hmg-2008"})
    assert started.status_code == 201
    decision_json = started.json()
    assert decision_json["purpose"] == "Strategy discussion"
    assert decision_json["information"] == ["Attendance at appointments"]
    decision = InformationRequest.objects.get(pk=request_id).decision
    assert decision is not None
    decision = decision_services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=NOT_SHARE_ANSWERS
    )
    decision_services.decision_sign(user=world.practitioner_a, decision=decision)
    wrong = practice.post(
        f"/requests/{request_id}/responses", {"outcome": "shared", "reasons": "Yes"}
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "outcome"
    told = practice.post(
        f"/requests/{request_id}/responses",
        {"outcome": "not_shared", "reasons": "The practice holds nothing relevant."},
    )
    assert told.status_code == 201 and told.json()["told_via"] == "sharewise"
    # The police read the outcome and reasons, and nothing of the practice's own record.
    seen = police.get(f"/requests/{request_id}").json()
    assert seen["status"] == "answered"
    assert [(r["outcome"], r["reasons"]) for r in seen["responses"]] == [
        ("not_shared", "The practice holds nothing relevant.")
    ]
    assert seen["person_id"] is None and seen["decision_id"] is None
    assert "decision" not in json.dumps(seen["responses"])
    assert child.case_reference not in json.dumps(seen)
    # The practice sees its own record of it.
    own = practice.get(f"/requests/{request_id}").json()
    assert (own["person_id"], own["decision_id"]) == (child.pk, decision.pk)
    replied = police.post(f"/requests/{request_id}/replies", {"information": "A new injury"})
    assert replied.status_code == 201
    assert police.get(f"/requests/{request_id}").json()["status"] == "reopened"
    assert practice.post(f"/requests/{request_id}/replies", {"information": "x"}).status_code == (
        403
    )


def test_agency_c_gets_404_and_an_empty_list(world, child) -> None:
    police = Api(world.practitioner_b)
    request_id = police.post("/requests", {**REQUEST, "to_agency_id": world.agency_a.pk}).json()[
        "id"
    ]
    charlie = Api(member(AgencyFactory(kind=AgencyKind.HOUSING), Role.PRACTITIONER))
    assert charlie.get(f"/requests/{request_id}").status_code == 404
    assert charlie.get("/requests").json() == {"items": [], "count": 0}
    assert charlie.post(f"/requests/{request_id}/close", {"reason": "x"}).status_code == 404
    assert charlie.post(f"/requests/{request_id}/match", {"person_id": child.pk}).status_code == (
        404
    )
    listed = police.get("/requests").json()
    assert ([r["id"] for r in listed["items"]], listed["count"]) == ([request_id], 1)


def test_the_requester_cannot_match_to_the_practices_people(world, child) -> None:
    police = Api(world.practitioner_b)
    request_id = police.post("/requests", {**REQUEST, "to_agency_id": world.agency_a.pk}).json()[
        "id"
    ]
    refused = police.post(f"/requests/{request_id}/match", {"person_id": child.pk})
    assert refused.status_code == 403
    assert police.post(f"/requests/{request_id}/decision", {}).status_code == 403


def test_a_request_recorded_over_the_api(world) -> None:
    practice = Api(world.practitioner_a)
    recorded = practice.post(
        "/requests/received",
        {
            **{k: v for k, v in REQUEST.items() if k != "statutory"},
            "channel": "letter",
            "requester_name": "Sam Lee",
            "requester_agency_name": "Northtown Homes",
            "received_at": "2025-01-06T10:00:00+00:00",
        },
    )
    assert recorded.status_code == 201, recorded.content
    assert (recorded.json()["channel"], recorded.json()["from_agency"]) == ("letter", None)
    bad = practice.post("/requests/received", {**REQUEST, "channel": "pigeon"})
    assert bad.status_code == 422  # requester_name and its agency are missing


def test_the_openapi_document_tags_the_routes(db: None) -> None:
    document = Client().get(f"{API}/openapi.json").json()
    tags = {
        tag
        for path, operations in document["paths"].items()
        if path.startswith(f"{API}/requests")
        for operation in operations.values()
        for tag in operation["tags"]
    }
    assert tags == {"Requests for information"}
