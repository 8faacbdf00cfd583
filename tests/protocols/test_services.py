"""The protocol register's writes: sign-off states, versions, who may do what, and the
sweep that flags protocols past review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sharewise.audit.models import AuditEntry
from sharewise.audit.seals import seal_details
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.protocols.models import Protocol, State, Status
from sharewise.protocols.selectors import (
    protocol_get_for_user,
    protocols_for_user,
    protocols_supporting_share,
)
from sharewise.protocols.services import (
    ProtocolTerms,
    protocol_create,
    protocol_new_version,
    protocol_sign,
    protocol_submit,
    protocol_update,
    protocol_withdraw,
    protocols_flag_due_for_review,
)
from tests.protocols.factories import World, in_force, terms

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _draft(world: World) -> Protocol:
    return protocol_create(user=world.admin, terms=terms([world.agency_a, world.agency_c]))


def test_in_force_only_when_every_party_has_signed(world: World) -> None:
    protocol = _draft(world)
    assert protocol.state == State.DRAFT
    protocol = protocol_submit(user=world.admin, protocol=protocol)
    assert protocol.state == State.AWAITING_SIGNOFF
    protocol_sign(
        user=world.lead_a, protocol=protocol, signatory_name="Lee A", signatory_role="Named GP"
    )
    protocol.refresh_from_db()
    # One party of two has signed: still awaiting the other.
    assert protocol.state == State.AWAITING_SIGNOFF
    assert protocol.in_force_at is None
    protocol_sign(
        user=world.lead_c,
        protocol=protocol,
        signatory_name="Cat C",
        signatory_role="Head of service",
        signed_on=timezone.localdate() - dt.timedelta(days=1),
    )
    protocol.refresh_from_db()
    assert protocol.state == State.IN_FORCE
    assert protocol.in_force_at is not None
    signatures = {s.agency_id: s for s in protocol.signatures.all()}
    assert signatures[world.agency_c.pk].signatory_role == "Head of service"
    assert signatures[world.agency_a.pk].recorded_by == world.lead_a
    verbs = list(
        AuditEntry.objects.filter(object_type="protocol", object_id=str(protocol.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "protocol.create",
        "protocol.submit",
        "protocol.sign",
        "protocol.sign",
        "protocol.in_force",
    ]


def test_a_party_signs_once(world: World) -> None:
    protocol = protocol_submit(user=world.admin, protocol=_draft(world))
    protocol_sign(user=world.lead_a, protocol=protocol, signatory_name="A", signatory_role="R")
    with pytest.raises(ServiceError, match="already signed"):
        protocol_sign(
            user=world.manager_a, protocol=protocol, signatory_name="B", signatory_role="R"
        )


def test_a_draft_cannot_be_signed(world: World) -> None:
    protocol = _draft(world)
    with pytest.raises(ServiceError, match="not awaiting sign-off") as caught:
        protocol_sign(user=world.lead_a, protocol=protocol, signatory_name="A", signatory_role="R")
    assert caught.value.field == "status"


@pytest.mark.parametrize("persona", ["practitioner_a", "auditor_a", "admin"])
def test_only_a_manager_or_lead_signs_for_a_party(world: World, persona: str) -> None:
    protocol = protocol_submit(user=world.admin, protocol=_draft(world))
    with pytest.raises(PermissionDenied):
        protocol_sign(
            user=getattr(world, persona), protocol=protocol, signatory_name="A", signatory_role="R"
        )
    assert not protocol.signatures.exists()


def test_a_lead_of_another_agency_cannot_sign_for_a_party(world: World) -> None:
    protocol = protocol_submit(user=world.admin, protocol=_draft(world))
    with pytest.raises(PermissionDenied):
        protocol_sign(
            user=world.lead_c,
            protocol=protocol,
            agency=world.agency_a,
            signatory_name="A",
            signatory_role="R",
        )
    # And a non-party's member is told there is no such protocol.
    with pytest.raises(NotFound):
        protocol_sign(
            user=world.practitioner_b, protocol=protocol, signatory_name="A", signatory_role="R"
        )


def test_signing_needs_a_name_a_role_and_no_future_date(world: World) -> None:
    protocol = protocol_submit(user=world.admin, protocol=_draft(world))
    with pytest.raises(ServiceError) as caught:
        protocol_sign(user=world.lead_a, protocol=protocol, signatory_name=" ", signatory_role="R")
    assert caught.value.field == "signatory_name"
    with pytest.raises(ServiceError) as caught:
        protocol_sign(
            user=world.lead_a,
            protocol=protocol,
            signatory_name="A",
            signatory_role="R",
            signed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert caught.value.field == "signed_on"


def test_submitting_checks_every_heading(world: World) -> None:
    protocol = protocol_create(
        user=world.admin, terms=ProtocolTerms(title="Half written", party_ids=[world.agency_a.pk])
    )
    with pytest.raises(ServiceError) as caught:
        protocol_submit(user=world.admin, protocol=protocol)
    assert caught.value.field == "parties"
    protocol.refresh_from_db()
    assert protocol.status == Status.DRAFT


@pytest.mark.parametrize(
    "persona", ["practitioner_a", "lead_a", "manager_a", "auditor_a", "practitioner_b", "outsider"]
)
def test_only_administrators_manage_the_register(world: World, persona: str) -> None:
    user = getattr(world, persona)
    the_terms = terms([world.agency_a, world.agency_c])
    with pytest.raises(PermissionDenied):
        protocol_create(user=user, terms=the_terms)
    draft = _draft(world)
    with pytest.raises(PermissionDenied):
        protocol_update(user=user, protocol=draft, terms=the_terms)
    with pytest.raises(PermissionDenied):
        protocol_submit(user=user, protocol=draft)
    protocol = in_force(world)
    with pytest.raises(PermissionDenied):
        protocol_new_version(user=user, protocol=protocol)
    with pytest.raises(PermissionDenied):
        protocol_withdraw(user=user, protocol=protocol, reason="No longer needed")
    protocol.refresh_from_db()
    assert protocol.status == Status.IN_FORCE
    assert Protocol.objects.count() == 2


def test_terms_are_fixed_once_submitted(world: World) -> None:
    protocol = protocol_submit(user=world.admin, protocol=_draft(world))
    with pytest.raises(ServiceError, match="Only a draft"):
        protocol_update(
            user=world.admin,
            protocol=protocol,
            terms=terms([world.agency_a, world.agency_c], title="Changed behind the signatories"),
        )


def test_unknown_lawful_basis_is_refused(world: World) -> None:
    bad = ProtocolTerms(title="T", party_ids=[world.agency_a.pk], article6_bases=["because"])
    with pytest.raises(ServiceError) as caught:
        protocol_create(user=world.admin, terms=bad)
    assert caught.value.field == "article6"


def test_a_new_version_supersedes_the_old_once_in_force_and_both_are_kept(world: World) -> None:
    first = in_force(world)
    second = protocol_new_version(user=world.admin, protocol=first)
    assert (second.version, second.supersedes, second.status) == (2, first, Status.DRAFT)
    assert set(second.parties.all()) == {world.agency_a, world.agency_c}
    with pytest.raises(ServiceError, match="already been started"):
        protocol_new_version(user=world.admin, protocol=first)
    protocol_submit(user=world.admin, protocol=second)
    protocol_sign(user=world.lead_a, protocol=second, signatory_name="A", signatory_role="R")
    first.refresh_from_db()
    # The old version stays in force until every party has signed the new one.
    assert first.status == Status.IN_FORCE
    protocol_sign(user=world.lead_c, protocol=second, signatory_name="C", signatory_role="R")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.SUPERSEDED, Status.IN_FORCE)
    assert first.superseded_at == second.in_force_at
    assert Protocol.objects.count() == 2


def test_withdrawing_needs_a_reason_and_keeps_the_protocol(world: World) -> None:
    protocol = in_force(world)
    with pytest.raises(ServiceError) as caught:
        protocol_withdraw(user=world.admin, protocol=protocol, reason="")
    assert caught.value.field == "reason"
    protocol = protocol_withdraw(user=world.admin, protocol=protocol, reason="Replaced by law")
    assert protocol.state == State.WITHDRAWN
    assert protocol.withdrawal_reason == "Replaced by law"
    # A withdrawn protocol supports no share.
    assert (
        protocols_supporting_share(agency=world.agency_a, recipient=world.agency_c, purpose="")
        == []
    )


def test_parties_and_administrators_read_others_do_not(world: World) -> None:
    protocol = in_force(world)
    for reader in (world.practitioner_a, world.auditor_a, world.practitioner_c, world.admin):
        assert protocol_get_for_user(user=reader, protocol_id=protocol.pk) == protocol
    for stranger in (world.practitioner_b, world.outsider):
        with pytest.raises(NotFound):
            protocol_get_for_user(user=stranger, protocol_id=protocol.pk)
        assert not protocols_for_user(user=stranger).exists()


def test_a_draft_is_for_administrators_only(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(NotFound):
        protocol_get_for_user(user=world.lead_a, protocol_id=draft.pk)
    assert protocol_get_for_user(user=world.admin, protocol_id=draft.pk) == draft


# --- Review --------------------------------------------------------------------------


def _review_entries(protocol: Protocol) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            verb="protocol.review_due", object_type="protocol", object_id=str(protocol.pk)
        )
    )


def test_the_sweep_flags_a_protocol_past_review_once(world: World) -> None:
    overdue = in_force(world, review_date=TODAY - dt.timedelta(days=1))
    current = in_force(world, title="Current", review_date=TODAY + dt.timedelta(days=10))
    due_today = in_force(world, title="Due today", review_date=TODAY)
    assert protocols_flag_due_for_review(today=TODAY) == [overdue]
    overdue.refresh_from_db()
    assert overdue.review_flagged_for == overdue.review_date
    assert overdue.review_flagged_at is not None
    assert overdue.state_on(TODAY) == State.PAST_REVIEW
    assert due_today.state_on(TODAY) == State.IN_FORCE
    # Run again, and again the next day: nothing new, and one audit entry only.
    assert protocols_flag_due_for_review(today=TODAY) == []
    assert protocols_flag_due_for_review(today=TODAY + dt.timedelta(days=1)) == [due_today]
    assert len(_review_entries(overdue)) == 1
    details = _review_entries(overdue)[0].details
    assert details["review_date"] == overdue.review_date.isoformat()
    # The flag changes the protocol in force, which is sealed again (issue 17).
    assert details == {
        "review_date": details["review_date"],
        **seal_details("protocol", overdue.pk),
    }
    assert _review_entries(overdue)[0].actor is None
    assert _review_entries(current) == []


def test_a_new_review_date_is_flagged_in_its_turn(world: World) -> None:
    first = in_force(world, review_date=TODAY - dt.timedelta(days=30))
    protocols_flag_due_for_review(today=TODAY)
    second = protocol_new_version(user=world.admin, protocol=first)
    protocol_update(
        user=world.admin,
        protocol=second,
        terms=terms([world.agency_a, world.agency_c], review_date=TODAY + dt.timedelta(days=5)),
    )
    protocol_submit(user=world.admin, protocol=second)
    protocol_sign(user=world.lead_a, protocol=second, signatory_name="A", signatory_role="R")
    protocol_sign(user=world.lead_c, protocol=second, signatory_name="C", signatory_role="R")
    # The superseded version is no longer flagged; the new one is, once its date passes.
    assert protocols_flag_due_for_review(today=TODAY + dt.timedelta(days=6)) == [second]
    assert len(_review_entries(first)) == 1
    assert len(_review_entries(second)) == 1


def test_drafts_and_withdrawn_protocols_are_not_flagged(world: World) -> None:
    protocol_create(
        user=world.admin,
        terms=terms([world.agency_a, world.agency_c], review_date=TODAY - dt.timedelta(days=3)),
    )
    withdrawn = in_force(world, review_date=TODAY - dt.timedelta(days=3))
    protocol_withdraw(user=world.admin, protocol=withdrawn, reason="Ended")
    assert protocols_flag_due_for_review(today=TODAY) == []
