"""A subject access export as a PDF, drawn by WeasyPrint exactly as the decision PDF is
(decisions/pdf.py): from the same document the JSON export gives, so the two can never
say different things, and with a URL fetcher that fetches nothing, so that no text in a
record can make the server fetch a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

# Section titles, in the order the document holds them.
SECTION_TITLES = {
    "person": "Your details",
    "aliases": "Other names you are known by",
    "relationships": "Family and carers recorded",
    "competence_assessments": "Assessments of your understanding to consent (under 16)",
    "capacity_assessments": "Assessments of your capacity to consent",
    "consents": "Consent you or others gave, refused or withdrew",
    "decisions": "Decisions about sharing information about you",
    "disclosures": "Information shared about you",
    "requests_for_information": "Requests from other agencies for information about you",
    "advice_requests": "Advice asked about decisions about you",
    "followups": "Follow-up arrangements",
    "meetings": "Multi-agency meetings where you were discussed",
    "record_views": "Who has looked at or changed your record",
}


@dataclass
class Table:
    """A list of records inside a record (a decision's trace, a disclosure's items) as one
    table: a column per field, a row per record. One table for the list, not one per record,
    because the PDF of a person with hundreds of decisions is mostly their traces, and
    WeasyPrint's time goes on laying out tables: a trace of seven steps as seven two-column
    tables was 35 rows and nearly a page; as one table it is eight rows."""

    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Entry:
    """One record of a section: its rows of (label, text), a nested list shown as a table."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "None recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value) if value else "None"
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_text(v)}" for k, v in value.items()) or "None"
    return str(value)


def _table(key: str, records: list[dict[str, Any]]) -> Table:
    # Every field any of the records has, in the order they first appear, so that nothing
    # the JSON holds is left out when the records of a list differ in their fields.
    keys = list(dict.fromkeys(k for record in records for k in record))
    return Table(
        title=_label(key),
        columns=[_label(k) for k in keys],
        rows=[[_text(record[k]) if k in record else "" for k in keys] for record in records],
    )


def _entry(record: dict[str, Any]) -> Entry:
    entry = Entry()
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            entry.tables.append(_table(key, value))
        else:
            entry.rows.append((_label(key), _text(value)))
    return entry


def document_sections(document: dict[str, Any]) -> list[Section]:
    """The document's sections, every field of every record as text: the PDF shows all the
    JSON export holds."""
    sections = []
    for key, title in SECTION_TITLES.items():
        value = document.get(key)
        if isinstance(value, dict):
            entries = [_entry(value)]
        elif isinstance(value, list):
            entries = [
                _entry(item) if isinstance(item, dict) else Entry(rows=[("", _text(item))])
                for item in value
            ]
        else:
            entries = []
        sections.append(Section(key, title, entries))
    return sections


def subject_access_html(document: dict[str, Any]) -> str:
    return render_to_string(
        "rights/subject_access_pdf.html",
        {"document": document, "sections": document_sections(document)},
    )


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The subject access PDF fetches nothing, not even {url}")


def subject_access_pdf(document: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=subject_access_html(document), url_fetcher=_no_fetching).write_pdf()
    return pdf
