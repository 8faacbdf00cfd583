"""A decision's whole life over the API, and who may do what to it.

Helen (003 Appendix 3, case 6): 7 years old, bruising seen, her mother refuses consent.
There is reasonable cause to believe she is at risk of significant harm, so the
practitioner refers now and shares without consent: on public interest grounds under the
2008 seven key questions (3.43), under the safeguarding condition in the 2018 advice.
"""

from __future__ import annotations

from typing import Any

import pytest

from sharewise.decisions.models import Decision

from .conftest import ApiClient
from .test_people import _family

HELEN = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}

DETAILS = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "not_yet",
    "advice_from": "Lead A, designated safeguarding lead",
    "advice_given": "Refer to children's social care today",
    "notes": "Mother to be told after the referral is made",
}


def _start(client: ApiClient, person_id: int, pack: str = "hmg-2018", **overrides: Any) -> Any:
    body = {
        "person_id": person_id,
        "purpose": "Refer concerns about bruising to children's social care",
        "recipient": "Children's social care",
        "information": ["bruising seen on 3 November"],
        "pack": pack,
        **overrides,
    }
    return client.post("/decisions", body)


def _answer_until_decided(client: ApiClient, decision: dict[str, Any]) -> dict[str, Any]:
    """Answer each question the decision asks, one at a time, as a wizard would."""
    for _ in range(len(HELEN) + 1):
        if decision["outcome"] != "ask":
            return decision
        fact = decision["question"]["id"]
        response = client.post(
            f"/decisions/{decision['id']}/answers",
            {"answers": {fact: HELEN[fact]}, "revision": decision["revision"]},
        )
        assert response.status_code == 200, response.json()
        decision = response.json()
    raise AssertionError(f"still asking: {decision['question']}")


@pytest.mark.parametrize(
    ("pack", "basis"), [("hmg-2008", "public_interest"), ("hmg-2018", "safeguarding")]
)
def test_helen_from_start_to_signed_and_corrected(world, api_as, pack: str, basis: str) -> None:
    helen, _ = _family(world)
    client = api_as(world.practitioner_a)

    started = _start(client, helen.pk, pack)
    assert started.status_code == 201, started.json()
    decision = started.json()
    assert (decision["status"], decision["version"], decision["outcome"]) == ("draft", 1, "ask")
    assert decision["pack_id"] == pack and decision["pack_hash"].startswith("sha256:")
    assert decision["refer_now"] is False and decision["basis"] is None
    # The mother's refusal counts for Helen, who is not competent (3.26): the consent
    # answer comes from the records.
    assert decision["facts"]["consent"] == "refused"
    assert decision["consent_source"]["consent"] == "refused"

    decision = _answer_until_decided(client, decision)
    assert (
        decision["outcome"],
        decision["basis"],
        decision["refer_now"],
        decision["inform_subject"],
    ) == ("share", basis, True, "yes")
    assert decision["question"] is None
    assert decision["trace"][0]["question"] == "purpose"
    assert "3.43" in decision["citations"] or pack == "hmg-2018"

    refused = client.post(f"/decisions/{decision['id']}/sign", {"revision": decision["revision"]})
    assert refused.status_code == 400
    problems = {p["field"] for p in refused.json()["problems"]}
    assert {"article6_basis", "special_category_condition", "person_told"} <= problems
    assert refused.json()["field"] == refused.json()["problems"][0]["field"]

    updated = client.patch(
        f"/decisions/{decision['id']}",
        {
            "details": DETAILS,
            "proportionality": [
                {"question": "Is sharing proportionate to the risk?", "answer": "Yes"}
            ],
            "revision": decision["revision"],
        },
    )
    assert updated.status_code == 200, updated.json()
    decision = updated.json()
    assert {name: decision[name] for name in DETAILS} == DETAILS
    assert decision["proportionality"][0]["answer"] == "Yes"

    signed = client.post(f"/decisions/{decision['id']}/sign", {"revision": decision["revision"]})
    assert signed.status_code == 200, signed.json()
    record = signed.json()
    assert (record["status"], record["signed_by"], record["created_by"]) == (
        "signed",
        "practitioner_a",
        "practitioner_a",
    )
    assert record["signed_at"] is not None
    assert client.get(f"/decisions/{decision['id']}").json() == record

    # A signed decision is never changed (3.51): answers are refused, naming its status.
    late = client.post(
        f"/decisions/{decision['id']}/answers",
        {"answers": {"purpose": "no"}, "revision": record["revision"]},
    )
    assert late.status_code == 400
    assert late.json()["field"] == "status"
    assert Decision.objects.get(pk=decision["id"]).facts == record["facts"]

    corrected = client.post(f"/decisions/{decision['id']}/correct")
    assert corrected.status_code == 201
    correction = corrected.json()
    assert (correction["version"], correction["corrects"], correction["status"]) == (
        2,
        decision["id"],
        "draft",
    )
    assert client.get(f"/decisions/{decision['id']}").json() == record


def test_a_stale_revision_is_409_naming_revision(world, api_as) -> None:
    helen, _ = _family(world)
    client = api_as(world.practitioner_a)
    decision = _start(client, helen.pk).json()
    first = client.post(
        f"/decisions/{decision['id']}/answers",
        {"answers": {"purpose": "yes"}, "revision": decision["revision"]},
    )
    assert first.status_code == 200
    for method, path, body in (
        ("post", "/answers", {"answers": {"identifiable": "yes"}}),
        ("patch", "", {"details": {"notes": "late"}}),
        ("post", "/sign", {}),
    ):
        response = client.send(
            method, f"/decisions/{decision['id']}{path}", {**body, "revision": decision["revision"]}
        )
        assert response.status_code == 409, (method, path, response.json())
        assert response.json()["field"] == "revision"


def test_write_errors_name_the_field_in_the_body(world, api_as) -> None:
    helen, _ = _family(world)
    client = api_as(world.practitioner_a)
    decision = _start(client, helen.pk).json()
    url = f"/decisions/{decision['id']}"
    cases = [
        ("post", "/answers", {"answers": {"purpose": "maybe"}}, 400, "answers.purpose"),
        ("post", "/answers", {"answers": {"purpose": 3}}, 400, "answers.purpose"),
        ("post", "/answers", {"answers": ["purpose"]}, 422, "answers"),
        ("post", "/answers", {"answers": {"purpose": "yes"}, "revision": "1"}, 422, "revision"),
        ("patch", "", {"details": {"person_told": "perhaps"}}, 400, "details.person_told"),
        ("patch", "", {"details": {"person_told": 1}}, 422, "details.person_told"),
        ("patch", "", {"details": {"colour": "blue"}}, 422, "details.colour"),
        ("post", "/sign", {"revision": True}, 422, "revision"),
    ]
    for method, path, body, status, field in cases:
        body = {"revision": decision["revision"], **body}
        response = client.send(method, url + path, body)
        assert (response.status_code, response.json()["field"]) == (status, field), body
    missing = client.post("/decisions", {"person_id": helen.pk})
    assert missing.status_code == 422
    assert missing.json() == {"error": "'purpose' is required", "field": "purpose"}
    empty = _start(client, helen.pk, purpose="  ")
    assert (empty.status_code, empty.json()["field"]) == (400, "purpose")
    bad_pack = _start(client, helen.pk, pack="hmg-1066")
    assert (bad_pack.status_code, bad_pack.json()["field"]) == (400, "pack")


def test_another_agency_sees_nothing(world, api_as) -> None:
    helen, _ = _family(world)
    decision = _start(api_as(world.practitioner_a), helen.pk).json()
    officer_b = api_as(world.practitioner_b)
    missing_id = decision["id"] + 1000

    theirs = officer_b.get(f"/decisions/{decision['id']}")
    missing = officer_b.get(f"/decisions/{missing_id}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()

    for path, body in (
        ("/answers", {"answers": {"purpose": "yes"}, "revision": 1}),
        ("/sign", {"revision": 1}),
        ("/correct", None),
    ):
        response = officer_b.post(f"/decisions/{decision['id']}{path}", body)
        assert response.status_code == 404, path
    assert officer_b.patch(f"/decisions/{decision['id']}", {"revision": 1}).status_code == 404

    started = _start(officer_b, helen.pk)
    assert started.status_code == 404
    assert started.json()["field"] == "person_id"
    assert api_as(world.outsider).get(f"/decisions/{decision['id']}").status_code == 404


def test_an_auditor_may_read_but_not_write(world, api_as) -> None:
    helen, _ = _family(world)
    decision = _start(api_as(world.practitioner_a), helen.pk).json()
    auditor = api_as(world.auditor_a)
    assert auditor.get(f"/decisions/{decision['id']}").status_code == 200
    assert auditor.get(f"/people/{helen.pk}").status_code == 200
    refusals = [
        _start(auditor, helen.pk),
        auditor.post(
            f"/decisions/{decision['id']}/answers",
            {"answers": {"purpose": "yes"}, "revision": decision["revision"]},
        ),
        auditor.patch(
            f"/decisions/{decision['id']}",
            {"details": {"notes": "x"}, "revision": decision["revision"]},
        ),
        auditor.post(f"/decisions/{decision['id']}/sign", {"revision": decision["revision"]}),
    ]
    for response in refusals:
        assert response.status_code == 403
        assert response.json() == {
            "error": "Your role can read decisions but not make them",
            "field": None,
        }


def test_a_safeguarding_lead_may_decide(world, api_as) -> None:
    helen, _ = _family(world)
    started = _start(api_as(world.lead_a), helen.pk)
    assert started.status_code == 201
    assert started.json()["created_by"] == "lead_a"


def test_text_in_any_script_round_trips_through_post_and_get(world, api_as) -> None:
    helen, _ = _family(world)
    client = api_as(world.practitioner_a)
    texts = {
        "purpose": "Rhannu pryderon am Siân Llŷr gyda'r gwasanaethau plant 🙂",
        "recipient": "Zespół ds. ochrony dzieci: Zażółć Gęślą",
        "information": ["ملاحظات المعلمة عن لينا", "🧸 a drawing she made", "naïve café"],
    }
    started = _start(client, helen.pk, **texts)
    assert started.status_code == 201
    fetched = client.get(f"/decisions/{started.json()['id']}").json()
    assert {name: fetched[name] for name in texts} == texts
    assert {name: started.json()[name] for name in texts} == texts


# The token with its user, the user's agencies and roles, the decision locked among those
# agencies with what the write checks, the save, the three statements that append the audit
# entry, and the savepoint and its release that the test's transaction makes of the
# service's. Before, the route read the decision once to check its agency and the service
# read the roles again: two more on every write (docs/performance.md).
API_DECISION_WRITE_QUERIES = 9


def test_an_api_write_reads_the_decision_and_the_roles_once(
    world, api_as, django_assert_num_queries
) -> None:
    helen, _ = _family(world)
    client = api_as(world.practitioner_a)
    decision = _start(client, helen.pk).json()
    with django_assert_num_queries(API_DECISION_WRITE_QUERIES):
        response = client.post(
            f"/decisions/{decision['id']}/answers",
            {"answers": {"purpose": "yes"}, "revision": decision["revision"]},
        )
    assert response.status_code == 200, response.json()
    assert response.json()["revision"] == decision["revision"] + 1
