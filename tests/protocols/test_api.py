"""The register over the JSON API: list, read, draft, submit, sign; by the same rules as
the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sharewise.protocols.models import Protocol, Status
from tests.api.conftest import ApiClient
from tests.factories import api_token_for
from tests.protocols.factories import World, in_force

pytestmark = pytest.mark.django_db


def _api(user: Any) -> ApiClient:
    return ApiClient(api_token_for(user, "tests"))


def _body(world: World) -> dict[str, Any]:
    return {
        "title": "Early help: GP and social care",
        "parties": [world.agency_a.pk, world.agency_c.pk],
        "purposes": ["Early help assessments for children"],
        "data_items": ["Name", "Date of birth"],
        "article6_bases": ["public_task"],
        "special_category_conditions": ["not_special"],
        "retention": "Two years after the case closes",
        "security": "Sharewise only",
        "individuals_rights": "Families are told at the start of early help",
        "review_date": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
    }


def test_an_administrator_drafts_and_submits_and_leads_sign(world: World) -> None:
    admin = _api(world.admin)
    created = admin.post("/protocols", _body(world))
    assert created.status_code == 201, created.content
    document = created.json()
    assert document["status"] == "draft"
    assert {p["id"] for p in document["parties"]} == {world.agency_a.pk, world.agency_c.pk}
    protocol_id = document["id"]
    submitted = admin.post(f"/protocols/{protocol_id}/submit")
    assert submitted.json()["state"] == "awaiting_signoff"

    first = _api(world.lead_a).post(
        f"/protocols/{protocol_id}/signatures",
        {"signatory_name": "Lee A", "signatory_role": "Named GP", "signed_on": "2025-01-31"},
    )
    assert first.status_code == 201, first.content
    assert first.json()["signatures"] == [
        {
            "agency_id": world.agency_a.pk,
            "signatory_name": "Lee A",
            "signatory_role": "Named GP",
            "signed_on": "2025-01-31",
        }
    ]
    second = _api(world.lead_c).post(
        f"/protocols/{protocol_id}/signatures",
        {"signatory_name": "Cat C", "signatory_role": "Head of service"},
    )
    assert second.json()["state"] == "in_force"
    read = _api(world.practitioner_a).get(f"/protocols/{protocol_id}")
    assert read.status_code == 200
    assert read.json()["review_date"] == _body(world)["review_date"]


def test_a_practitioner_cannot_create_or_sign(world: World) -> None:
    practitioner = _api(world.practitioner_a)
    refused = practitioner.post("/protocols", _body(world))
    assert refused.status_code == 403
    assert "partnership administrator" in refused.json()["error"]
    admin = _api(world.admin)
    protocol_id = admin.post("/protocols", _body(world)).json()["id"]
    admin.post(f"/protocols/{protocol_id}/submit")
    sign = practitioner.post(
        f"/protocols/{protocol_id}/signatures", {"signatory_name": "P", "signatory_role": "GP"}
    )
    assert sign.status_code == 403
    assert Protocol.objects.get(pk=protocol_id).status == Status.AWAITING_SIGNOFF


def test_another_agency_sees_nothing(world: World) -> None:
    protocol = in_force(world)
    stranger = _api(world.practitioner_b)
    assert stranger.get(f"/protocols/{protocol.pk}").status_code == 404
    assert stranger.get("/protocols").json() == []
    assert [p["id"] for p in _api(world.auditor_a).get("/protocols").json()] == [protocol.pk]


def test_errors_name_the_field(world: World) -> None:
    admin = _api(world.admin)
    bad = admin.post("/protocols", {**_body(world), "article6_bases": ["because"]})
    assert bad.status_code == 400
    assert bad.json()["field"] == "article6_bases"
    wrong_type = admin.post("/protocols", {**_body(world), "review_date": "next year"})
    assert wrong_type.status_code == 422
    assert wrong_type.json()["field"] == "review_date"


def test_the_api_document_lists_the_protocol_endpoints(world: World) -> None:
    document = ApiClient(None).get("/openapi.json").json()
    tagged = {
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "Information sharing protocols" in operation.get("tags", [])
    }
    assert tagged == {
        "/api/v1/protocols",
        "/api/v1/protocols/{protocol_id}",
        "/api/v1/protocols/{protocol_id}/submit",
        "/api/v1/protocols/{protocol_id}/signatures",
    }
