"""The API's Swagger UI (/api/v1/docs) works under the service's Content-Security-Policy,
with no exception to it: ninja serves its scripts and stylesheet from its own static
files, and its settings are a JSON data block, which the policy does not govern."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_helen_journey import browser, plain_static  # noqa: F401 (fixtures)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static")
def test_swagger_ui_renders_without_csp_refusals(
    browser: Any,  # noqa: F811 (a fixture)
    live_server: Any,
) -> None:
    page = browser.new_page()
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI fetches the OpenAPI document and lists the operations from it.
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() >= 10
    assert refusals == []
    page.close()
