"""GET /advice: both lists page by the same `limit` and `offset` and each says how many
there are; they used to stop at 200 without saying so (issue 16). A client that sends
neither gets the lists as it did, with the counts beside them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sharewise.advice.models import AdviceRequest, Status
from sharewise.api.routes.advice import MAX_LIST_LIMIT
from tests.api.conftest import api_as  # noqa: F401
from tests.factories import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


def _sent(world: Any, asked_by: Any) -> AdviceRequest:
    # Written directly: what is listed is the record, not how its text was redacted.
    return AdviceRequest.objects.create(
        agency=world.agency_a,
        asked_by=asked_by,
        status=Status.SENT,
        sent_at=timezone.now(),
        redacted_text="[NAME 1] has bruises again. Refer?",
    )


def test_both_lists_page_by_the_same_limit_and_offset(world, api_as) -> None:  # noqa: F811
    to_answer = [_sent(world, world.practitioner_a) for _ in range(3)]
    asked = _sent(world, world.lead_a)
    lead = api_as(world.lead_a)
    pages = [lead.get("/advice", {"limit": 2, "offset": offset}).json() for offset in (0, 2, 4)]
    assert [(p["asked_count"], p["to_answer_count"]) for p in pages] == [(1, 3)] * 3
    assert [[a["id"] for a in p["asked"]] for p in pages] == [[asked.pk], [], []]
    # Waiting ones, newest sent first; each once over the pages, and the list ends.
    assert [[a["id"] for a in p["to_answer"]] for p in pages] == [
        [to_answer[2].pk, to_answer[1].pk],
        [to_answer[0].pk],
        [],
    ]


def test_without_limit_or_offset_the_lists_are_as_they_were(world, api_as) -> None:  # noqa: F811
    mine = [_sent(world, world.practitioner_a) for _ in range(3)]
    body = api_as(world.practitioner_a).get("/advice").json()
    assert set(body) == {"asked", "asked_count", "to_answer", "to_answer_count"}
    assert [a["id"] for a in body["asked"]] == [m.pk for m in reversed(mine)]
    assert (body["asked_count"], body["to_answer"], body["to_answer_count"]) == (3, [], 0)
    assert MAX_LIST_LIMIT == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset")],
)
def test_a_limit_or_offset_out_of_bounds_is_refused(
    world,
    api_as,  # noqa: F811
    params: dict[str, Any],
    field: str,
) -> None:
    response = api_as(world.lead_a).get("/advice", params)
    assert (response.status_code, response.json()["field"]) == (422, field)
