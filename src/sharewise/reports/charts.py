"""Charts of the dashboards, drawn on the server by matplotlib as SVG that can be put in the
page as it is (docs/decisions/0013-reports-charts-inline-svg.md).

The pages run under a Content-Security-Policy that allows no inline style (settings.py,
ADR 7), and matplotlib's SVG carries a `<style>` element and a `style` attribute on nearly
every shape. Each declaration is turned into the SVG presentation attribute of the same
name (`fill`, `stroke`, `font-size`...), which the policy does not govern, and the
`<style>` element's one rule is set on the root, whence it is inherited. Every id is
prefixed with the chart's, so several charts can share a page, and the chart carries a
`<title>` and a `<desc>` that name it to assistive technology; the data table beside it
gives the figures (WCAG 2.2 1.1.1).

The output is deterministic: a fixed hash salt for matplotlib's ids, no date or creator in
the metadata (dropped altogether), text kept as text (`svg.fonttype` "none").
"""

from __future__ import annotations

import io
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
XLINK_HREF = f"{{{XLINK_NS}}}href"

# The GOV.UK Design System's colours, in an order that keeps neighbours apart.
COLOURS = (
    "#1d70b8",
    "#f47738",
    "#00703c",
    "#d4351c",
    "#4c2c92",
    "#28a197",
    "#912b88",
    "#505a5f",
    "#b58840",
    "#003078",
)
TEXT_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class Series:
    """One set of bars: its name in the legend, and a value for each category."""

    label: str
    values: tuple[float, ...]


def bar_chart_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_label: str,
    stacked: bool = True,
    whole_numbers: bool = True,
) -> str:
    """A bar chart (stacked, or side by side) of `series` over `categories`, as SVG markup
    to put in a page under the strict CSP."""
    return _chart(
        chart_id,
        title,
        description,
        tuple(categories),
        tuple(series),
        value_label,
        stacked,
        whole_numbers,
    )


# Drawing a chart takes a tenth of a second or more; the same figures give the same SVG,
# so a dashboard opened again with nothing changed is not drawn again. Each entry is some
# 20 kB, and holds counts only.
@lru_cache(maxsize=256)
def _chart(
    chart_id: str,
    title: str,
    description: str,
    categories: tuple[str, ...],
    series: tuple[Series, ...],
    value_label: str,
    stacked: bool,
    whole_numbers: bool,
) -> str:
    # The settings apply to this drawing only, never to the process's matplotlib.
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "sharewise-reports",
            "svg.fonttype": "none",
            "font.size": 10,
            "text.color": TEXT_COLOUR,
            "axes.labelcolor": TEXT_COLOUR,
            "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR,
        }
    ):
        figure = Figure(figsize=(8.5, 3.4))
        # The SVG canvas of matplotlib's object API: no pyplot, no GUI, no global figure.
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(len(categories)))
        bottoms = [0.0] * len(categories)
        width = 0.7 if stacked or len(series) <= 1 else 0.8 / len(series)
        for index, one in enumerate(series):
            colour = COLOURS[index % len(COLOURS)]
            if stacked:
                axes.bar(
                    positions,
                    one.values,
                    width,
                    bottom=bottoms,
                    label=_legend(one.label),
                    color=colour,
                )
                bottoms = [b + v for b, v in zip(bottoms, one.values, strict=True)]
            else:
                offset = (index - (len(series) - 1) / 2) * width
                axes.bar(
                    [p + offset for p in positions],
                    one.values,
                    width,
                    label=_legend(one.label),
                    color=colour,
                )
        axes.set_xticks(positions, list(categories), rotation=45 if len(categories) > 6 else 0)
        axes.set_ylabel(value_label)
        if whole_numbers:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.spines[["top", "right"]].set_visible(False)
        # Fixed margins rather than tight_layout, which lays the text out twice and
        # doubles the time a chart takes; the legend has the right quarter.
        figure.subplots_adjust(
            left=0.09, right=0.70 if len(series) > 1 else 0.97, bottom=0.22, top=0.95
        )
        if len(series) > 1:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        output = io.BytesIO()
        figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    return svg_for_page(output.getvalue(), chart_id=chart_id, title=title, description=description)


def _legend(label: str) -> str:
    # Long names ("Must share (required by law)") on two lines, to fit beside the axes.
    return textwrap.fill(label, 20)


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs


def svg_for_page(svg: bytes, *, chart_id: str, title: str, description: str) -> str:
    """matplotlib's SVG made fit for the page: no style element or attribute, ids of its
    own, a title and a description. `svg` is matplotlib's output, never outside input."""
    # The document is our own matplotlib output, so an XML attack through it is not a risk.
    root = ET.fromstring(svg)  # noqa: S314
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata"):
                parent.remove(child)
    renamed: dict[str, str] = {}
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style is not None:
            for name, value in _declarations(style):
                element.set(name, value)
        old = element.get("id")
        if old is not None:
            renamed[old] = f"{chart_id}-{old}"
            element.set("id", renamed[old])
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == XLINK_HREF and value.startswith("#") and value[1:] in renamed:
                element.set(name, "#" + renamed[value[1:]])
            elif value.startswith("url(#") and value[5:-1] in renamed:
                element.set(name, f"url(#{renamed[value[5:-1]]})")
    # The one rule of matplotlib's style element, inherited from the root instead.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for size in ("width", "height"):
        root.attrib.pop(size, None)
    root.set("class", "sharewise-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # ElementTree's prefixes are one registry for the whole process, which any library may
    # change: WeasyPrint registers "" for its PDF metadata, after which every element
    # would come out as <ns0:svg>. So they are registered again just before writing.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")
