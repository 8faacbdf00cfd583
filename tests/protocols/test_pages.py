"""The register's pages: administrators draft, submit, revise and withdraw; leads sign for
their agency; practitioners read but cannot change; other agencies see nothing; the home
page tells administrators what is past review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.protocols.models import Protocol, State, Status
from sharewise.protocols.services import protocol_create, protocol_submit
from tests.protocols.factories import World, in_force, terms

pytestmark = pytest.mark.django_db


def _client(user: Any, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _form(world: World, **overrides: Any) -> dict[str, Any]:
    review = timezone.localdate() + dt.timedelta(days=365)
    form: dict[str, Any] = {
        "title": "Safeguarding children: GP and social care",
        "parties": [str(world.agency_a.pk), str(world.agency_c.pk)],
        "purposes": "Referring safeguarding concerns about children\nChild protection enquiries",
        "data_items": "Name and date of birth\nThe concern",
        "article6": ["public_task"],
        "special_category": ["safeguarding"],
        "retention": "Until the child is 25",
        "security": "Sharewise or secure email",
        "individuals_rights": "Privacy notices; requests to the DPO",
        "review_date-day": str(review.day),
        "review_date-month": str(review.month),
        "review_date-year": str(review.year),
    }
    form.update(overrides)
    return form


def test_an_administrator_drafts_submits_and_the_parties_sign(world: World, sign_in: Any) -> None:
    admin = _client(world.admin, sign_in)
    response = admin.post("/protocols/new/", _form(world))
    assert response.status_code == 302
    protocol = Protocol.objects.get()
    assert protocol.purposes == [
        "Referring safeguarding concerns about children",
        "Child protection enquiries",
    ]
    assert set(protocol.parties.all()) == {world.agency_a, world.agency_c}
    edited = admin.post(f"/protocols/{protocol.pk}/edit/", _form(world, title="Renamed"))
    assert edited.status_code == 302
    assert admin.post(f"/protocols/{protocol.pk}/submit/").status_code == 302
    protocol.refresh_from_db()
    assert (protocol.title, protocol.status) == ("Renamed", Status.AWAITING_SIGNOFF)

    lead_a = _client(world.lead_a, sign_in)
    page = lead_a.get(f"/protocols/{protocol.pk}/").content.decode()
    assert "Sign for your agency" in page
    form = lead_a.get(f"/protocols/{protocol.pk}/sign/").content.decode()
    assert "Signing for <strong>Riverside GP Practice</strong>" in form
    signed = lead_a.post(
        f"/protocols/{protocol.pk}/sign/",
        {"signatory_name": "Lee Adams", "signatory_role": "Named GP for safeguarding"},
    )
    assert signed.status_code == 302
    lead_c = _client(world.lead_c, sign_in)
    lead_c.post(
        f"/protocols/{protocol.pk}/sign/",
        {
            "signatory_name": "Cat Cole",
            "signatory_role": "Head of service",
            "signed_on-day": "1",
            "signed_on-month": "2",
            "signed_on-year": "2025",
        },
    )
    protocol.refresh_from_db()
    assert protocol.state == State.IN_FORCE
    detail = lead_c.get(f"/protocols/{protocol.pk}/").content.decode()
    assert "Lee Adams, Named GP for safeguarding" in detail
    assert "Cat Cole, Head of service" in detail
    assert "1 February 2025" in detail
    assert "Sign for your agency" not in detail


def test_the_form_shows_errors_beside_their_fields(world: World, sign_in: Any) -> None:
    admin = _client(world.admin, sign_in)
    response = admin.post(
        "/protocols/new/",
        _form(world, title="", **{"review_date-day": "31", "review_date-month": "2"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The review date must be a real date" in page
    assert not Protocol.objects.exists()
    response = admin.post("/protocols/new/", _form(world, title=""))
    assert "Enter a title for the protocol" in response.content.decode()


def test_submitting_an_incomplete_draft_says_what_is_missing(world: World, sign_in: Any) -> None:
    admin = _client(world.admin, sign_in)
    admin.post("/protocols/new/", _form(world, security=""))
    protocol = Protocol.objects.get()
    detail = admin.get(f"/protocols/{protocol.pk}/").content.decode()
    assert "Say how shared information is kept secure" in detail
    response = admin.post(f"/protocols/{protocol.pk}/submit/")
    assert response.status_code == 400
    protocol.refresh_from_db()
    assert protocol.status == Status.DRAFT


def test_a_new_version_and_withdrawal_from_the_pages(world: World, sign_in: Any) -> None:
    protocol = in_force(world)
    admin = _client(world.admin, sign_in)
    response = admin.post(f"/protocols/{protocol.pk}/new-version/")
    revision = Protocol.objects.get(supersedes=protocol)
    assert response.headers["Location"] == f"/protocols/{revision.pk}/edit/"
    old = admin.get(f"/protocols/{protocol.pk}/").content.decode()
    assert f"/protocols/{revision.pk}/" in old
    assert admin.post(f"/protocols/{protocol.pk}/withdraw/", {"reason": ""}).status_code == 400
    admin.post(f"/protocols/{protocol.pk}/withdraw/", {"reason": "The service has closed"})
    protocol.refresh_from_db()
    assert protocol.status == Status.WITHDRAWN
    assert "The service has closed" in admin.get(f"/protocols/{protocol.pk}/").content.decode()


@pytest.mark.parametrize("persona", ["practitioner_a", "lead_a", "manager_a", "auditor_a"])
def test_practitioners_and_leads_cannot_edit(world: World, sign_in: Any, persona: str) -> None:
    protocol = in_force(world)
    draft = protocol_create(user=world.admin, terms=terms([world.agency_a, world.agency_c]))
    client = _client(getattr(world, persona), sign_in)
    page = client.get(f"/protocols/{protocol.pk}/")
    assert page.status_code == 200
    assert "Start a new version" not in page.content.decode()
    assert client.get("/protocols/new/").status_code == 403
    assert client.post("/protocols/new/", _form(world)).status_code == 403
    assert client.post(f"/protocols/{draft.pk}/edit/", _form(world, title="X")).status_code == 403
    assert client.post(f"/protocols/{draft.pk}/submit/").status_code == 403
    assert client.post(f"/protocols/{protocol.pk}/new-version/").status_code == 403
    assert client.post(f"/protocols/{protocol.pk}/withdraw/", {"reason": "x"}).status_code == 403
    assert client.get("/protocols/review/").status_code == 403
    draft.refresh_from_db()
    protocol.refresh_from_db()
    assert (draft.title, draft.status) == (terms([]).title, Status.DRAFT)
    assert protocol.status == Status.IN_FORCE
    assert Protocol.objects.count() == 2


def test_a_practitioner_cannot_sign(world: World, sign_in: Any) -> None:
    protocol = protocol_submit(
        user=world.admin,
        protocol=protocol_create(user=world.admin, terms=terms([world.agency_a, world.agency_c])),
    )
    client = _client(world.practitioner_a, sign_in)
    assert client.get(f"/protocols/{protocol.pk}/sign/").status_code == 403
    response = client.post(
        f"/protocols/{protocol.pk}/sign/", {"signatory_name": "P", "signatory_role": "GP"}
    )
    assert response.status_code == 403
    assert not protocol.signatures.exists()


def test_an_agency_outside_the_protocol_cannot_see_it(world: World, sign_in: Any) -> None:
    # A title without an apostrophe, which the page would escape.
    protocol = in_force(world, title="Safeguarding children: referrals")
    for stranger in (world.practitioner_b, world.outsider):
        client = _client(stranger, sign_in)
        assert client.get(f"/protocols/{protocol.pk}/").status_code == 404
        register = client.get("/protocols/").content.decode()
        assert protocol.title not in register
        assert f"/protocols/{protocol.pk}/" not in register
    party = _client(world.practitioner_c, sign_in).get("/protocols/").content.decode()
    assert protocol.title in party


def test_the_register_list_is_bounded_in_queries(
    world: World, sign_in: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        in_force(world, title=f"Protocol {n}")
    client = _client(world.admin, sign_in)
    client.get("/protocols/")
    with django_assert_max_num_queries(14):
        response = client.get("/protocols/")
    assert response.content.decode().count("govuk-tag--green") == 6


def test_the_review_list_puts_the_overdue_first(world: World, sign_in: Any) -> None:
    today = timezone.localdate()
    later = in_force(world, title="Later", review_date=today + dt.timedelta(days=90))
    overdue = in_force(world, title="Overdue", review_date=today - dt.timedelta(days=10))
    soon = in_force(world, title="Soon", review_date=today + dt.timedelta(days=5))
    page = _client(world.admin, sign_in).get("/protocols/review/").content.decode()
    positions = [page.index(f"/protocols/{p.pk}/") for p in (overdue, soon, later)]
    assert positions == sorted(positions)
    assert "In force, past its review date" in page


def test_the_home_page_banner_is_for_administrators(world: World, sign_in: Any) -> None:
    in_force(world, review_date=timezone.localdate() - dt.timedelta(days=1))
    in_force(world, title="Fine")
    admin_home = _client(world.admin, sign_in).get("/").content.decode()
    assert "1 information sharing protocol is past its review date" in admin_home
    assert "/protocols/review/" in admin_home
    for persona in ("lead_a", "practitioner_a"):
        home = _client(getattr(world, persona), sign_in).get("/").content.decode()
        assert "protocols-review-banner" not in home
    assert "protocols-review-banner" not in Client().get("/").content.decode()


def test_no_banner_when_nothing_is_past_review(world: World, sign_in: Any) -> None:
    in_force(world)
    assert "protocols-review-banner" not in _client(world.admin, sign_in).get("/").content.decode()
