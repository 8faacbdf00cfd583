"""The disclosure pages: share from the decision page, the inbox, acknowledging the limits,
the sender's view of what happened to it; and the API over the same services."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharewise.audit.models import AuditEntry
from sharewise.disclosures import services
from sharewise.disclosures.models import Disclosure, DisclosureItem
from tests.factories import api_token_for

from .conftest import PURPOSE, send, signed_decision

pytestmark = pytest.mark.django_db


def _client(user: Any, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _item_form(n: int, text: str, kind: str, source: str) -> dict[str, str]:
    day = timezone.localdate() - dt.timedelta(days=2)
    return {
        f"item-{n}-text": text,
        f"item-{n}-kind": kind,
        f"item-{n}-source": source,
        f"item-{n}-dated-day": str(day.day),
        f"item-{n}-dated-month": str(day.month),
        f"item-{n}-dated-year": str(day.year),
    }


def test_the_decision_page_offers_to_share_to_those_who_may(partnership, sign_in) -> None:
    p = partnership
    decision = signed_decision(p)
    page = _client(p.teacher, sign_in).get(f"/decisions/{decision.pk}/").content.decode()
    assert f'href="/disclosures/new/{decision.pk}/"' in page and "Share information" in page
    audited = _client(p.auditor, sign_in).get(f"/decisions/{decision.pk}/").content.decode()
    assert f"/disclosures/new/{decision.pk}/" not in audited


def test_share_through_the_form_then_the_recipient_acknowledges_and_reads(
    partnership, sign_in
) -> None:
    p = partnership
    decision = signed_decision(p)
    teacher = _client(p.teacher, sign_in)
    form = teacher.get(f"/disclosures/new/{decision.pk}/").content.decode()
    assert f'value="user:{p.health.pk}:{p.hv.pk}"' in form and "Beth Morgan" in form

    posted = {
        "purpose": PURPOSE,
        "recipient": f"user:{p.health.pk}:{p.hv.pk}",
        "channel": "sharewise",
        **_item_form(1, "Amy missed 6 days in March", "fact", "Attendance register"),
        **_item_form(2, "Amy came in hungry", "fact", "Class teacher"),
        **_item_form(3, "I think Amy is afraid to go home", "opinion", "Class teacher"),
    }
    refused = teacher.post(f"/disclosures/new/{decision.pk}/", {**posted, "purpose": "Other"})
    assert refused.status_code == 400 and "decision of its own" in refused.content.decode()
    response = teacher.post(f"/disclosures/new/{decision.pk}/", posted)
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disclosures/{disclosure.pk}/"
    assert DisclosureItem.objects.filter(disclosure=disclosure).count() == 3

    hv = _client(p.hv, sign_in)
    inbox = hv.get("/disclosures/inbox/").content.decode()
    assert f"/disclosures/{disclosure.pk}/" in inbox and "Amy" not in inbox
    limits = hv.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "no longer" not in limits and "Do not pass it on" in limits
    assert "Amy missed" not in limits and "I accept these limits" in limits
    acknowledged = hv.post(f"/disclosures/{disclosure.pk}/acknowledge/")
    assert acknowledged.status_code == 302
    content = hv.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "Amy Brown" in content and "I think Amy is afraid to go home" in content
    assert "Opinion" in content

    sender_view = teacher.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "Acknowledged" in sender_view and "by Beth Morgan" in sender_view
    sent = teacher.get("/disclosures/sent/").content.decode()
    assert "Amy Brown" in sent and "Acknowledged" in sent


def test_a_third_agency_sees_nothing(partnership, sign_in) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p))
    police = _client(p.police_officer, sign_in)
    assert police.get(f"/disclosures/{disclosure.pk}/").status_code == 404
    assert police.post(f"/disclosures/{disclosure.pk}/acknowledge/").status_code == 404
    assert "Nothing has been shared" in police.get("/disclosures/inbox/").content.decode()


def test_the_sender_withdraws_and_the_recipient_sees_only_that(partnership, sign_in) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p))
    services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)
    teacher = _client(p.teacher, sign_in)
    assert (
        teacher.post(f"/disclosures/{disclosure.pk}/withdraw/", {"reason": ""}).status_code == 400
    )
    teacher.post(f"/disclosures/{disclosure.pk}/withdraw/", {"reason": "Sent to the wrong team"})
    page = _client(p.hv, sign_in).get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "withdrew this disclosure" in page and "Amy missed" not in page


def test_the_sent_list_query_count_does_not_grow(
    partnership, sign_in, django_assert_max_num_queries
) -> None:
    p = partnership
    decision = signed_decision(p)
    for _ in range(12):
        send(p, decision)
    teacher = _client(p.teacher, sign_in)
    with django_assert_max_num_queries(16):
        page = teacher.get("/disclosures/sent/")
    assert page.content.decode().count("/disclosures/") >= 12
    hv = _client(p.hv, sign_in)
    with django_assert_max_num_queries(16):
        inbox = hv.get("/disclosures/inbox/")
    assert inbox.content.decode().count('href="/disclosures/') >= 12


def _api(user: Any) -> Any:
    token = api_token_for(user, "tests")
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()

    def call(method: str, path: str, body: Any = None) -> Any:
        return client.generic(
            method,
            f"/api/v1{path}",
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    return call


def test_the_api_refuses_to_show_the_content_until_acknowledged(partnership) -> None:
    p = partnership
    decision = signed_decision(p)
    teacher, hv, police = _api(p.teacher), _api(p.hv), _api(p.police_officer)
    body = {
        "decision_id": decision.pk,
        "recipient_agency_id": p.health.pk,
        "recipient_user_id": p.hv.pk,
        "channel": "sharewise",
        "items": [
            {
                "text": "Amy missed 6 days in March",
                "kind": "fact",
                "source": "Attendance register",
                "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            }
        ],
    }
    beyond = teacher("POST", "/disclosures", {**body, "purpose": "Something else"})
    assert beyond.status_code == 400 and beyond.json()["field"] == "purpose"
    created = teacher("POST", "/disclosures", body)
    assert created.status_code == 201, created.content
    disclosure_id = created.json()["id"]

    assert police("GET", f"/disclosures/{disclosure_id}").status_code == 404
    assert police("GET", "/disclosures?box=received").json() == {"items": [], "count": 0}
    early = hv("GET", f"/disclosures/{disclosure_id}")
    assert early.status_code == 409 and early.json()["field"] == "acknowledged"
    limits = hv("GET", f"/disclosures/{disclosure_id}/limits").json()["limits"]
    assert any("Do not pass it on" in line for line in limits)
    assert teacher("POST", f"/disclosures/{disclosure_id}/acknowledge").status_code == 403
    assert hv("POST", f"/disclosures/{disclosure_id}/acknowledge").json()["state"] == "acknowledged"
    read = hv("GET", f"/disclosures/{disclosure_id}").json()
    assert read["person"]["full_name"] == "Amy Brown"
    assert read["disclosure"]["readers"] == "named"
    # Sent to the health visitor alone: her lead is refused the content, with the reason.
    lead = _api(p.hv_lead)("GET", f"/disclosures/{disclosure_id}")
    assert (lead.status_code, lead.json()["field"]) == (403, "readers")
    assert "Amy" not in lead.content.decode()
    assert [i["kind"] for i in read["items"]] == ["fact"]
    received = hv("GET", "/disclosures?box=received").json()
    assert [d["id"] for d in received["items"]] == [disclosure_id]
    assert received["count"] == 1
    assert AuditEntry.objects.filter(verb="disclosure.read", actor_username="hv").count() == 1

    told = teacher("POST", f"/disclosures/{disclosure_id}/subject-told", {"how": "By letter"})
    assert told.status_code == 200 and told.json()["subject_told_at"]
    withdrawn = teacher("POST", f"/disclosures/{disclosure_id}/withdraw", {"reason": "Error"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert hv("GET", f"/disclosures/{disclosure_id}").status_code == 410


def test_the_api_document_lists_the_disclosures_endpoints(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    tagged = {
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "Disclosures" in operation.get("tags", [])
    }
    assert {
        "/api/v1/disclosures",
        "/api/v1/disclosures/{disclosure_id}",
        "/api/v1/disclosures/{disclosure_id}/acknowledge",
        "/api/v1/disclosures/{disclosure_id}/withdraw",
        "/api/v1/disclosures/{disclosure_id}/subject-told",
    } <= tagged
