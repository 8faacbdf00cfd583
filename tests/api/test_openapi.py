"""The OpenAPI document lists every endpoint, and the docs page is served entirely from
Sharewise's own static files (no CDN: a practitioner's network may block one, and a CDN
would learn who reads the docs)."""

from __future__ import annotations

from html.parser import HTMLParser

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
}


def test_the_openapi_document_lists_every_route(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    listed = {(path, method) for path, methods in document["paths"].items() for method in methods}
    assert listed == ROUTES
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    for path, method in ROUTES:
        operation = document["paths"][path][method]
        assert operation["security"], (path, method)
        assert "401" in operation["responses"], (path, method)
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
