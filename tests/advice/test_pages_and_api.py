"""The advice journey through the web pages and the JSON API, as each persona sees it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from sharewise.advice import services
from sharewise.advice.models import AdviceRequest, Status
from sharewise.decisions import services as decision_services
from sharewise.people.models import Person
from tests.factories import api_token_for, personas

pytestmark = pytest.mark.django_db

TEXT = "Helen Okoro, NHS 943 476 5919, has bruises again. Her mum says she fell. Refer?"


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def decision(world: Any) -> Any:
    helen = Person.objects.create(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Okoro",
        date_of_birth=dt.date(2017, 3, 14),
        nhs_number="9434765919",
        created_by=world.practitioner_a,
    )
    return decision_services.decision_start(
        user=world.practitioner_a, person=helen, purpose="Refer bruising", pack_id="hmg-2008"
    )


def _client(sign_in: Any, user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_ask_review_send_answer_and_record_on_the_web(
    world: Any, decision: Any, sign_in: Any
) -> None:
    practitioner = _client(sign_in, world.practitioner_a)
    page = practitioner.get(f"/advice/new/?decision={decision.pk}")
    assert page.status_code == 200 and "Helen Okoro" in page.content.decode()
    response = practitioner.post(
        "/advice/new/", {"decision": str(decision.pk), "text": TEXT, "extra_terms": ""}
    )
    assert response.status_code == 302
    draft = AdviceRequest.objects.get()
    review = practitioner.get(response["Location"]).content.decode()
    assert "[NAME 1], NHS [NHS NUMBER], has bruises again." in review
    # Sent from the form as a browser would, line breaks and all.
    response = practitioner.post(
        f"/advice/{draft.pk}/send/", {"reviewed_text": draft.redacted_text.replace("\n", "\r\n")}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SENT and draft.draft_text == ""

    lead = _client(sign_in, world.lead_a)
    listed = lead.get("/advice/").content.decode()
    assert f"/advice/{draft.pk}/" in listed
    seen = lead.get(f"/advice/{draft.pk}/").content.decode()
    assert "[NAME 1], NHS [NHS NUMBER]" in seen
    # The lead sees neither the person nor the way to their record.
    for hidden in ("Helen", "Okoro", "943 476 5919", f"/people/{decision.person_id}/"):
        assert hidden not in seen
    assert f"/decisions/{decision.pk}/" not in seen
    assert lead.post(f"/advice/{draft.pk}/answer/", {"answer": ""}).status_code == 400
    assert lead.post(f"/advice/{draft.pk}/answer/", {"answer": "Refer now."}).status_code == 302
    assert lead.post(f"/advice/{draft.pk}/outcome/", {"outcome": "followed"}).status_code == 403

    response = practitioner.post(
        f"/advice/{draft.pk}/outcome/", {"outcome": "partly", "reason": ""}
    )
    assert response.status_code == 400 and "Say why" in response.content.decode()
    practitioner.post(
        f"/advice/{draft.pk}/outcome/", {"outcome": "partly", "reason": "Mum referred herself."}
    )
    response = practitioner.post(f"/advice/{draft.pk}/copy-to-decision/")
    assert response["Location"] == f"/decisions/{decision.pk}/"
    decision.refresh_from_db()
    assert decision.advice_given.startswith("Refer now.")

    # The decision page shows the advice and its outcome through the inclusion tag.
    page = practitioner.get(f"/decisions/{decision.pk}/").content.decode()
    assert 'id="advice"' in page and "Refer now." in page and "Mum referred herself." in page


def test_the_lists_make_a_bounded_number_of_queries(
    world: Any, decision: Any, sign_in: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        draft = services.advice_request_create(
            user=world.practitioner_a, decision=decision, text=TEXT
        )
        services.advice_request_send(
            user=world.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
        )
    for user in (world.lead_a, world.practitioner_a):
        client = _client(sign_in, user)
        with django_assert_max_num_queries(15):
            assert client.get("/advice/").status_code == 200
    client = _client(sign_in, world.practitioner_a)
    with django_assert_max_num_queries(40):
        assert client.get(f"/decisions/{decision.pk}/").status_code == 200


def _api(user: Any) -> Any:
    token = api_token_for(user, "tests")
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}

    def call(method: str, path: str, body: Any = None) -> Any:
        return getattr(client, method)(
            "/api/v1" + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    return call


def test_the_api_journey(world: Any, decision: Any) -> None:
    practitioner = _api(world.practitioner_a)
    created = practitioner("post", "/advice", {"decision_id": decision.pk, "text": TEXT})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["redacted_text"].startswith("[NAME 1], NHS [NHS NUMBER]")
    assert body["draft_text"] == TEXT and body["decision_id"] == decision.pk
    advice_id = body["id"]
    changed = practitioner("post", f"/advice/{advice_id}/review", {"extra_terms": ["bruises"]})
    assert "[REDACTED 1]" in changed.json()["redacted_text"]
    stale = practitioner("post", f"/advice/{advice_id}/send", {"reviewed_text": "something"})
    assert stale.status_code == 400 and stale.json()["field"] == "reviewed_text"
    sent = practitioner(
        "post", f"/advice/{advice_id}/send", {"reviewed_text": changed.json()["redacted_text"]}
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    lead = _api(world.lead_a)
    seen = lead("get", f"/advice/{advice_id}").json()
    assert seen["person_id"] is None and seen["decision_id"] is None
    assert "Helen" not in json.dumps(seen)
    assert [a["id"] for a in lead("get", "/advice").json()["to_answer"]] == [advice_id]
    assert lead("post", f"/advice/{advice_id}/answer", {"answer": "Refer."}).status_code == 200
    assert _api(world.practitioner_b)("get", f"/advice/{advice_id}").status_code == 404
    recorded = practitioner(
        "post", f"/advice/{advice_id}/outcome", {"outcome": "followed", "reason": ""}
    )
    assert recorded.json()["status"] == "closed"


def test_the_openapi_document_tags_the_advice_routes(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    tagged = [
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "Advice" in operation.get("tags", [])
    ]
    assert "/api/v1/advice" in tagged and "/api/v1/advice/{advice_id}/send" in tagged
