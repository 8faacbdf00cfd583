"""The charts: accessible SVG that the strict CSP lets the page show, the same every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sharewise.reports.charts import SVG_NS, XLINK_HREF, Series, _chart, bar_chart_svg

ARGS = {
    "chart_id": "chart-outcomes",
    "title": "Decisions by outcome",
    "description": "Bar chart of signed decisions by month and outcome.",
    "categories": ("Jan 2026", "Feb 2026", "Mar 2026"),
    "series": (Series("Share", (2.0, 1.0, 0.0)), Series("Do not share", (1.0, 0.0, 1.0))),
    "value_label": "Decisions",
}


def test_the_chart_is_well_formed_svg_with_a_title_and_a_description() -> None:
    root = ET.fromstring(bar_chart_svg(**ARGS))  # type: ignore[arg-type]
    assert root.tag == f"{{{SVG_NS}}}svg"
    title, desc = list(root)[:2]
    assert title.tag == f"{{{SVG_NS}}}title" and title.text == "Decisions by outcome"
    assert desc.tag == f"{{{SVG_NS}}}desc" and desc.text == ARGS["description"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-outcomes-title chart-outcomes-desc"
    # The legend and the axis are text, which a search or a zoom can reach.
    texts = {t.text for t in root.iter(f"{{{SVG_NS}}}text")}
    assert {"Share", "Do not share", "Jan 2026", "Decisions"} <= texts


def test_the_chart_has_no_style_for_the_csp_to_refuse() -> None:
    svg = bar_chart_svg(**ARGS)  # type: ignore[arg-type]
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag == f"{{{SVG_NS}}}style"]
    assert not [e for e in root.iter() if "style" in e.attrib]
    assert "<style" not in svg and " style=" not in svg
    # The declarations became presentation attributes: the bars keep their colours.
    fills = {e.get("fill") for e in root.iter(f"{{{SVG_NS}}}path")}
    assert {"#1d70b8", "#f47738"} <= fills
    assert root.find(f"{{{SVG_NS}}}metadata") is None


def test_every_id_is_the_charts_own_and_every_reference_resolves() -> None:
    root = ET.fromstring(bar_chart_svg(**ARGS))  # type: ignore[arg-type]
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert ids and all(i.startswith("chart-outcomes-") for i in ids if i)
    references = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == XLINK_HREF:
                references.add(value[1:])
            references.update(re.findall(r"url\(#([^)]+)\)", value))
    assert references and references <= ids


def test_the_same_figures_draw_the_same_svg() -> None:
    args = (
        ARGS["chart_id"],
        ARGS["title"],
        ARGS["description"],
        ARGS["categories"],
        ARGS["series"],
        ARGS["value_label"],
        True,
        True,
    )
    # Drawn twice, past the cache: no date, no random id.
    first = _chart.__wrapped__(*args)  # type: ignore[attr-defined]
    second = _chart.__wrapped__(*args)  # type: ignore[attr-defined]
    assert first == second
    changed = _chart.__wrapped__(*args[:4], (Series("Share", (3.0, 1.0, 0.0)),), *args[5:])  # type: ignore[attr-defined]
    assert changed != first


def test_the_svg_keeps_its_namespace_whatever_other_libraries_register() -> None:
    # WeasyPrint registers the empty prefix for its PDF metadata when it makes a PDF
    # (decision records, subject access); charts drawn afterwards must still be <svg>,
    # not <ns0:svg>, which a browser would not draw.
    # What weasyprint.pdf.metadata does on import (for "" among its prefixes).
    ET.register_namespace("", "")
    svg = bar_chart_svg(
        chart_id="namespace-check",
        title="Decisions",
        description="One month",
        categories=["January 2026"],
        series=[Series("Shared", (3,))],
        value_label="Decisions",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "ns0:" not in svg
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
