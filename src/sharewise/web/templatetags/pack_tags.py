"""Template tags for showing a pack's guidance: citation links and source text."""

from __future__ import annotations

from typing import Any

from django import template

from sharewise.guidance.packs import Pack
from sharewise.web.pack_pages import TextBlock, citations, text_blocks

register = template.Library()


@register.inclusion_tag("sharewise/includes/cite_links.html")
def cite_links(pack: Pack, cites: tuple[str, ...]) -> dict[str, Any]:
    """The paragraphs cited, each linked to its text: `{% cite_links pack rule.cite %}`."""
    return {"citations": citations(pack, cites)}


@register.simple_tag
def source_text(text: str) -> list[TextBlock]:
    """A source paragraph's text as blocks: `{% source_text paragraph.text as blocks %}`."""
    return text_blocks(text)
