"""The compare page: one case through every pack, side by side, with the paragraphs behind
each difference (issue 7)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# A case under the duty to share: every pack but the overlay stops at a question.
DUTY_CASE = (
    "purpose=yes&identifiable=yes&legal_requirement=none&duty_sender_bound=yes"
    "&duty_recipient_bound=yes&duty_relevant=yes&duty_detriment=not_more_detrimental"
    "&child_harm=none&adult_harm=none&reasons_not_to_seek_consent-answered=yes"
)


def test_the_empty_form_asks_every_pack_s_questions() -> None:
    page = Client().get("/packs/compare/").content.decode()
    for fact in ("purpose", "confidential", "lawful_basis", "duty_detriment", "public_authority"):
        assert f'name="{fact}"' in page
    assert "What each pack makes of the case" not in page


def test_a_case_shows_each_pack_and_where_they_differ() -> None:
    response = Client().get(f"/packs/compare/?{DUTY_CASE}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "What each pack makes of the case" in page
    assert "You must share: the statutory duty to share" in page
    # The difference in outcome links to the section behind the overlay's answer.
    assert "/packs/hmg-2024-duty/sources/s16LA/" in page
    assert "Question &#x27;duty_detriment&#x27;" in page
    # The answers given are kept on the form.
    assert '<option value="not_more_detrimental" selected>' in page


def test_answers_no_pack_offers_are_ignored_not_an_error() -> None:
    response = Client().get("/packs/compare/?purpose=perhaps&lawful_basis=nonsense")
    assert response.status_code == 200
    assert "What each pack makes of the case" not in response.content.decode()


def test_the_pack_list_links_to_the_compare_page() -> None:
    assert 'href="/packs/compare/"' in Client().get("/packs/").content.decode()
