"""The disclosure services: only what the decision allows is shared, identities of people
who could be harmed are withheld, and the recipient sees the content only after accepting
the limits on onward sharing (003 3.49 to 3.51)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sharewise.agencies.models import Role
from sharewise.audit.models import AuditEntry
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.services import consent_record
from sharewise.decisions import services as decision_services
from sharewise.decisions.selectors import decision_get_for_user
from sharewise.disclosures import services
from sharewise.disclosures.models import Disclosure, DisclosureItem
from sharewise.disclosures.selectors import (
    disclosure_get_for_user,
    disclosures_received_for_user,
)
from sharewise.people.selectors import person_get_for_user
from tests.factories import member

from .conftest import PURPOSE, consent_decision, item, send, signed_decision

pytestmark = pytest.mark.django_db


def test_a_share_through_sharewise_keeps_each_item_as_shared(partnership) -> None:
    p = partnership
    decision = signed_decision(p)
    disclosure = send(
        p,
        decision,
        items=[
            item("Amy missed 6 days in March"),
            item("Amy came in hungry on 3 days", source="Class teacher", historical=True),
            item("I think Amy is afraid to go home", kind="opinion", source="Class teacher"),
        ],
    )
    assert disclosure.state == "sent" and disclosure.purpose == PURPOSE
    items = list(DisclosureItem.objects.filter(disclosure=disclosure))
    assert [(i.position, i.kind, i.historical) for i in items] == [
        (1, "fact", False),
        (2, "fact", True),
        (3, "opinion", False),
    ]
    assert items[2].text == "I think Amy is afraid to go home"
    entry = AuditEntry.objects.get(verb="disclosure.send")
    assert entry.object_id == str(disclosure.pk) and entry.details["items"] == 3


TOMORROW = "an item dated tomorrow"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"purpose": "Tell the housing team"}, "purpose", "decision of its own"),
        ({"channel": "phone"}, "identity_check", "confirmed the identity"),
        ({"channel": "secure_email"}, "channel_details", "email address"),
        ({"items": []}, "items", "Add the information"),
        ({"items": [item(kind="")]}, "items.0.kind", "fact or an opinion"),
        ({"items": [item(source=" ")]}, "items.0.source", "comes from"),
        ({"items": [item(dated=None)]}, "items.0.dated", "date"),
        # Worked out when the test runs, not when it is collected: a run that crosses
        # midnight would otherwise send an item dated today.
        ({"items": [TOMORROW]}, "items.0.dated", "future"),
    ],
)
def test_what_the_decision_does_not_allow_is_refused_with_the_reason(
    partnership, change, field, words
) -> None:
    if change.get("items") == [TOMORROW]:
        change = {"items": [item(dated=timezone.localdate() + dt.timedelta(days=1))]}
    decision = signed_decision(partnership)
    with pytest.raises(ServiceError) as refused:
        send(partnership, decision, **change)
    assert refused.value.field == field and words in refused.value.message
    assert not Disclosure.objects.exists()


def test_a_recipient_the_decision_does_not_name_is_refused(partnership) -> None:
    p = partnership
    decision = signed_decision(p)
    with pytest.raises(ServiceError) as refused:
        send(p, decision, recipient_agency=p.police, recipient_user=p.police_officer)
    assert refused.value.field == "recipient"
    assert "'Health visiting', not with Northtown Police" in refused.value.message


def test_the_named_person_must_work_at_the_recipient_agency(partnership) -> None:
    p = partnership
    with pytest.raises(ServiceError) as refused:
        send(p, signed_decision(p), recipient_user=p.police_officer)
    assert refused.value.field == "recipient" and "Northtown Health" in refused.value.message


def test_a_recipient_not_offered_is_refused_without_being_named(partnership) -> None:
    # Issue 17: the refusal named whoever the id belonged to, an auditor or administrator
    # of the recipient agency, or someone of a third agency altogether.
    p = partnership
    health_auditor = member(p.health, Role.AUDITOR, "healthauditor")
    health_auditor.first_name, health_auditor.last_name = "Dana", "Quill"
    health_auditor.save()
    for someone in (health_auditor, p.police_officer):
        with pytest.raises(ServiceError) as refused:
            send(p, signed_decision(p), recipient_user=someone)
        message = refused.value.message
        assert refused.value.field == "recipient"
        assert someone.get_username() not in message and "Quill" not in message, message
    assert not Disclosure.objects.exists()


def test_only_the_kinds_of_information_the_decision_names(partnership) -> None:
    p = partnership
    decision = signed_decision(p, information=("attendance",))
    with pytest.raises(ServiceError) as refused:
        send(p, decision, items=[item(information_kind="health")])
    assert refused.value.field == "items.0.information_kind"
    disclosure = send(p, decision, items=[item(information_kind="Attendance")])
    assert DisclosureItem.objects.get(disclosure=disclosure).information_kind == "attendance"


def test_nothing_is_shared_from_a_draft_or_a_decision_not_to_share(partnership) -> None:
    p = partnership
    draft = decision_services.decision_start(
        user=p.teacher, person=p.child, purpose=PURPOSE, pack_id="hmg-2008"
    )
    with pytest.raises(ServiceError, match="Sign the decision"):
        send(p, draft)
    not_confidential_but_no_purpose = decision_services.decision_answer(
        user=p.teacher, decision=draft, answers={"purpose": "no"}
    )
    assert not_confidential_but_no_purpose.outcome == "do_not_share"
    signed = decision_services.decision_sign(
        user=p.teacher, decision=not_confidential_but_no_purpose
    )
    with pytest.raises(ServiceError, match="not to share"):
        send(p, signed)


def test_an_auditor_reads_but_does_not_share(partnership) -> None:
    with pytest.raises(PermissionDenied):
        send(partnership, signed_decision(partnership), user=partnership.auditor)


def test_another_agency_cannot_share_the_schools_decision(partnership) -> None:
    with pytest.raises(NotFound):
        send(partnership, signed_decision(partnership), user=partnership.hv)


def test_a_share_within_the_consent_is_allowed_and_beyond_it_refused(partnership) -> None:
    p = partnership
    decision = consent_decision(p, information=("attendance", "health"))
    assert (decision.outcome, decision.basis) == ("share", "consent")
    # The decision names health too, but the consent covers attendance and health; a
    # consent narrowed later to attendance alone no longer covers health.
    consent_record(
        user=p.teacher,
        person=p.child,
        given_by="parent",
        party="mother",
        response="given",
        informed_points=["why", "what", "who", "purpose", "implications"],
        purposes=[PURPOSE],
        recipients=["Health visiting"],
        information=["attendance"],
    )
    assert send(p, decision, items=[item(information_kind="attendance")]).pk
    with pytest.raises(ServiceError) as refused:
        send(p, decision, items=[item("Amy has asthma", information_kind="health")])
    assert refused.value.field == "consent"
    assert "does not cover sharing 'health'" in refused.value.message


def test_consent_withdrawn_after_the_decision_stops_the_share(partnership) -> None:
    p = partnership
    decision = consent_decision(p)
    consent_record(
        user=p.teacher, person=p.child, given_by="parent", party="mother", response="withdrawn"
    )
    with pytest.raises(ServiceError) as refused:
        send(p, decision, items=[item(information_kind="attendance")])
    assert refused.value.field == "consent" and "'withdrawn'" in refused.value.message


def test_a_protected_identity_is_withheld_unless_included_with_a_reason(partnership) -> None:
    p = partnership
    neighbour = services.protected_identity_add(
        user=p.teacher, person=p.child, name="Ann Jones", role="neighbour", details="14 Elm Road"
    )
    referrer = services.protected_identity_add(
        user=p.teacher, person=p.child, name="Mr Patel", role="referrer"
    )
    decision = signed_decision(p)
    text = "ann  JONES of 14 Elm Road heard shouting; Mr Patel told the office. Annual review due."
    disclosure = send(p, decision, items=[item(text, source="Ann Jones, by phone")])
    shared = DisclosureItem.objects.get(disclosure=disclosure)
    assert shared.text == (
        "[a neighbour] of [a neighbour] heard shouting; [the referrer] told the office. "
        "Annual review due."
    )
    assert shared.source == "[a neighbour], by phone"
    assert disclosure.withheld_identities == sorted([neighbour.pk, referrer.pk])

    with pytest.raises(ServiceError) as refused:
        send(p, decision, items=[item(text)], include_identities={referrer.pk: " "})
    assert refused.value.field == f"identities.{referrer.pk}"
    included = send(
        p,
        decision,
        items=[item(text)],
        include_identities={referrer.pk: "He is a witness the police must speak to"},
    )
    assert "Mr Patel told the office" in DisclosureItem.objects.get(disclosure=included).text
    assert included.withheld_identities == [neighbour.pk]


def test_the_recipient_acknowledges_the_limits_before_seeing_the_content(partnership) -> None:
    p = partnership
    # Sent for anyone at the health visiting team who works with case records to read.
    disclosure = send(p, signed_decision(p), readers="agency")

    first = services.disclosure_read(user=p.hv, disclosure=disclosure)
    assert (first.items, first.refused) == (None, "not_acknowledged")
    disclosure.refresh_from_db()
    # Opened, but nobody has seen the content, so the sender is not told it was read.
    assert disclosure.state == "opened" and disclosure.opened_at is not None
    assert (disclosure.read_at, disclosure.read_by) == (None, None)

    # Someone else at the health visiting team sees it is there, but only the named
    # recipient accepts the limits.
    with pytest.raises(PermissionDenied):
        services.disclosure_acknowledge(user=p.hv_lead, disclosure=disclosure)
    with pytest.raises(PermissionDenied):
        services.disclosure_acknowledge(user=p.teacher, disclosure=disclosure)
    services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)

    reading = services.disclosure_read(user=p.hv_lead, disclosure=disclosure)
    assert [i.text for i in reading.items or []] == ["Amy missed 6 days in March"]
    disclosure.refresh_from_db()
    assert disclosure.state == "acknowledged" and disclosure.acknowledged_by == p.hv
    # Read when the named recipient accepted the limits and was shown the content.
    assert (disclosure.read_at, disclosure.read_by) == (disclosure.acknowledged_at, p.hv)
    reads = AuditEntry.objects.filter(verb="disclosure.read", object_id=str(disclosure.pk))
    assert [e.actor_username for e in reads] == ["namednurse"]


def test_the_recipient_reaches_the_disclosure_and_nothing_else(partnership) -> None:
    p = partnership
    decision = signed_decision(p)
    disclosure = send(p, decision)
    assert disclosure_get_for_user(user=p.hv, disclosure_id=disclosure.pk) == disclosure
    with pytest.raises(NotFound):
        person_get_for_user(user=p.hv, person_id=p.child.pk)
    with pytest.raises(NotFound):
        decision_get_for_user(user=p.hv, decision_id=decision.pk)
    # The police are not party to it at all.
    with pytest.raises(NotFound):
        disclosure_get_for_user(user=p.police_officer, disclosure_id=disclosure.pk)
    with pytest.raises(NotFound):
        services.disclosure_read(user=p.police_officer, disclosure=disclosure)
    with pytest.raises(NotFound):
        services.disclosure_acknowledge(user=p.police_officer, disclosure=disclosure)
    assert list(disclosures_received_for_user(user=p.police_officer)) == []


def test_a_share_recorded_by_phone_is_not_in_the_recipients_inbox(partnership) -> None:
    p = partnership
    disclosure = send(
        p,
        signed_decision(p),
        channel="phone",
        recipient_user=None,
        recipient_name="Beth Morgan",
        identity_check="Called back on the number in the health visiting directory",
    )
    assert disclosure.state == "recorded"
    assert list(disclosures_received_for_user(user=p.hv)) == []
    with pytest.raises(NotFound):
        disclosure_get_for_user(user=p.hv, disclosure_id=disclosure.pk)


def test_withdrawn_the_recipient_sees_that_it_was_withdrawn_not_the_content(partnership) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p))
    services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(user=p.hv, disclosure=disclosure, reason="x")
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(user=p.auditor, disclosure=disclosure, reason="x")
    with pytest.raises(ServiceError) as no_reason:
        services.disclosure_withdraw(user=p.dsl, disclosure=disclosure, reason="")
    assert no_reason.value.field == "reason"
    services.disclosure_withdraw(user=p.dsl, disclosure=disclosure, reason="Sent in error")
    reading = services.disclosure_read(user=p.hv, disclosure=disclosure)
    assert (reading.items, reading.refused) == (None, "withdrawn")
    # The sender keeps its record of what was shared.
    assert services.disclosure_read(user=p.teacher, disclosure=disclosure).items
    with pytest.raises(ServiceError):
        services.disclosure_withdraw(user=p.dsl, disclosure=disclosure, reason="again")


def test_after_its_expiry_date_the_recipient_no_longer_sees_the_content(
    partnership, monkeypatch
) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p), expires_on=timezone.localdate() + dt.timedelta(days=7))
    services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)
    assert services.disclosure_read(user=p.hv, disclosure=disclosure).items

    # Eight days on, as the disclosure's expiry reads the date. (Its expiry date cannot be
    # moved instead: an acknowledged disclosure is never changed, issue 17.)
    eight_days_on = timezone.localdate() + dt.timedelta(days=8)
    monkeypatch.setattr(
        "sharewise.disclosures.models.timezone",
        SimpleNamespace(localdate=lambda: eight_days_on),
    )
    reading = services.disclosure_read(user=p.hv, disclosure=disclosure)
    assert (reading.items, reading.refused) == (None, "expired")
    monkeypatch.undo()
    with pytest.raises(ServiceError, match="must be in the future"):
        send(p, signed_decision(p), expires_on=timezone.localdate())


def test_when_and_how_the_person_was_told(partnership) -> None:
    p = partnership
    disclosure = send(p, signed_decision(p))
    with pytest.raises(ServiceError) as no_how:
        services.disclosure_subject_told(user=p.teacher, disclosure=disclosure, how=" ")
    assert no_how.value.field == "how"
    told = services.disclosure_subject_told(
        user=p.teacher, disclosure=disclosure, how="Told Amy's mother at the school gate"
    )
    assert told.subject_told_at is not None and told.subject_told_recorded_by == p.teacher
    with pytest.raises(ServiceError, match="already recorded"):
        services.disclosure_subject_told(user=p.teacher, disclosure=disclosure, how="again")
    assert AuditEntry.objects.filter(verb="disclosure.subject_told").count() == 1


def test_not_told_where_the_decision_says_the_person_will_not_be(partnership) -> None:
    p = partnership
    decision = signed_decision(
        p,
        details={
            "article6_basis": "public_task",
            "special_category_condition": "safeguarding",
            "paragraph18_reason": "would_prejudice_protection",
            "person_told": "no",
            "person_not_told_reason": "Telling the father would put Amy at risk",
        },
    )
    disclosure = send(p, decision)
    with pytest.raises(ServiceError, match="would put Amy at risk"):
        services.disclosure_subject_told(user=p.teacher, disclosure=disclosure, how="Told him")


def test_opening_a_disclosure_without_its_content_is_not_reading_it(partnership) -> None:
    # Issue 17: someone of the recipient's agency who is shown no content (here before the
    # limits are accepted, and after a withdrawal) has not read it, whatever their role.
    p = partnership
    disclosure = send(p, signed_decision(p))
    assert services.disclosure_read(user=p.hv_lead, disclosure=disclosure).items is None
    services.disclosure_withdraw(user=p.dsl, disclosure=disclosure, reason="Sent in error")
    assert services.disclosure_read(user=p.hv, disclosure=disclosure).items is None
    disclosure.refresh_from_db()
    assert disclosure.opened_at is not None
    assert (disclosure.read_at, disclosure.read_by) == (None, None)
    opens = AuditEntry.objects.filter(verb="disclosure.open", object_id=str(disclosure.pk))
    assert [e.details["why"] for e in opens.order_by("id")] == ["not_acknowledged", "withdrawn"]


def test_by_default_only_the_named_recipient_reads_it(partnership) -> None:
    # Issue 17: need to know (004 "Necessary and proportionate"; 003 3.49). Sent to the
    # health visitor, it is hers to read: her agency's lead sees that it is there, and not
    # what it says, unless the sender chose to let the whole agency read it.
    p = partnership
    disclosure = send(p, signed_decision(p))
    assert disclosure.readers == "named"
    services.disclosure_acknowledge(user=p.hv, disclosure=disclosure)
    assert [i.text for i in services.disclosure_read(user=p.hv, disclosure=disclosure).items or []]
    other = services.disclosure_read(user=p.hv_lead, disclosure=disclosure)
    assert (other.items, other.refused) == (None, "named_only")
    opens = AuditEntry.objects.filter(verb="disclosure.open", object_id=str(disclosure.pk))
    assert [(e.actor_username, e.details["why"]) for e in opens] == [("namednurse", "named_only")]
    # The sender still reads their own record.
    assert services.disclosure_read(user=p.teacher, disclosure=disclosure).items


def test_who_may_read_it_is_one_of_the_two(partnership) -> None:
    p = partnership
    with pytest.raises(ServiceError) as refused:
        send(p, signed_decision(p), readers="everyone")
    assert refused.value.field == "readers"
    assert not Disclosure.objects.exists()
