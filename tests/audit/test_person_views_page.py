"""Who has viewed this record: the person's agency's safeguarding leads and auditors see
it; its practitioners are refused (403) and other agencies find nothing (404)."""

from __future__ import annotations

import pytest
from django.test import Client

from sharewise.audit.models import AuditEntry
from tests.factories import personas

from .journey import helen_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return personas()


@pytest.fixture
def helen(world):
    return helen_signed(world).person


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead_a", 200),
        ("auditor_a", 200),
        ("practitioner_a", 403),
        ("manager_a", 403),
        ("practitioner_b", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_who_has_viewed_a_record(world, helen, sign_in, persona, status) -> None:
    response = _client(sign_in, getattr(world, persona)).get(f"/people/{helen.pk}/views/")
    assert response.status_code == status


def test_the_page_lists_views_newest_first_and_is_itself_recorded(world, helen, sign_in) -> None:
    _client(sign_in, world.practitioner_a).get(f"/people/{helen.pk}/")
    _client(sign_in, world.practitioner_a).get(f"/people/{helen.pk}/views/")
    page = _client(sign_in, world.lead_a).get(f"/people/{helen.pk}/views/").content.decode()
    assert '<table class="govuk-table">' in page
    assert "<script" not in page.split("</main>")[0].split("<main")[-1]
    assert "style=" not in page
    rows = page.split('<tr class="govuk-table__row">')[2:]
    assert "practitioner_a" in rows[0] and "Refused" in rows[0]
    assert "Opened the person&#x27;s record" in rows[1] or "Opened the person's record" in rows[1]
    assert "Signed a decision" in page and "Added the person" in page
    latest = AuditEntry.objects.order_by("-id").first()
    assert latest is not None
    assert (latest.verb, latest.actor, latest.outcome) == ("person.views", world.lead_a, "ok")


def test_the_person_page_links_to_it_for_leads_and_auditors_only(world, helen, sign_in) -> None:
    link = f'href="/people/{helen.pk}/views/"'
    for persona, shown in [("lead_a", True), ("auditor_a", True), ("practitioner_a", False)]:
        page = _client(sign_in, getattr(world, persona)).get(f"/people/{helen.pk}/")
        assert (link in page.content.decode()) is shown, persona
