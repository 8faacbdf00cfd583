"""A phone disclosure recorded over the API with a date outside the years a record can
mean is refused naming the field, with nothing saved (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from sharewise.disclosures.models import Disclosure
from tests.api.conftest import ApiClient
from tests.disclosures.conftest import Partnership, signed_decision
from tests.factories import api_token_for


def _phone_share(p: Partnership, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "decision_id": signed_decision(p).pk,
        "recipient_agency_id": p.health.pk,
        "recipient_name": "Beth Morgan",
        "channel": "phone",
        "identity_check": "Called back on the number in the directory",
        "items": [
            {"text": "Missed two appointments", "kind": "fact", "source": "Register"}
            | {"date": "2025-01-06"}
        ],
        "sent_at": "2025-01-06T10:00:00+00:00",
    }
    return body | changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sent_at": "0001-01-01T00:00:00+05:00"}, "sent_at"),
        ({"sent_at": "9999-12-31T23:59:59-05:00"}, "sent_at"),
        (
            {"items": [{"text": "x", "kind": "fact", "source": "y", "date": "0001-01-01"}]},
            "items.0.date",
        ),
        (
            {"items": [{"text": "x", "kind": "fact", "source": "y", "date": "9999-12-31"}]},
            "items.0.date",
        ),
    ],
)
def test_a_date_outside_the_years_a_record_can_mean_is_refused(
    partnership: Partnership, changes: dict[str, Any], field: str
) -> None:
    token = api_token_for(partnership.teacher)
    response = ApiClient(token).post("/disclosures", _phone_share(partnership, **changes))
    assert response.status_code == 422, response.content
    assert response.json() == {
        "error": f"'{field}': must be a date between the years 1900 and 2100",
        "field": field,
    }
    assert not Disclosure.objects.exists()


def test_a_phone_share_in_range_is_recorded(partnership: Partnership) -> None:
    token = api_token_for(partnership.teacher)
    response = ApiClient(token).post("/disclosures", _phone_share(partnership))
    assert response.status_code == 201, response.content
