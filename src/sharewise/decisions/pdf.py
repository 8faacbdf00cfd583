"""A signed decision as a PDF for the case file, drawn by WeasyPrint.

The PDF is made from the same record the decision page shows, with the text of every
paragraph cited, so it can be read without Sharewise. WeasyPrint is given a URL fetcher
that refuses everything: the template carries its own styles and needs nothing else, and a
record must never make the server fetch a URL.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The decision PDF fetches nothing, not even {url}")


def decision_pdf_html(context: dict[str, Any]) -> str:
    """The PDF's page as HTML: what WeasyPrint draws, and what tests read for its words."""
    return render_to_string("decisions/decision_pdf.html", context)


def decision_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = decision_pdf_html(context)
    document: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    return document
