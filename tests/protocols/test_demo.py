"""The demo partnership's protocols: one in force between the school and the GP practice,
one past review; loading twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from sharewise.accounts.demo import demo_load_if_empty
from sharewise.protocols.demo import IN_FORCE_TITLE, PAST_REVIEW_TITLE, demo_protocols_load
from sharewise.protocols.models import Protocol, State
from sharewise.protocols.selectors import protocols_supporting_share

pytestmark = pytest.mark.django_db


def test_the_demo_protocols_load_once(settings: Any) -> None:
    settings.SHAREWISE_DEMO = True
    assert demo_load_if_empty()
    demo_protocols_load()
    states = {p.title: p.state for p in Protocol.objects.all()}
    assert states == {IN_FORCE_TITLE: State.IN_FORCE, PAST_REVIEW_TITLE: State.PAST_REVIEW}
    assert demo_protocols_load() == []
    assert Protocol.objects.count() == 2
    school = Protocol.objects.get(title=IN_FORCE_TITLE).parties.get(name__contains="School")
    found = protocols_supporting_share(
        agency=school, recipient="the GP", purpose="Refer safeguarding concerns about a pupil"
    )
    assert [s.protocol.title for s in found] == [IN_FORCE_TITLE]


def test_without_the_demo_partnership_nothing_is_made(db: None) -> None:
    assert demo_protocols_load() == []
    assert not Protocol.objects.exists()
