"""Retention: due dates, the sweep, the queue, legal holds, the dry run, and disposal that
erases the personal data and leaves the audit chain verifiable (DESIGN.md capability 10;
004 "Record")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sharewise.agencies.models import Role
from sharewise.audit.models import AuditEntry
from sharewise.audit.verification import audit_chain_verify
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.models import ConsentRecord
from sharewise.crypto.fields import for_row
from sharewise.decisions.models import Decision
from sharewise.disclosures.models import Disclosure, DisclosureItem
from sharewise.followups.models import MeetingAttendee, MeetingContribution
from sharewise.guidance.audit_chain import ChainSummary
from sharewise.people.models import Person
from sharewise.retention import services
from sharewise.retention.erasure import DISPOSED_NAME
from sharewise.retention.models import RecordKind, RetentionReview, RetentionSchedule, ReviewStatus
from sharewise.retention.records import record_states, years_after
from sharewise.retention.selectors import retention_dry_run, retention_queue_for_user
from tests.factories import member

from .conftest import BORN, SECRETS, Child, assert_no_words_left, make_child

pytestmark = pytest.mark.django_db

# Every record of the child is past its date on this day: the decision at 25 years from
# birth, the others 25 years after their last activity.
ALL_DUE = timezone.localdate() + dt.timedelta(days=366 * 26)
KINDS = (RecordKind.CHILD_PROTECTION, RecordKind.CONSENT, RecordKind.DISCLOSURE, RecordKind.MEETING)


def _states(child: Child) -> dict[str, Any]:
    return {s.ref.kind: s for s in record_states(person_id=child.person.pk)}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _chain_holds() -> bool:
    result, checks = audit_chain_verify()
    head = checks[0] if checks else None
    return isinstance(result, ChainSummary) and (head is None or head.found_hash == head.entry_hash)


def _dispose_everything(child: Child) -> list[services.Disposal]:
    services.retention_review_due(today=ALL_DUE)
    return [
        services.retention_dispose(
            user=child.people.lead_a, person=child.person, kind=kind, today=ALL_DUE
        )
        for kind in KINDS
    ]


def test_a_child_protection_record_falls_due_at_the_date_of_birth_plus_25_years(
    child: Child,
) -> None:
    state = _states(child)[RecordKind.CHILD_PROTECTION]
    assert state.ref.object_id == child.decision.pk
    assert state.due_on == dt.date(2035, 6, 15) == years_after(BORN, 25)
    assert not state.no_date_of_birth
    assert state.schedule.rule == "date of birth plus 25 years, then review"

    assert services.retention_review_due(today=dt.date(2035, 6, 14)) == 0
    assert services.retention_review_due(today=dt.date(2035, 6, 15)) == 1
    review = RetentionReview.objects.get()
    assert (review.kind, review.object_id, review.due_on) == (
        RecordKind.CHILD_PROTECTION,
        child.decision.pk,
        dt.date(2035, 6, 15),
    )


def test_without_a_date_of_birth_the_record_date_stands_in(people: Any) -> None:
    child = make_child(people, born=None, name="Nodob")
    state = _states(child)[RecordKind.CHILD_PROTECTION]
    made_on = child.decision.created_at.astimezone(dt.UTC).date()
    assert state.no_date_of_birth
    # Within a day either side of midnight in London.
    assert abs((state.due_on - years_after(made_on, 25)).days) <= 1


def test_an_adult_decision_follows_the_adult_schedule(people: Any) -> None:
    adult = make_child(people, born=dt.date(1970, 1, 1), name="Adult")
    kinds = {s.ref.kind for s in record_states(person_id=adult.person.pk)}
    assert RecordKind.ADULT_SAFEGUARDING in kinds and RecordKind.CHILD_PROTECTION not in kinds


def test_29_february_is_never_due_a_day_early() -> None:
    assert years_after(dt.date(2008, 2, 29), 25) == dt.date(2033, 3, 1)
    assert years_after(dt.date(2008, 2, 29), 4) == dt.date(2012, 2, 29)


def test_the_sweep_is_idempotent_and_is_one_of_the_daily_sweeps(child: Child) -> None:
    from sharewise.followups.tasks import SWEEPS, sweeps_run_all

    assert "sharewise.retention.services.retention_review_due" in SWEEPS
    first = services.retention_review_due(today=ALL_DUE)
    assert first == len(KINDS)
    assert services.retention_review_due(today=ALL_DUE) == 0
    assert sweeps_run_all(today=ALL_DUE)["sharewise.retention.services.retention_review_due"] == 0
    assert RetentionReview.objects.count() == first


def test_the_queue_lists_what_is_due_to_the_agencys_managers_and_leads(child: Child) -> None:
    p = child.people
    services.retention_review_due(today=ALL_DUE)
    for user in (p.lead_a, p.manager_a):
        groups = retention_queue_for_user(user=user, today=ALL_DUE)
        assert {(g.person.pk, g.kind) for g in groups} == {(child.person.pk, k) for k in KINDS}
    for user in (p.practitioner_a, p.auditor_a, p.admin, p.practitioner_b):
        with pytest.raises(PermissionDenied):
            retention_queue_for_user(user=user, today=ALL_DUE)
    # Nothing is due yet on the day before the first date.
    assert retention_queue_for_user(user=p.lead_a, today=dt.date(2035, 6, 14)) == []


def test_keeping_records_puts_them_back_in_the_queue_when_the_period_ends(child: Child) -> None:
    p = child.people
    services.retention_review_due(today=ALL_DUE)
    with pytest.raises(ServiceError) as missing:
        services.retention_keep(
            user=p.lead_a, person=child.person, kind="consent", years=5, reason="", today=ALL_DUE
        )
    assert missing.value.field == "reason"
    kept = services.retention_keep(
        user=p.lead_a,
        person=child.person,
        kind="consent",
        years=5,
        reason="Care proceedings are still open",
        today=ALL_DUE,
    )
    assert kept[0].kept_until == years_after(ALL_DUE, 5)
    kinds = {g.kind for g in retention_queue_for_user(user=p.lead_a, today=ALL_DUE)}
    assert "consent" not in kinds
    later = years_after(ALL_DUE, 5)
    assert services.retention_review_due(today=later) == 1
    assert "consent" in {g.kind for g in retention_queue_for_user(user=p.lead_a, today=later)}


def test_a_legal_hold_on_the_person_keeps_every_record_out_of_the_queue_and_disposal(
    child: Child,
) -> None:
    p = child.people
    services.retention_review_due(today=ALL_DUE)
    hold = services.legal_hold_place(
        user=p.manager_a, person=child.person, reason="Civil claim against the council"
    )
    assert retention_queue_for_user(user=p.lead_a, today=ALL_DUE) == []
    assert retention_dry_run(today=ALL_DUE).items == []
    with pytest.raises(ServiceError):
        services.retention_dispose(
            user=p.lead_a, person=child.person, kind=RecordKind.CHILD_PROTECTION, today=ALL_DUE
        )
    assert Decision.objects.get(pk=child.decision.pk).notes == SECRETS["decision_notes"]
    services.legal_hold_release(user=p.lead_a, hold=hold, reason="The claim is settled")
    assert len(retention_queue_for_user(user=p.lead_a, today=ALL_DUE)) == len(KINDS)


def test_a_legal_hold_on_one_record_keeps_only_that_record(child: Child) -> None:
    p = child.people
    # Held before the sweep: never marked due.
    services.legal_hold_place(
        user=p.lead_a,
        person=child.person,
        reason="Serious case review",
        kind=RecordKind.CHILD_PROTECTION,
        object_id=child.decision.pk,
    )
    services.retention_review_due(today=ALL_DUE)
    kinds = {g.kind for g in retention_queue_for_user(user=p.lead_a, today=ALL_DUE)}
    assert kinds == set(KINDS) - {RecordKind.CHILD_PROTECTION}
    with pytest.raises(ServiceError):
        services.retention_dispose(
            user=p.lead_a, person=child.person, kind=RecordKind.CHILD_PROTECTION, today=ALL_DUE
        )
    for kind in KINDS[1:]:
        services.retention_dispose(user=p.lead_a, person=child.person, kind=kind, today=ALL_DUE)
    # The held decision is still there, so the person is not erased either.
    assert Decision.objects.get(pk=child.decision.pk).notes == SECRETS["decision_notes"]
    assert Person.objects.get(pk=child.person.pk).family_name == SECRETS["family_name"]


def test_a_hold_placed_after_the_sweep_still_blocks_disposal(child: Child) -> None:
    p = child.people
    services.retention_review_due(today=ALL_DUE)
    services.legal_hold_place(
        user=p.lead_a,
        person=child.person,
        reason="Police investigation",
        kind=RecordKind.CONSENT,
        object_id=child.consent.pk,
    )
    with pytest.raises(ServiceError):
        services.retention_dispose(
            user=p.lead_a, person=child.person, kind=RecordKind.CONSENT, today=ALL_DUE
        )
    assert ConsentRecord.objects.get(pk=child.consent.pk).notes == SECRETS["consent_notes"]


def test_the_dry_run_changes_nothing_and_predicts_the_disposal(child: Child) -> None:
    services.retention_review_due(today=ALL_DUE)
    before = _row_counts()
    audit_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    result = retention_dry_run(today=ALL_DUE)
    call_command("retention", "--dry-run", "--today", ALL_DUE.isoformat())
    assert _row_counts() == before
    assert AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() == audit_before
    assert Decision.objects.get(pk=child.decision.pk).notes == SECRETS["decision_notes"]

    assert {(i.state.ref.kind, i.state.ref.object_id) for i in result.items} == {
        (RecordKind.CHILD_PROTECTION, child.decision.pk),
        (RecordKind.CONSENT, child.consent.pk),
        (RecordKind.DISCLOSURE, child.disclosure.pk),
        (RecordKind.MEETING, child.meeting.pk),
    }
    assert child.person.pk in result.people_erased
    disposals = _dispose_everything(child)
    erased: Any = sum((d.rows_erased for d in disposals), start=type(result.totals)())
    assert erased == result.totals


def test_the_dry_run_command_says_what_would_go(child: Child, capsys: Any) -> None:
    call_command("retention", "--dry-run", "--today", ALL_DUE.isoformat())
    out = capsys.readouterr().out
    assert "nothing has been changed" in out
    assert f"child_protection {child.decision.pk}" in out
    assert "decisions.Decision 1" in out
    assert SECRETS["family_name"] not in out


def test_disposal_erases_the_personal_data_and_leaves_a_verifiable_tombstone(
    child: Child,
) -> None:
    assert _chain_holds()
    disposals = _dispose_everything(child)
    assert disposals[-1].person_erased

    person = Person.objects.get(pk=child.person.pk)
    assert person.given_name == DISPOSED_NAME
    assert (person.family_name, person.case_reference, person.address, person.postcode) == (
        "",
        "",
        "",
        "",
    )
    assert person.date_of_birth is None

    decision = Decision.objects.get(pk=child.decision.pk)
    assert decision.status == "signed" and decision.outcome == child.decision.outcome
    assert (decision.notes, decision.purpose, decision.reasons) == ("", "", {})
    consent = ConsentRecord.objects.get(pk=child.consent.pk)
    assert (consent.notes, consent.party) == ("", "")
    assert Disclosure.objects.get(pk=child.disclosure.pk).purpose == ""
    item = DisclosureItem.objects.get(disclosure=child.disclosure)
    assert (item.text, item.source) == ("", "")
    assert MeetingContribution.objects.get(meeting=child.meeting).text == ""
    assert MeetingAttendee.objects.get(meeting=child.meeting).name == ""

    # The encrypted columns, read raw: empty, not ciphertext of the old words.
    with connection.cursor() as cursor:
        for table, column, pk in (
            ("decisions_decision", "notes", child.decision.pk),
            ("consents_consentrecord", "notes", child.consent.pk),
        ):
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
            assert cursor.fetchone() == ("",)
        cursor.execute(
            "SELECT text, source FROM disclosures_disclosureitem WHERE disclosure_id = %s",
            [child.disclosure.pk],
        )
        assert cursor.fetchone() == ("", "")

    assert_no_words_left()

    tombstones = AuditEntry.objects.filter(verb="retention.dispose").order_by("id")
    assert [t.details["kind"] for t in tombstones] == list(KINDS)
    first = tombstones[0]
    assert first.details["records"] == 1
    assert first.details["schedule"]["rule"] == "date of birth plus 25 years, then review"
    assert first.details["authorised_by"] == "lead_a"
    assert first.actor_username == "lead_a"
    assert first.target_id == str(child.person.pk)
    assert tombstones.last().details["person_erased"] is True

    assert _chain_holds()
    from sharewise.audit.audit_cli import _verify

    assert _verify(None) == 0


def test_the_signed_decision_trigger_is_back_after_disposal(child: Child) -> None:
    _dispose_everything(child)
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=child.decision.pk).update(
            notes=for_row(child.decision.pk, "rewritten")
        )


def test_a_disposed_record_is_never_due_again(child: Child) -> None:
    _dispose_everything(child)
    later = years_after(ALL_DUE, 30)
    assert services.retention_review_due(today=later) == 0
    assert retention_dry_run(today=later).items == []
    assert all(r.status == ReviewStatus.DISPOSED for r in RetentionReview.objects.all())


def test_another_agency_can_neither_see_nor_dispose(child: Child) -> None:
    p = child.people
    manager_b = member(p.agency_b, Role.MANAGER, "manager_b")
    services.retention_review_due(today=ALL_DUE)
    assert retention_queue_for_user(user=manager_b, today=ALL_DUE) == []
    with pytest.raises(NotFound):
        services.retention_dispose(
            user=manager_b, person=child.person, kind=RecordKind.CONSENT, today=ALL_DUE
        )
    with pytest.raises(NotFound):
        services.legal_hold_place(user=manager_b, person=child.person, reason="Mine")
    with pytest.raises(PermissionDenied):
        services.retention_dispose(
            user=p.practitioner_a, person=child.person, kind=RecordKind.CONSENT, today=ALL_DUE
        )
    assert ConsentRecord.objects.get(pk=child.consent.pk).notes == SECRETS["consent_notes"]


def test_only_a_partnership_administrator_changes_a_schedule(people: Any) -> None:
    schedule = RetentionSchedule.objects.get(kind=RecordKind.CHILD_PROTECTION)
    with pytest.raises(PermissionDenied):
        services.retention_schedule_update(
            user=people.manager_a,
            schedule=schedule,
            basis="date_of_birth",
            years=30,
            action="review",
        )
    with pytest.raises(ServiceError):
        services.retention_schedule_update(
            user=people.admin, schedule=schedule, basis="date_of_birth", years=0, action="review"
        )
    services.retention_schedule_update(
        user=people.admin, schedule=schedule, basis="date_of_birth", years=30, action="review"
    )
    assert RetentionSchedule.objects.get(pk=schedule.pk).years == 30
    assert AuditEntry.objects.filter(verb="retention.schedule").count() == 1


def test_disposal_deletes_a_prepared_subject_access_pdf_at_once(child: Child) -> None:
    # The PDF copies everything held about the person: it must not outlive the records
    # it copies by the week it would otherwise be kept.
    from sharewise.rights import services as rights
    from sharewise.rights.models import SubjectAccessRequest, SubjectAccessStatus

    asked = rights.subject_access_request_create(user=child.people.lead_a, person=child.person)
    rights.subject_access_request_prepare(subject_access_request_id=asked.pk)
    asked.refresh_from_db()
    assert asked.status == SubjectAccessStatus.READY and asked.pdf

    services.retention_review_due(today=ALL_DUE)
    services.retention_dispose(
        user=child.people.lead_a,
        person=child.person,
        kind=RecordKind.CHILD_PROTECTION,
        today=ALL_DUE,
    )
    asked = SubjectAccessRequest.objects.get(pk=asked.pk)
    assert (asked.status, asked.pdf, asked.pdf_size) == (SubjectAccessStatus.EXPIRED, "", 0)
    assert _chain_holds()
