"""The subject access export: everything held about Helen, nothing about Oliver, never the
protected neighbour's name, as JSON and as PDF, each export audited once, and only for the
agency's safeguarding leads and auditors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied
from sharewise.rights import services
from sharewise.rights.pdf import subject_access_html
from sharewise.rights.selectors import subject_access_document
from tests.factories import api_token_for
from tests.rights.conftest import NEIGHBOUR, NEIGHBOUR_DETAIL, Case

pytestmark = pytest.mark.django_db

SECTIONS = (
    "relationships",
    "competence_assessments",
    "capacity_assessments",
    "consents",
    "decisions",
    "disclosures",
    "requests_for_information",
    "advice_requests",
    "followups",
    "meetings",
    "record_views",
)
MARKERS = (
    "MARKER-ALIAS",
    "MARKER-COMPETENCE",
    "MARKER-CAPACITY",
    "MARKER-CONSENT",
    "MARKER-DECISION",
    "MARKER-REASONS",
    "MARKER-ITEM",
    "MARKER-RELEASED",
    "MARKER-REQUEST",
    "qzadvicemarker",
    "MARKER-ANSWER",
    "MARKER-FOLLOWUP",
    "MARKER-MEETING",
    "MARKER-ACTION",
)


def _document(case: Case) -> dict:
    return subject_access_document(user=case.world.lead_a, person=case.helen)


def test_the_document_holds_every_kind_of_record_about_the_person(case: Case) -> None:
    document = _document(case)
    for section in SECTIONS:
        assert document[section], f"{section} is empty"
    text = json.dumps(document, ensure_ascii=False)
    for marker in MARKERS:
        assert marker in text, marker
    assert document["person"]["nhs_number"] == "9434765919"
    assert document["aliases"] == ["Nellie MARKER-ALIAS"]
    assert document["relationships"][0]["name"] == "Rose Marsh"
    # Both versions of the decision, with the trace and the practitioner's reasons.
    versions = [(d["version"], d["status"]) for d in document["decisions"]]
    assert versions == [(1, "Signed"), (2, "Draft")]
    assert document["decisions"][1]["corrects"] == document["decisions"][0]["id"]
    assert [step["question"] for step in document["decisions"][0]["trace"]][:2] == [
        "purpose",
        "legal_requirement",
    ]
    assert document["decisions"][0]["reasons"]["child_harm"].endswith("MARKER-REASONS")
    assert [c["response"] for c in document["consents"]] == ["Given", "Withdrawn"]
    assert len(document["disclosures"]) == 2
    assert document["disclosures"][0]["items"][0]["text"].endswith("MARKER-ITEM")
    # The advice as the lead saw it: the redacted text, never the practitioner's draft.
    assert document["advice_requests"][0]["question_as_sent"].endswith("qzadvicemarker")
    assert document["meetings"][0]["contributions"][0]["text"].endswith("MARKER-MEETING")
    assert {"Started a decision", "Signed a decision"} <= {
        v["what"] for v in document["record_views"]
    }


def test_nothing_of_another_person_is_in_it(case: Case) -> None:
    text = json.dumps(_document(case), ensure_ascii=False)
    assert "OLIVER-ONLY" not in text
    assert "Otherchild" not in text


def test_a_protected_identity_is_never_named(case: Case) -> None:
    document = _document(case)
    text = json.dumps(document, ensure_ascii=False)
    html = subject_access_html(document)
    for term in (NEIGHBOUR, NEIGHBOUR_DETAIL, "Grimshaw"):
        assert term.casefold() not in text.casefold(), term
        assert term.casefold() not in html.casefold(), term
    # The disclosure that included her for a recorded reason is withheld all the same, and
    # the decision's notes that named her too.
    released = document["disclosures"][1]["items"][0]["text"]
    assert released == "[a neighbour] will give a statement MARKER-RELEASED"
    assert document["decisions"][0]["notes"] == "[a neighbour] of [a neighbour] rang the practice"


def test_the_json_and_pdf_exports_are_each_audited_once(case: Case) -> None:
    lead = case.world.lead_a
    before = AuditEntry.objects.filter(verb="person.subject_access").count()
    exported = services.subject_access_export(user=lead, person=case.helen, file_format="json")
    assert json.loads(exported.body)["person"]["given_name"] == "Helen"
    pdf = services.subject_access_export(
        user=case.world.auditor_a, person=case.helen, file_format="pdf"
    )
    assert pdf.body.startswith(b"%PDF")
    assert pdf.content_type == "application/pdf"
    entries = list(AuditEntry.objects.filter(verb="person.subject_access").order_by("id"))
    assert len(entries) == before + 2
    json_entry, pdf_entry = entries[-2:]
    assert (json_entry.actor_username, json_entry.details["format"]) == ("lead_a", "json")
    assert (pdf_entry.actor_username, pdf_entry.details["format"]) == ("auditor_a", "pdf")
    assert json_entry.target_id == str(case.helen.pk)
    assert json_entry.details["records"]["decisions"] == 2
    # The audit entry holds counts, never the records' words.
    assert "MARKER" not in json.dumps(json_entry.details)


def test_practitioners_and_managers_are_refused_and_the_refusal_is_audited(case: Case) -> None:
    for user in (case.world.practitioner_a, case.world.manager_a):
        with pytest.raises(PermissionDenied):
            services.subject_access_export(user=user, person=case.helen, file_format="json")
    refused = AuditEntry.objects.filter(verb="person.subject_access", outcome="denied")
    assert refused.count() == 2


def test_another_agency_is_told_there_is_no_such_person(case: Case) -> None:
    with pytest.raises(NotFound):
        services.subject_access_export(
            user=case.world.practitioner_b, person=case.helen, file_format="json"
        )
    assert not AuditEntry.objects.filter(verb="person.subject_access").exists()


def test_the_web_downloads(case: Case, sign_in) -> None:
    lead = Client()
    sign_in(lead, case.world.lead_a)
    page = lead.get(f"/rights/people/{case.helen.pk}/")
    assert page.status_code == 200
    assert b"Ask for the PDF" in page.content
    response = lead.get(f"/rights/people/{case.helen.pk}/subject-access.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["format"] == "sharewise.subject-access"

    practitioner = Client()
    sign_in(practitioner, case.world.practitioner_a)
    assert (
        practitioner.get(f"/rights/people/{case.helen.pk}/subject-access.json").status_code == 403
    )
    page = practitioner.get(f"/rights/people/{case.helen.pk}/")
    assert b"Ask for the PDF" not in page.content
    other = Client()
    sign_in(other, case.world.practitioner_b)
    assert other.get(f"/rights/people/{case.helen.pk}/subject-access.json").status_code == 404


def test_the_person_page_links_leads_to_the_subject_access_export(case: Case, sign_in) -> None:
    lead = Client()
    sign_in(lead, case.world.lead_a)
    assert b"Subject access request" in lead.get(f"/people/{case.helen.pk}/").content
    practitioner = Client()
    sign_in(practitioner, case.world.practitioner_a)
    page = practitioner.get(f"/people/{case.helen.pk}/").content
    assert b"Subject access request" not in page
    assert f"/rights/people/{case.helen.pk}/".encode() in page


def _api(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_for(user, 'test')}"}


def test_the_api_export(case: Case) -> None:
    client = Client()
    url = f"/api/v1/people/{case.helen.pk}/subject-access"
    response = client.get(url, headers=_api(case.world.auditor_a))
    assert response.status_code == 200
    assert response.json()["decisions"][0]["pack"]["id"] == "hmg-2008"
    assert NEIGHBOUR not in response.content.decode()
    assert client.get(url, headers=_api(case.world.practitioner_a)).status_code == 403
    assert client.get(url, headers=_api(case.world.practitioner_b)).status_code == 404
    assert client.get(url).status_code == 401
