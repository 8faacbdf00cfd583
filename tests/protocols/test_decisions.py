"""A protocol as supporting information on a decision, and never a condition of sharing
(001 question 13: "By itself, the lack of an ISP must never be a reason for not sharing
information that could help a practitioner deliver services")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.decisions import services as decisions
from sharewise.decisions.models import Decision, Status
from sharewise.protocols.selectors import protocols_supporting_share
from tests.factories import PersonFactory
from tests.protocols.factories import World, in_force

pytestmark = pytest.mark.django_db

# Helen (003 Appendix 3, case 6) under the 2008 questions: sharing without consent in the
# public interest.
HELEN_ANSWERS: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}
SIGNING: dict[str, Any] = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}
PROTOCOL_LINE = "covers sharing for"
NEUTRAL_LINE = "must never be a reason for not sharing"


def _decided(world: World, recipient: str = "Children's social care") -> Decision:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = decisions.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient=recipient,
        information=["bruising seen on 3 November"],
        pack_id="hmg-2008",
    )
    return decisions.decision_answer(
        user=world.practitioner_a, decision=decision, answers=HELEN_ANSWERS
    )


def _client(user: Any, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_covering_protocol_is_shown_on_the_outcome_and_the_record(
    world: World, sign_in: Any
) -> None:
    protocol = in_force(world)
    decision = _decided(world)
    client = _client(world.practitioner_a, sign_in)
    outcome = client.get(f"/decisions/{decision.pk}/outcome/").content.decode()
    assert (
        "A protocol between Northtown Children&#x27;s Social Care and Riverside GP Practice "
        "covers sharing for “Referring safeguarding concerns about children to children&#x27;s "
        "social care” (review due " in outcome
    )
    assert protocol.review_date is not None
    assert protocol.review_date.strftime("%-d %B %Y") in outcome
    assert f'href="/protocols/{protocol.pk}/"' in outcome
    assert NEUTRAL_LINE not in outcome

    decisions.decision_details_update(user=world.practitioner_a, decision=decision, details=SIGNING)
    decisions.decision_sign(user=world.practitioner_a, decision=decision)
    record = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert PROTOCOL_LINE in record
    assert f'href="/protocols/{protocol.pk}/"' in record


def test_without_a_protocol_the_decision_still_shares_and_nothing_discourages_it(
    world: World, sign_in: Any
) -> None:
    decision = _decided(world)
    assert decision.outcome == "share"
    client = _client(world.practitioner_a, sign_in)
    outcome = client.get(f"/decisions/{decision.pk}/outcome/")
    assert outcome.status_code == 200
    page = outcome.content.decode()
    assert PROTOCOL_LINE not in page
    # At most the neutral line, in the guidance's own words; no warning about a protocol.
    assert NEUTRAL_LINE in page
    assert "You do not need an information sharing protocol to share" in page
    warnings = page.split("govuk-warning-text__text")[1:]
    assert not any("protocol" in w.split("</strong>")[0].lower() for w in warnings)
    assert "no protocol" not in page.lower()

    form = {**SIGNING, "revision": str(decision.revision), "action": "sign"}
    signed = client.post(f"/decisions/{decision.pk}/outcome/", form)
    assert signed.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.outcome) == (Status.SIGNED, "share")
    record = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert PROTOCOL_LINE not in record
    assert NEUTRAL_LINE in record


def test_a_protocol_between_other_agencies_is_not_shown(world: World, sign_in: Any) -> None:
    # Agency A's protocol is with C; a share with the police is not covered by it.
    in_force(world)
    decision = _decided(world, recipient="Northtown Police")
    page = _client(world.practitioner_a, sign_in).get(f"/decisions/{decision.pk}/outcome/")
    assert PROTOCOL_LINE not in page.content.decode()


def test_a_protocol_past_review_is_shown_as_such(world: World, sign_in: Any) -> None:
    due = timezone.localdate() - dt.timedelta(days=3)
    in_force(world, review_date=due)
    decision = _decided(world)
    page = _client(world.practitioner_a, sign_in).get(f"/decisions/{decision.pk}/outcome/")
    assert f"(review was due {due.strftime('%-d %B %Y')})" in page.content.decode()


def test_the_selector_matches_agency_name_and_purpose(world: World) -> None:
    protocol = in_force(world)
    a, c = world.agency_a, world.agency_c
    purpose = "Refer concerns about a child"
    assert [
        s.protocol for s in protocols_supporting_share(agency=a, recipient=c, purpose=purpose)
    ] == [protocol]
    # From either party, to the other, by agency or by name.
    assert protocols_supporting_share(agency=c, recipient=a, purpose=purpose)
    assert protocols_supporting_share(agency=a, recipient="children's social care team", purpose="")
    assert not protocols_supporting_share(agency=a, recipient=world.agency_b, purpose=purpose)
    assert not protocols_supporting_share(
        agency=a, recipient=c, purpose="Tell housing about rent arrears"
    )
    # An agency is not its own recipient.
    assert not protocols_supporting_share(agency=a, recipient=a, purpose=purpose)
