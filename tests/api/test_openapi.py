"""The OpenAPI document lists every endpoint, and the docs page is served entirely from
Sharewise's own static files (no CDN: a practitioner's network may block one, and a CDN
would learn who reads the docs)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any, get_args

import pytest
from django.test import Client

ROUTES = {
    ("/api/v1/decide", "post"),
    ("/api/v1/consent", "post"),
    ("/api/v1/people", "get"),
    ("/api/v1/people/{person_id}", "get"),
    ("/api/v1/people/{person_id}/consents", "get"),
    ("/api/v1/decisions", "post"),
    ("/api/v1/decisions/{decision_id}", "get"),
    ("/api/v1/decisions/{decision_id}", "patch"),
    ("/api/v1/decisions/{decision_id}/answers", "post"),
    ("/api/v1/decisions/{decision_id}/sign", "post"),
    ("/api/v1/decisions/{decision_id}/correct", "post"),
    # Multi-agency sharing (issue 5).
    ("/api/v1/disclosures", "post"),
    ("/api/v1/disclosures", "get"),
    ("/api/v1/disclosures/{disclosure_id}", "get"),
    ("/api/v1/disclosures/{disclosure_id}/acknowledge", "post"),
    ("/api/v1/disclosures/{disclosure_id}/limits", "get"),
    ("/api/v1/disclosures/{disclosure_id}/subject-told", "post"),
    ("/api/v1/disclosures/{disclosure_id}/withdraw", "post"),
    ("/api/v1/people/{person_id}/protected-identities", "get"),
    ("/api/v1/people/{person_id}/protected-identities", "post"),
    ("/api/v1/requests", "get"),
    ("/api/v1/requests", "post"),
    ("/api/v1/requests/received", "post"),
    ("/api/v1/requests/{info_request_id}", "get"),
    ("/api/v1/requests/{info_request_id}/close", "post"),
    ("/api/v1/requests/{info_request_id}/decision", "post"),
    ("/api/v1/requests/{info_request_id}/match", "post"),
    ("/api/v1/requests/{info_request_id}/replies", "post"),
    ("/api/v1/requests/{info_request_id}/responses", "post"),
    ("/api/v1/advice", "post"),
    ("/api/v1/advice", "get"),
    ("/api/v1/advice/{advice_id}", "get"),
    ("/api/v1/advice/{advice_id}/answer", "post"),
    ("/api/v1/advice/{advice_id}/copy-to-decision", "post"),
    ("/api/v1/advice/{advice_id}/outcome", "post"),
    ("/api/v1/advice/{advice_id}/review", "post"),
    ("/api/v1/advice/{advice_id}/send", "post"),
    ("/api/v1/protocols", "get"),
    ("/api/v1/protocols", "post"),
    ("/api/v1/protocols/{protocol_id}", "get"),
    ("/api/v1/protocols/{protocol_id}/signatures", "post"),
    ("/api/v1/protocols/{protocol_id}/submit", "post"),
    ("/api/v1/followups", "post"),
    ("/api/v1/followups", "get"),
    ("/api/v1/followups/{followup_id}", "get"),
    ("/api/v1/followups/{followup_id}/contacts", "post"),
    ("/api/v1/followups/{followup_id}/stop", "post"),
    ("/api/v1/meetings", "post"),
    ("/api/v1/meetings", "get"),
    ("/api/v1/meetings/{meeting_id}", "get"),
    # People's rights and exchange (issue 6).
    ("/api/v1/people/{person_id}/subject-access", "get"),
    ("/api/v1/people/{person_id}/subject-access/pdf", "post"),
    ("/api/v1/subject-access/{request_id}", "get"),
    ("/api/v1/subject-access/{request_id}/pdf", "get"),
    ("/api/v1/people/{person_id}/consents/fhir", "get"),
    ("/api/v1/decisions/{decision_id}/export", "get"),
    ("/api/v1/people/{person_id}/decisions/import", "post"),
    # Retention (issue 6).
    ("/api/v1/retention/schedules", "get"),
    ("/api/v1/retention/queue", "get"),
    ("/api/v1/retention/people/{person_id}", "get"),
    ("/api/v1/retention/people/{person_id}/holds", "post"),
    ("/api/v1/retention/holds/{hold_id}/release", "post"),
    ("/api/v1/retention/people/{person_id}/{kind}/keep", "post"),
    ("/api/v1/retention/people/{person_id}/{kind}/dispose", "post"),
}


def test_the_openapi_document_lists_every_route(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    listed = {(path, method) for path, methods in document["paths"].items() for method in methods}

    # A key written twice (a "200" beside ninja's 200) is legal for Python's json but
    # Swagger UI's parser refuses the whole document.
    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"a key appears twice in the document: {keys}"
        return dict(pairs)

    json.loads(response.content, object_pairs_hook=no_duplicates)
    assert listed == ROUTES
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    for path, method in ROUTES:
        operation = document["paths"][path][method]
        assert operation["security"], (path, method)
        assert "401" in operation["responses"], (path, method)
        if method in ("post", "patch", "put"):
            # Any body may be over the size limit (web/bad_input.py).
            assert "413" in operation["responses"], (path, method)
    # The facts are documented from the contract's own vocabulary.
    decide_body = document["paths"]["/api/v1/decide"]["post"]["requestBody"]
    facts = decide_body["content"]["application/json"]["schema"]["properties"]
    assert facts["child_harm"]["enum"] == ["none", "concern", "reasonable_cause", "evidence"]


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name):
                self.urls.append(attributes[name] or "")


def test_the_docs_page_uses_only_local_static_files(db: None) -> None:
    client = Client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assets = Assets()
    assets.feed(response.content.decode())
    assert len(assets.urls) >= 4  # the stylesheet, two icons, two scripts
    for url in assets.urls:
        assert url.startswith("/static/ninja/"), url
        assert client.get(url).status_code == 200, url
    assert "//" not in "".join(assets.urls)
    assert '"validatorUrl": null' in response.content.decode()


def _schema(document: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    name = reference["$ref"].rsplit("/", 1)[-1]
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def test_the_document_says_what_the_answers_are(db: None) -> None:
    # Issue 17: each was an answer the document did not describe.
    from sharewise.api.schemas import OutcomeValue
    from sharewise.guidance.packs import OUTCOMES
    from sharewise.rights.fhir import FHIR_CONTENT_TYPE

    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    # A person_id of no person of yours is a 404.
    assert "404" in paths["/api/v1/meetings"]["get"]["responses"]
    # The FHIR Bundle is served, and documented, as FHIR, not as plain JSON.
    fhir = paths["/api/v1/people/{person_id}/consents/fhir"]["get"]["responses"]["200"]
    assert list(fhir["content"]) == [FHIR_CONTENT_TYPE]
    # Every outcome of the contract is listed, so a generated client knows them all.
    assert get_args(OutcomeValue) == ("ask", *OUTCOMES)
    decide = paths["/api/v1/decide"]["post"]["responses"]["200"]["content"]["application/json"]
    outcome = _schema(document, decide["schema"])["properties"]["outcome"]
    assert outcome["enum"] == list(get_args(OutcomeValue))


@pytest.mark.parametrize(
    ("body", "field"), [("this is not JSON", None), ('{"revision": 1}', "status")]
)
def test_every_400_of_sign_lists_its_problems_as_the_document_says(
    world: Any, api_as: Any, body: str, field: str | None
) -> None:
    from tests.factories import PersonFactory
    from tests.robustness.helpers import signed_decision

    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = signed_decision(user=world.practitioner_a, person=person)
    response = api_as(world.practitioner_a).post(f"/decisions/{decision.pk}/sign", raw=body)
    assert response.status_code == 400
    document = response.json()
    assert document["problems"] == [{"field": field, "error": document["error"]}]
    assert document["field"] == field
