"""Words, not codes: every scenario of tests/scenarios/cases that ends in an outcome is taken
through the services, and its outcome page, its record page once signed and its PDF's page
are read for any contract or pack identifier shown as text (`must_share`, `MUSTSHARE`,
`legal_obligation`, `duty_sender_bound`, `safeguarding-condition`...). A person reads the
pack's and the contract's words, never the names programs use."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from sharewise.decisions import services
from sharewise.decisions.models import Decision
from sharewise.decisions.pdf import decision_pdf_html
from sharewise.decisions.views import _record_context
from sharewise.guidance.facts import DATE_KEY, PACK_KEY
from sharewise.guidance.packs import pack_get, packs_all
from sharewise.guidance.words import BASIS_WORDS, CONSENT_WORDS
from tests.factories import PersonFactory, personas

pytestmark = pytest.mark.django_db

CASES = Path(__file__).parents[1] / "scenarios" / "cases"
SHARING_DETAILS = {
    "legal_obligation": "legal_obligation",
    "consent": "consent",
    "vital_interests": "vital_interests",
    "recognised_legitimate_interest": "recognised_legitimate_interest",
}


def _ending_in_an_outcome() -> list[Path]:
    chosen = []
    for path in sorted(CASES.glob("*.json")):
        scenario = json.loads(path.read_text())
        expect = scenario.get("expect", {})
        if scenario.get("kind", "decide") != "decide" or "facts" not in scenario:
            continue
        if expect.get("exit", 0) or expect.get("outcome", "ask") == "ask":
            continue
        chosen.append(path)
    return chosen


def _identifiers() -> set[str]:
    """Every name a program uses that a person must never read: the contract's outcome and
    basis values and fact ids, every pack's fact ids, node ids and citations by topic, each
    also as it reads with its underscores lost (`mustshare`)."""
    names: set[str] = {"must_share", "do_not_share", "seek_consent", "seek_advice"}
    for pack in packs_all():
        names |= set(pack.facts)
        names |= set(pack.nodes)
        for spec in pack.facts.values():
            names |= {v for v in spec.values if "_" in v}
        for node in pack.nodes.values():
            if node.basis:
                names.add(node.basis)
            names |= {c for c in node.cite if "-" in c}
    named = {n for n in names if "_" in n or "-" in n}
    return named | {n.replace("_", "") for n in named if "_" in n}


IDENTIFIERS = _identifiers()


def _visible_text(page: str) -> str:
    """The words on the page: no markup, attribute values, scripts or styles."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return html.unescape(page)


def _codes_in(text: str) -> list[str]:
    found = []
    for name in IDENTIFIERS:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags=re.IGNORECASE):
            found.append(name)
    return sorted(found)


def _decided(world: Any, scenario: dict[str, Any]) -> Decision:
    facts = dict(scenario["facts"])
    pack_id = facts.pop(PACK_KEY)
    facts.pop(DATE_KEY, None)
    reasons = facts.pop("reasons", {})
    pack = pack_get(pack_id)
    for node in pack.nodes.values():
        # A judgement is never recorded without its reasons (3.41): a scenario for the
        # engine alone may leave them out.
        if node.kind == "judgement" and node.fact in facts and node.fact not in reasons:
            reasons[node.fact] = "The reasons the practitioner gave for this judgement."
    if facts.get("public_authority") == "no":
        # The service checks the answer against the agency (Article 6(1), closing words).
        world.agency_a.public_authority = False
        world.agency_a.save()
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = services.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Share the concern with children's social care",
        recipient="children's social care",
        pack_id=pack_id,
    )
    return services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=facts, reasons=reasons
    )


def _signed(world: Any, decision: Decision) -> Decision:
    if decision.outcome in services.SHARING:
        details = {
            "article6_basis": SHARING_DETAILS.get(decision.basis, "public_task"),
            "special_category_condition": "not_special",
            "person_told": "yes" if decision.inform_subject != "no" else "no",
            "person_not_told_reason": "Telling them would put the child at risk.",
        }
        decision = services.decision_details_update(
            user=world.practitioner_a, decision=decision, details=details
        )
    return services.decision_sign(user=world.practitioner_a, decision=decision)


@pytest.mark.parametrize("path", _ending_in_an_outcome(), ids=lambda p: p.stem)
def test_no_identifier_is_shown_as_text(path: Path, sign_in: Any) -> None:
    world = personas()
    decision = _decided(world, json.loads(path.read_text()))
    client = Client()
    sign_in(client, world.practitioner_a)
    outcome_page = client.get(f"/decisions/{decision.pk}/outcome/")
    assert outcome_page.status_code == 200
    assert _codes_in(_visible_text(outcome_page.content.decode())) == [], "outcome page"
    signed = _signed(world, decision)
    record_page = client.get(f"/decisions/{signed.pk}/")
    assert record_page.status_code == 200
    assert _codes_in(_visible_text(record_page.content.decode())) == [], "record page"
    pdf_page = decision_pdf_html(_record_context(RequestFactory().get("/"), signed))
    assert _codes_in(_visible_text(pdf_page)) == [], "PDF"


def test_the_check_finds_the_codes_it_is_for() -> None:
    # The check itself: what the outcome page once showed is found.
    shown = "MUSTSHARE Legal_obligation dutysenderbound: yes (safeguarding-condition)"
    assert {"mustshare", "legal_obligation", "dutysenderbound"} <= set(_codes_in(shown))
    assert "safeguarding-condition" in _codes_in(shown)
    assert _codes_in("You must share: it is required by law (paragraph 3.43)") == []


def test_every_consent_and_basis_value_has_words() -> None:
    # The person page and the training case show these; no value may fall back to its code.
    for pack in packs_all():
        assert set(pack.facts["consent"].values) <= set(CONSENT_WORDS), pack.id
        bases = {node.basis for node in pack.nodes.values() if node.basis}
        assert bases <= set(BASIS_WORDS), pack.id
