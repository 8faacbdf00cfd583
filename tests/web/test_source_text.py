"""How a source paragraph's text is laid out: its line breaks and lists kept."""

from __future__ import annotations

from sharewise.guidance.packs import pack_get
from sharewise.web.pack_pages import TextBlock, text_blocks


def test_lines_starting_with_a_dash_become_one_list() -> None:
    text = "These are:\n- the first;\n- the second.\n\nAfter the list."
    assert text_blocks(text) == [
        TextBlock("lines", ("These are:",), 0),
        TextBlock("bullets", ("the first;", "the second."), 0),
        TextBlock("lines", ("After the list.",), 0),
    ]


def test_each_plain_line_stays_a_line() -> None:
    text = "Personal data means data which relate to a person who can be identified:\n(a) from those data; or\n(b) from those data and other information."
    [block] = text_blocks(text)
    assert block.kind == "lines"
    assert len(block.lines) == 3


def test_nesting_in_the_guidance_is_kept() -> None:
    # 002 "Sharing Information without Consent" nests a list under a numbered line.
    paragraph = pack_get("hmg-2008").paragraph("002:without-consent")
    assert paragraph is not None
    blocks = text_blocks(paragraph.text)
    nested = [b for b in blocks if b.kind == "bullets"]
    assert len(nested) == 1
    assert nested[0].indent == 2
    assert len(nested[0].lines) == 4
    assert all(not line.startswith("-") for line in nested[0].lines)
    assert any(b.kind == "lines" and b.indent == 1 for b in blocks)


def test_blank_text_gives_no_blocks() -> None:
    assert text_blocks("") == []
    assert text_blocks("\n\n") == []
