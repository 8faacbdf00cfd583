"""The public pages: home, the policy packs, their flowcharts and the paragraphs cited.

They read from the shipped packs, so the expectations come from the packs themselves
wherever possible, and from the guidance's own words where a test pins real content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from sharewise.guidance.explain import flowchart_text
from sharewise.guidance.packs import flow_order, pack_get, packs_all
from sharewise.web.pack_pages import hash_short

BUILT_STATIC = Path(__file__).parents[2] / "src" / "sharewise" / "web" / "static" / "sharewise"

PAGES = [
    "/",
    "/packs/",
    "/packs/hmg-2008/",
    "/packs/hmg-2018/",
    "/packs/hmg-2008/sources/",
    "/packs/hmg-2018/sources/",
    "/packs/hmg-2008/sources/3.43/",
    "/packs/hmg-2018/sources/GR3/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_served(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assertContains(response, '<html lang="en-GB" class="govuk-template">')
    assertContains(response, "Sharewise is not a GOV.UK service")


def test_healthz_says_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"


def test_home_says_what_sharewise_is_and_links_the_packs(client: Client) -> None:
    response = client.get("/")
    assertContains(response, "decide whether to share information")
    for pack in packs_all():
        assertContains(response, f'href="/packs/{pack.id}/"')


def test_pack_list_shows_each_pack_and_marks_the_default(client: Client) -> None:
    response = client.get("/packs/")
    for pack in packs_all():
        assertContains(response, escape(pack.title))
        assertContains(response, escape(pack.publisher))
        assertContains(response, pack.version)
        assertContains(response, hash_short(pack))
        assertContains(response, pack.in_force_from.strftime("%B %Y"))
    assert len(hash_short(pack_get("hmg-2018"))) == 12
    assertContains(response, ">Default</strong>", count=1)
    default = next(p for p in packs_all() if p.default)
    tagged = re.escape(escape(default.title)) + r'</a>\s*<strong class="govuk-tag[^"]*">Default<'
    assert re.search(tagged, response.content.decode())


def test_pack_page_shows_the_first_question_and_the_golden_rules(client: Client) -> None:
    pack = pack_get("hmg-2008")
    response = client.get("/packs/hmg-2008/")
    assertTemplateUsed(response, "sharewise/pack_detail.html")
    first = pack.questions[pack.nodes[pack.start].fact]
    assertContains(response, escape(first.text))
    assertContains(response, "Is there a clear and legitimate purpose")
    assertContains(response, "<strong>Seek advice</strong>", html=False)
    for rule in pack.golden_rules:
        assertContains(response, escape(rule.title))


def test_pack_page_warns_of_the_interrupt_at_every_step(client: Client) -> None:
    response = client.get("/packs/hmg-2008/")
    assertContains(response, 'class="govuk-warning-text"')
    assertContains(response, "At every step: Refer now")
    assertContains(response, "Yes, there is reasonable cause to believe")


def test_pack_page_lists_questions_in_the_order_met(client: Client) -> None:
    pack = pack_get("hmg-2008")
    # The same order as the text flowchart of the guidance core.
    text_order = re.findall(r"^\[(\w+)\]", flowchart_text(pack), flags=re.MULTILINE)
    assert flow_order(pack) == text_order
    html = client.get("/packs/hmg-2008/").content.decode()
    positions = [html.index(f'id="question-{node_id}"') for node_id in text_order]
    assert positions == sorted(positions)


def test_pack_page_says_where_each_answer_leads(client: Client, parse_page) -> None:
    response = client.get("/packs/hmg-2008/")
    # "No" to the purpose question ends the flow; "Yes" goes to the legal requirement.
    assertContains(response, "Do not share: there is no clear and legitimate purpose")
    assertContains(
        response, '<a class="govuk-link" href="#question-legal_requirement">Go to step 2</a>'
    )
    # The steps sit under the guidance's own question headings.
    html = response.content.decode()
    assert html.index("Question 1: Is there a clear") < html.index(
        'id="question-challenging_court_order"'
    )
    assert html.index('id="question-challenging_court_order"') < html.index(
        "Question 2: Does the information"
    )
    # The reasons not to seek consent are a list fact: its branches are "none" and "any".
    assertContains(response, "None of these")
    assertContains(response, "Select all that apply")
    markup = parse_page(response.content.decode())
    for link in markup.links:
        if link.startswith("#"):
            assert link[1:] in markup.ids, f"{link} points at nothing on the page"


def test_pack_page_shows_the_judgement_and_its_reasons(client: Client) -> None:
    pack = pack_get("hmg-2008")
    judgement = pack.nodes["public_interest"]
    response = client.get("/packs/hmg-2008/")
    assertContains(response, "Your judgement")
    assertContains(response, "Record your reasons.")
    assertContains(response, escape(judgement.reasons_prompt))
    for duty in judgement.weigh + judgement.proportionality:
        assertContains(response, escape(duty.text))


def test_pack_page_shows_how_to_share_and_what_to_record(client: Client) -> None:
    pack = pack_get("hmg-2018")
    response = client.get("/packs/hmg-2018/")
    assertContains(response, 'id="how-to-share"')
    assertContains(response, 'id="what-to-record"')
    for duty in pack.how_to_share + pack.record:
        assertContains(response, escape(duty.text))
    for principle in pack.principles:
        assertContains(response, escape(principle.title))


@pytest.mark.parametrize("pack_id", ["hmg-2008", "hmg-2018"])
def test_every_cited_paragraph_link_works(client: Client, parse_page, pack_id: str) -> None:
    markup = parse_page(client.get(f"/packs/{pack_id}/").content.decode())
    prefix = f"/packs/{pack_id}/sources/"
    cited = {link for link in markup.links if link.startswith(prefix) and link != prefix}
    assert len(cited) > 10
    for link in sorted(cited):
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("cite", ["3.43", "000:box.purpose", "glossary:significant-harm"])
def test_cites_with_dots_and_colons_resolve(client: Client, cite: str) -> None:
    pack = pack_get("hmg-2008")
    response = client.get(f"/packs/hmg-2008/sources/{cite}/")
    assert response.status_code == 200
    paragraph = pack.paragraph(cite)
    assert paragraph is not None
    assertContains(response, f"Paragraph {cite}")


def test_source_paragraph_shows_the_guidance_text_and_its_list(client: Client) -> None:
    response = client.get("/packs/hmg-2008/sources/3.43/")
    assertContains(response, "normally be justified in the public interest")
    assertContains(response, "Question 5: Is there sufficient public interest")
    assertContains(response, '<ul class="govuk-list govuk-list--bullet">')
    assertContains(
        response,
        "<li>when there is evidence or reasonable cause to believe that a child is suffering, "
        "or is at risk of suffering, significant harm; or</li>",
    )
    assertContains(response, '<a href="/packs/hmg-2008/" class="govuk-back-link">')
    assertContains(response, "Information Sharing Protocol</cite>")


def test_sources_page_groups_paragraphs_by_document(client: Client) -> None:
    pack = pack_get("hmg-2008")
    response = client.get("/packs/hmg-2008/sources/")
    html = response.content.decode()
    for document in pack.sources.documents.values():
        assertContains(response, f'id="document-{document.id}"')
    assert len(pack.sources.paragraphs) > 100
    for cite in pack.sources.paragraphs:
        assert f'id="paragraph-{escape(cite)}"' in html


@pytest.mark.parametrize(
    "url", ["/packs/no-such-pack/", "/packs/no-such-pack/sources/", "/packs/hmg-2008/sources/9.99/"]
)
def test_unknown_pack_or_paragraph_gives_the_not_found_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, 'class="govuk-template"', status_code=404)
    assertNotContains(response, "Traceback", status_code=404)


@pytest.mark.parametrize("url", [*PAGES, "/packs/no-such-pack/"])
def test_pages_have_no_inline_script_or_style(client: Client, parse_page, url: str) -> None:
    # A Content-Security-Policy without 'unsafe-inline' is coming: nothing may rely on it.
    markup = parse_page(client.get(url).content.decode())
    assert markup.inline_script_text == []
    assert all(script.get("src") for script in markup.scripts)
    assert markup.style_attributes == []
    assert markup.style_elements == 0
    assert markup.event_handler_attributes == []


def test_stylesheet_and_script_are_served(client: Client, parse_page) -> None:
    markup = parse_page(client.get("/").content.decode())
    assert len(markup.stylesheets) == 1
    css_url = markup.stylesheets[0]
    # Hashed by the manifest storage, so browsers may cache it for good.
    assert re.fullmatch(r"/static/sharewise/sharewise\.min\.[0-9a-f]{12}\.css", css_url)
    css = client.get(css_url)
    assert css.status_code == 200
    assert b".govuk-template" in b"".join(css.streaming_content)
    script_url = markup.scripts[0]["src"]
    assert markup.scripts[0]["type"] == "module"
    assert client.get(script_url).status_code == 200
    # sharewise.js imports GOV.UK Frontend by its own name, next to it.
    assert client.get("/static/sharewise/govuk-frontend.min.js").status_code == 200


def test_built_front_end_is_in_the_package() -> None:
    css = (BUILT_STATIC / "sharewise.min.css").read_text(encoding="utf-8")
    assert ".govuk-generic-header" in css
    # Not a GOV.UK service: no GDS Transport typeface, no font files.
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:arial,helvetica,sans-serif" in css
    for reference in re.findall(r'url\("?([^")]+)"?\)', css):
        assert (BUILT_STATIC / reference).is_file(), reference
    script = (BUILT_STATIC / "govuk-frontend.min.js").read_text(encoding="utf-8")
    assert "initAll" in script
    assert "sourceMappingURL" not in script
    assert 'from "./govuk-frontend.min.js"' in (BUILT_STATIC / "sharewise.js").read_text()


def test_header_has_the_service_name_and_no_crown(client: Client) -> None:
    response = client.get("/")
    assertContains(response, "govuk-generic-header")
    assertContains(response, ">Sharewise</a>")
    assertContains(response, 'href="#main-content" class="govuk-skip-link"')
    assertNotContains(response, "govuk-logo")
    assertNotContains(response, "Crown copyright")
    assertNotContains(response, "GOV.UK</")
