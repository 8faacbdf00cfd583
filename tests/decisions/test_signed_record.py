"""The signed record is the record: what was signed is what every view shows, whatever
happens to the pack files afterwards; replaying it is a separate check that says what
differs; a correction copies every field of the version it corrects."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import pytest
from django.test import Client, RequestFactory

from sharewise.cli import main
from sharewise.decisions import services
from sharewise.decisions.models import Decision, Status
from sharewise.decisions.pdf import decision_pdf_html
from sharewise.decisions.selectors import decision_record, decision_replay
from sharewise.decisions.views import _record_context
from sharewise.guidance.packs import pack_get
from sharewise.rights import services as rights_services
from tests.factories import PersonFactory, api_token_for, personas

pytestmark = pytest.mark.django_db

# Under the 2018 advice: consent given and covering the share, and evidence of harm to the
# child. The path decides on consent and never asks about harm, but the refer-now
# interrupt reads the harm answer off that path: the signed record must keep it.
CONSENT_AND_HARM_2018 = {
    "purpose": "yes",
    "consent": "given",
    "consent_covers": "yes",
    "child_harm": "evidence",
}
CONSENT_2008 = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "given",
    "consent_covers": "yes",
}
DETAILS = {
    "article6_basis": "consent",
    "special_category_condition": "explicit_consent",
    "person_told": "yes",
}


@pytest.fixture
def world() -> Any:
    return personas()


def _signed(world: Any, answers: dict[str, Any], pack_id: str = "hmg-2018") -> Decision:
    person = PersonFactory(agency=world.agency_a, created_by=world.practitioner_a)
    decision = services.decision_start(
        user=world.practitioner_a,
        person=person,
        purpose="Share the bruising seen with the school nurse",
        recipient="school nurse",
        pack_id=pack_id,
    )
    decision = services.decision_answer(
        user=world.practitioner_a, decision=decision, answers=answers
    )
    decision = services.decision_details_update(
        user=world.practitioner_a, decision=decision, details=DETAILS
    )
    return services.decision_sign(user=world.practitioner_a, decision=decision)


def test_an_answer_read_off_the_deciding_path_is_kept_and_replays(world: Any) -> None:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    assert (signed.outcome, signed.basis, signed.refer_now) == ("share", "consent", True)
    # Not on the trace, but refer now rests on it.
    assert "child_harm" not in [step["question"] for step in signed.trace]
    assert signed.facts["child_harm"] == "evidence"
    record = Decision.objects.get(pk=signed.pk).signed_record
    assert record["answers"]["child_harm"] == "evidence"
    assert record["outcome"]["refer_now"] is True
    assert [i["id"] for i in record["outcome"]["interrupts"]] == ["refer_now"]
    assert decision_replay(Decision.objects.get(pk=signed.pk)) == []


def test_such_a_decision_exports_and_imports_without_being_refused(world: Any) -> None:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    document = rights_services.decision_export(user=world.lead_a, decision=signed)
    assert document["outcome"]["refer_now"] is True
    theirs = PersonFactory(agency=world.agency_b, created_by=world.practitioner_b)
    imported = rights_services.decision_import(
        user=world.practitioner_b, person=theirs, document=json.dumps(document)
    )
    assert imported.refer_now is True and imported.facts["child_harm"] == "evidence"


def test_the_record_keeps_the_whole_outcome_as_signed(world: Any) -> None:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    record = Decision.objects.get(pk=signed.pk).signed_record
    pack = pack_get("hmg-2018")
    assert record["pack"] == {
        "id": pack.id,
        "version": pack.version,
        "hash": pack.hash,
        "title": pack.title,
    }
    outcome = record["outcome"]
    for key in ("trace", "citations", "how_to_share", "record", "title", "explanation"):
        assert outcome[key], key
    assert outcome["pack_hash"] == signed.pack_hash
    # The words the questions and answers were shown in, so that a reworded pack file
    # never rewords a signed record.
    assert record["words"]["consent"]["question"] == pack.questions["consent"].text
    labels = {o.value: o.label for o in pack.questions["child_harm"].options}
    assert record["words"]["child_harm"]["answer"] == labels["evidence"]


def _client(world: Any, sign_in: Any) -> Client:
    client = Client()
    sign_in(client, world.practitioner_a)
    return client


@pytest.fixture
def signed_then_edited(world: Any) -> tuple[Decision, str]:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    pack = pack_get("hmg-2018")
    node_id = signed.signed_record["outcome"]["node"]
    original = pack.nodes[node_id]
    saved = pack.nodes
    pack.nodes = {**saved, node_id: original._replace(title="An edited title nobody signed")}
    yield Decision.objects.get(pk=signed.pk), original.title
    pack.nodes = saved


def test_the_record_page_pdf_api_and_export_show_the_signed_title(
    world: Any, sign_in: Any, signed_then_edited: tuple[Decision, str]
) -> None:
    decision, title = signed_then_edited
    page = _client(world, sign_in).get(f"/decisions/{decision.pk}/").content.decode()
    # The replay check names what differs, beside the record, which stays as signed.
    warning, shown = page.split("The record below is the decision as it was signed")
    assert "do not give what was signed" in warning and "the outcome&#x27;s title" in warning
    assert title in shown and "An edited title nobody signed" not in shown
    pdf = _client(world, sign_in).get(f"/decisions/{decision.pk}/decision.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_page = decision_pdf_html(_record_context(RequestFactory().get("/"), decision))
    assert title in pdf_page and "An edited title nobody signed" not in pdf_page
    token = api_token_for(world.practitioner_a, "Case system")
    api = (
        Client()
        .get(f"/api/v1/decisions/{decision.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        .json()
    )
    assert api["signed_outcome"]["title"] == title
    assert api["refer_now"] is True and api["refer_now_assessed"] is True
    document = rights_services.decision_export(user=world.lead_a, decision=decision)
    assert document["outcome"]["refer_now"] is True
    assert decision_record(decision)["outcome"]["title"] == title
    assert decision_replay(decision) == [
        f"the outcome's title: {title} when signed, An edited title nobody signed now"
    ]


def test_the_replay_command_lists_the_decisions_that_differ(
    world: Any, signed_then_edited: tuple[Decision, str]
) -> None:
    decision, _ = signed_then_edited
    same = _signed(world, CONSENT_2008, "hmg-2008")
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["decisions", "replay"])
    lines = out.getvalue().splitlines()
    assert status == 1
    assert any(line.startswith(f"decision {decision.pk} version 1 (hmg-2018") for line in lines)
    assert not any(line.startswith(f"decision {same.pk} ") for line in lines)
    assert lines[-1] == "1 of 2 signed decisions do not replay identically"


def test_the_replay_command_says_ok_when_every_decision_replays(world: Any) -> None:
    _signed(world, CONSENT_AND_HARM_2018)
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["decisions", "replay"])
    assert status == 0
    assert (
        out.getvalue().strip()
        == "ok: 1 signed decisions replay identically under the packs shipped"
    )


def test_a_decision_signed_before_the_record_was_kept_shows_its_columns(world: Any) -> None:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    legacy = Decision.objects.get(pk=signed.pk)
    # As a row signed before migration 0005 reads: no record, the summary columns only.
    legacy.signed_record = None
    legacy.refer_now = False
    record = decision_record(legacy)
    assert record["rebuilt"] is True
    assert record["outcome"]["refer_now"] is False  # the column, as signed, not the replay


def test_a_correction_copies_every_field_of_the_version_it_corrects(world: Any) -> None:
    signed = _signed(world, CONSENT_AND_HARM_2018)
    assert signed.pack_reason
    correction = services.decision_correct(user=world.lead_a, decision=signed)
    for name in services.CORRECTION_COPIES:
        assert getattr(correction, name) == getattr(signed, name), name
    assert (correction.status, correction.signed_record, correction.corrects_id) == (
        Status.DRAFT,
        None,
        signed.pk,
    )


def test_every_field_of_a_decision_says_whether_a_correction_copies_it() -> None:
    fields = {f.name for f in Decision._meta.concrete_fields}
    copies, resets = set(services.CORRECTION_COPIES), set(services.CORRECTION_RESETS)
    assert not copies & resets
    unsaid = fields - copies - resets
    assert not unsaid, (
        f"Say in decisions.services whether a correction copies {sorted(unsaid)}: add each "
        "to CORRECTION_COPIES or, with the reason, to CORRECTION_RESETS"
    )
    assert not (copies | resets) - fields
