"""The documented "check again" path: sending a draft whose redacted text is not what the
practitioner checked shows the page again with the message beside the button, and nothing
is sent (issue 17, "server errors")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sharewise.advice import services
from sharewise.advice.models import AdviceRequest, Status
from sharewise.decisions import services as decision_services
from sharewise.people.models import Person
from sharewise.web.forms import FormErrors
from tests.factories import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


def test_a_reviewed_text_that_differs_shows_the_page_again(world: Any, sign_in: Any) -> None:
    helen = Person.objects.create(
        agency=world.agency_a,
        given_name="Helen",
        family_name="Okoro",
        date_of_birth=dt.date(2017, 3, 14),
        created_by=world.practitioner_a,
    )
    decision = decision_services.decision_start(
        user=world.practitioner_a, person=helen, purpose="Refer bruising", pack_id="hmg-2008"
    )
    draft = services.advice_request_create(
        user=world.practitioner_a, decision=decision, text="Helen has bruises again. Refer?"
    )
    client = Client()
    sign_in(client, world.practitioner_a)
    response = client.post(f"/advice/{draft.pk}/send/", {"reviewed_text": "Something else"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "What would be sent is not what you checked" in page
    assert "Check the redacted text again before sending it." in page
    # The page offers the text to check again, and nothing was sent.
    assert draft.redacted_text in page
    assert AdviceRequest.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_field_without_a_message_reads_as_blank() -> None:
    errors = FormErrors()
    errors.add("reviewed_text", "Check again")
    assert errors.by_field["agency"] == ""
    assert errors.items() == [("reviewed_text", "Check again")]
    assert not FormErrors()
