"""Fixtures for the web pages' tests.

The settings give every test run a throwaway data directory (sharewise/settings.py), so the
static files collected here and any database file live there, never in a practitioner's
real data directory.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest


class PageMarkup(HTMLParser):
    """The parts of a page the tests check: scripts, inline styles, links and ids."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script_text: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.event_handler_attributes: list[str] = []
        self.stylesheets: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, _ in attrs:
            if name == "style":
                self.style_attributes.append(tag)
            if name.startswith("on"):
                self.event_handler_attributes.append(f"{tag} {name}")
        if element_id := attributes.get("id"):
            self.ids.add(element_id)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        elif tag == "style":
            self.style_elements += 1
        elif tag == "link" and attributes.get("rel") == "stylesheet" and attributes.get("href"):
            self.stylesheets.append(attributes["href"] or "")
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script_text.append(data.strip())


@pytest.fixture
def parse_page() -> Callable[[str], PageMarkup]:
    """Parse a page's HTML into the parts the tests check."""

    def parse(html: str) -> PageMarkup:
        markup = PageMarkup()
        markup.feed(html)
        markup.close()
        return markup

    return parse
