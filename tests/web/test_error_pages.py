"""Error pages say what happened in plain words, in the GOV.UK style, with no traceback."""

from __future__ import annotations

import sys
import types

import pytest
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path
from pytest_django.asserts import assertContains, assertNotContains


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view failed on purpose")


def test_server_error_page_renders_without_a_request() -> None:
    # Django renders 500.html with no context at all when a view fails.
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "follow your" in html
    assert "safeguarding procedures" in html
    assert 'class="govuk-template"' in html


def test_server_error_shows_the_page_not_the_traceback(
    client: Client, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_urls = types.ModuleType("sharewise_failing_urls")
    failing_urls.urlpatterns = [path("fail/", fail), path("", include("sharewise.web.urls"))]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, failing_urls.__name__, failing_urls)
    settings.ROOT_URLCONF = failing_urls.__name__
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    assertContains(response, "Sorry, there is a problem with the service", status_code=500)
    assertNotContains(response, "Traceback", status_code=500)
    assertNotContains(response, "the view failed on purpose", status_code=500)


def test_unknown_host_gives_the_bad_request_page(client: Client) -> None:
    response = client.get("/", HTTP_HOST="sharewise.attacker.example")
    assert response.status_code == 400
    assertContains(response, "Sorry, there is a problem with your request", status_code=400)


@pytest.mark.parametrize("template", ["403.html", "403_csrf.html", "404.html", "400.html"])
def test_error_pages_are_gov_uk_pages(template: str) -> None:
    html = render_to_string(template)
    assert 'class="govuk-heading-l"' in html
    assert "Sharewise is not a GOV.UK service" in html
