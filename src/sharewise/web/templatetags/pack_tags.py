"""Template tags for showing a pack's guidance: citation links and source text."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import Truncator

from sharewise.guidance import words
from sharewise.guidance.packs import Pack, Paragraph
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


# The contract's identifiers in words (guidance.words): every page a person reads shows
# these, never `must_share` or `legal_obligation`.
@register.filter
def outcome_words(outcome: str) -> str:
    return words.outcome_words(outcome)


@register.filter
def basis_words(basis: str | None) -> str:
    return words.basis_words(basis)


@register.filter
def consent_words(consent: str | None) -> str:
    return words.consent_words(consent)


@register.filter
def refer_now_words(outcome: dict[str, Any]) -> str:
    return words.refer_now_words(outcome)


@register.filter
def inform_words(inform_subject: str | None) -> str:
    return words.INFORM_WORDS.get(inform_subject or "", "")


@register.simple_tag
def cite_words(pack: Pack, cites: list[str] | tuple[str, ...]) -> str:
    """Citations as a reader knows them: `{% cite_words pack step.cite %}`."""
    return "; ".join(words.citation_words(pack, c) for c in dict.fromkeys(cites))


@register.simple_tag
def paragraph_words(pack: Pack, paragraph: Paragraph) -> str:
    """A cited paragraph's name: "paragraph 3.43: Public interest", "golden rule 1: ...",
    or its heading alone where the pack names it by topic."""
    name = words.citation_words(pack, paragraph.id)
    heading = Truncator(paragraph.heading).chars(60)
    if not heading or name == paragraph.heading:
        return name
    return f"{name}: {heading}"
