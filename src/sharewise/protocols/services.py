"""Writes of the protocol register: draft, edit, submit for sign-off, sign, revise as a new
version, withdraw; and the sweep that flags protocols past their review date.

Partnership administrators manage the register (DESIGN.md, "Who uses it"); each party
agency signs through one of its managers or safeguarding leads. A protocol is in force only
when every party has signed. Once submitted its terms are never edited: a revision is a new
version, and the old one stays in the register, superseded, once the new one is in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sharewise.agencies.models import Agency
from sharewise.agencies.selectors import agency_ids_for_user
from sharewise.audit.seals import seal_details
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.decisions.models import Article6Basis, SpecialCategoryCondition
from sharewise.input_limits import LARGEST_ID

from .models import Protocol, ProtocolSignature, Status
from .sealing import IN_FORCE_VERB, REVIEW_DUE_VERB, SUPERSEDED_VERB, WITHDRAW_VERB
from .selectors import agencies_user_signs_for, user_is_partnership_admin

ARTICLE6_VALUES = frozenset(Article6Basis.values)
SPECIAL_CATEGORY_VALUES = frozenset(SpecialCategoryCondition.values)


@dataclass(frozen=True)
class ProtocolTerms:
    """What a protocol says, under the headings of the ICO data sharing code. The same
    terms come from the web form and from the API."""

    title: str
    party_ids: Sequence[int] = ()
    purposes: Sequence[str] = ()
    data_items: Sequence[str] = ()
    article6_bases: Sequence[str] = ()
    special_category_conditions: Sequence[str] = ()
    legal_powers: str = ""
    retention: str = ""
    security: str = ""
    individuals_rights: str = ""
    review_date: dt.date | None = None


def _require_admin(user: Any) -> None:
    if not user_is_partnership_admin(user=user):
        raise PermissionDenied(
            "Only a partnership administrator can manage information sharing protocols"
        )


def _clean_lines(values: Sequence[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def _apply_terms(protocol: Protocol, terms: ProtocolTerms) -> list[Agency]:
    """Check `terms` and copy them onto `protocol`; returns the party agencies, which the
    caller sets once the protocol has a key."""
    title = terms.title.strip()
    if not title:
        raise ServiceError("Enter a title for the protocol", field="title")
    wanted = list(dict.fromkeys(terms.party_ids))
    parties = (
        list(Agency.objects.filter(pk__in=wanted))
        if all(0 < pk <= LARGEST_ID for pk in wanted)
        else []
    )
    if len(parties) != len(wanted):
        raise ServiceError("Choose the parties from the agencies listed", field="parties")
    for value in terms.article6_bases:
        if value not in ARTICLE6_VALUES:
            raise ServiceError(f"'{value}' is not a lawful basis of Article 6", field="article6")
    conditions = list(dict.fromkeys(terms.special_category_conditions))
    for value in conditions:
        if value not in SPECIAL_CATEGORY_VALUES:
            raise ServiceError(
                f"'{value}' is not a special category condition", field="special_category"
            )
    if SpecialCategoryCondition.NOT_SPECIAL in conditions and len(conditions) > 1:
        raise ServiceError(
            "Either the information includes no special category data, or name the "
            "conditions relied on: not both",
            field="special_category",
        )
    protocol.title = title
    protocol.purposes = _clean_lines(terms.purposes)
    protocol.data_items = _clean_lines(terms.data_items)
    protocol.article6_bases = list(dict.fromkeys(terms.article6_bases))
    protocol.special_category_conditions = conditions
    protocol.legal_powers = terms.legal_powers.strip()
    protocol.retention = terms.retention.strip()
    protocol.security = terms.security.strip()
    protocol.individuals_rights = terms.individuals_rights.strip()
    protocol.review_date = terms.review_date
    return parties


@transaction.atomic
def protocol_create(*, user: Any, terms: ProtocolTerms) -> Protocol:
    """Start a draft protocol. A draft may be incomplete; submitting it checks it."""
    _require_admin(user)
    protocol = Protocol(created_by=user)
    parties = _apply_terms(protocol, terms)
    protocol.save()
    protocol.parties.set(parties)
    audit_append(
        actor=user,
        verb="protocol.create",
        obj=protocol,
        details={"parties": sorted(a.pk for a in parties)},
    )
    return protocol


def _locked(protocol: Protocol) -> Protocol:
    return Protocol.objects.select_for_update().get(pk=protocol.pk)


@transaction.atomic
def protocol_update(*, user: Any, protocol: Protocol, terms: ProtocolTerms) -> Protocol:
    """Change a draft. Once submitted for sign-off the terms are fixed: what each party
    signs must be what the others signed."""
    _require_admin(user)
    protocol = _locked(protocol)
    if protocol.status != Status.DRAFT:
        raise ServiceError(
            "Only a draft can be changed. Start a new version to revise this protocol.",
            field="status",
        )
    parties = _apply_terms(protocol, terms)
    protocol.save()
    protocol.parties.set(parties)
    audit_append(
        actor=user,
        verb="protocol.update",
        obj=protocol,
        details={"parties": sorted(a.pk for a in parties)},
    )
    return protocol


def protocol_submit_problems(protocol: Protocol) -> list[tuple[str, str]]:
    """What a draft still lacks before the parties can sign it, as (field, message)."""
    problems: list[tuple[str, str]] = []
    if protocol.parties.count() < 2:
        # 001 question 12: an agreement "between two or more organisations or bodies".
        problems.append(("parties", "Choose at least two agencies as parties"))
    if not protocol.purposes:
        problems.append(("purposes", "Enter the purposes of the sharing"))
    if not protocol.data_items:
        problems.append(("data_items", "Enter the data items to be shared"))
    if not protocol.article6_bases:
        problems.append(("article6", "Select the lawful basis under UK GDPR Article 6"))
    if not protocol.special_category_conditions:
        problems.append(
            (
                "special_category",
                "Say whether special category data is shared, and if so the conditions relied on",
            )
        )
    if not protocol.retention:
        problems.append(
            ("retention", "Say how long shared information is kept and how it is deleted")
        )
    if not protocol.security:
        problems.append(("security", "Say how shared information is kept secure"))
    if not protocol.individuals_rights:
        problems.append(
            ("individuals_rights", "Say how people's rights (access, objection) are met")
        )
    if not protocol.review_date:
        problems.append(("review_date", "Enter the date the protocol is to be reviewed"))
    return problems


@transaction.atomic
def protocol_submit(*, user: Any, protocol: Protocol) -> Protocol:
    """Send a complete draft to the parties for sign-off."""
    _require_admin(user)
    protocol = _locked(protocol)
    if protocol.status != Status.DRAFT:
        raise ServiceError("Only a draft can be submitted for sign-off", field="status")
    problems = protocol_submit_problems(protocol)
    if problems:
        name, message = problems[0]
        raise ServiceError(message, field=name)
    protocol.status = Status.AWAITING_SIGNOFF
    protocol.submitted_at = timezone.now()
    protocol.save()
    audit_append(actor=user, verb="protocol.submit", obj=protocol)
    return protocol


def _bring_into_force(protocol: Protocol, user: Any) -> None:
    protocol.status = Status.IN_FORCE
    protocol.in_force_at = timezone.now()
    protocol.save()
    previous = protocol.supersedes
    if previous is not None:
        previous = _locked(previous)
        if previous.status == Status.IN_FORCE:
            previous.status = Status.SUPERSEDED
            previous.superseded_at = protocol.in_force_at
            previous.save()
            # The version it replaces was sealed when it came into force; it is sealed
            # again as it now stands, superseded (issue 17; protocols/sealing.py).
            audit_append(
                actor=user,
                verb=SUPERSEDED_VERB,
                obj=previous,
                details={"by": protocol.pk, **seal_details("protocol", previous.pk)},
            )


def _sealed_again(protocol: Protocol) -> dict[str, Any]:
    """The details that seal a protocol in force again after a change the product allows
    (withdrawn, its review flagged), so `audit verify` holds it to what it is now."""
    if protocol.in_force_at is None:
        return {}
    return seal_details("protocol", protocol.pk)


@transaction.atomic
def protocol_sign(
    *,
    user: Any,
    protocol: Protocol,
    signatory_name: str,
    signatory_role: str,
    agency: Agency | None = None,
    signed_on: dt.date | None = None,
) -> ProtocolSignature:
    """Record one party's sign-off. The last party to sign brings the protocol into force,
    and the version it revises, if any, is then superseded (both are kept)."""
    protocol = _locked(protocol)
    party_ids = set(protocol.parties.values_list("pk", flat=True))
    if not user_is_partnership_admin(user=user) and not agency_ids_for_user(user=user) & party_ids:
        # Not a party: the protocol is not theirs to know about.
        raise NotFound("There is no such information sharing protocol")
    signs_for = agencies_user_signs_for(user=user, protocol=protocol)
    if not signs_for:
        raise PermissionDenied(
            "Only a manager or safeguarding lead of a party agency can sign this protocol"
        )
    signed = set(protocol.signatures.values_list("agency_id", flat=True))
    if agency is None:
        unsigned = [a for a in signs_for if a.pk not in signed]
        if len(signs_for) == 1 or len(unsigned) == 1:
            agency = unsigned[0] if unsigned else signs_for[0]
        else:
            raise ServiceError("Choose the agency you are signing for", field="agency")
    elif agency.pk not in party_ids:
        raise ServiceError(f"{agency.name} is not a party to this protocol", field="agency")
    elif agency.pk not in {a.pk for a in signs_for}:
        raise PermissionDenied(
            f"Only a manager or safeguarding lead of {agency.name} can sign for it"
        )
    if protocol.status != Status.AWAITING_SIGNOFF:
        raise ServiceError("This protocol is not awaiting sign-off", field="status")
    if agency.pk in signed:
        raise ServiceError(f"{agency.name} has already signed this protocol", field="agency")
    name, role = signatory_name.strip(), signatory_role.strip()
    if not name:
        raise ServiceError("Enter the name of the person signing", field="signatory_name")
    if not role:
        raise ServiceError("Enter the role of the person signing", field="signatory_role")
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise ServiceError("The date of signing cannot be in the future", field="signed_on")
    signature = ProtocolSignature.objects.create(
        protocol=protocol,
        agency=agency,
        signatory_name=name,
        signatory_role=role,
        signed_on=signed_on,
        recorded_by=user,
    )
    audit_append(
        actor=user,
        verb="protocol.sign",
        obj=protocol,
        agency=agency,
        details={"agency": agency.pk, "signed_on": signed_on.isoformat()},
    )
    still_to_sign = protocol.parties.exclude(
        pk__in=protocol.signatures.values_list("agency_id", flat=True)
    )
    if not still_to_sign.exists():
        _bring_into_force(protocol, user)
        # Signed by every party, the protocol is the agreement: the entry seals its terms,
        # parties and signatures.
        audit_append(
            actor=user,
            verb=IN_FORCE_VERB,
            obj=protocol,
            details={"supersedes": protocol.supersedes_id, **seal_details("protocol", protocol.pk)},
        )
    return signature


@transaction.atomic
def protocol_new_version(*, user: Any, protocol: Protocol) -> Protocol:
    """Start a revision of a protocol in force: a new draft with the same terms. The
    version in force stays in force until every party has signed the new one."""
    _require_admin(user)
    protocol = _locked(protocol)
    if protocol.status != Status.IN_FORCE:
        raise ServiceError("Only a protocol in force can be revised", field="status")
    if Protocol.objects.filter(supersedes=protocol).exists():
        raise ServiceError(
            "A new version of this protocol has already been started: carry on with that one",
            field="status",
        )
    revision = Protocol.objects.create(
        title=protocol.title,
        purposes=protocol.purposes,
        data_items=protocol.data_items,
        article6_bases=protocol.article6_bases,
        special_category_conditions=protocol.special_category_conditions,
        legal_powers=protocol.legal_powers,
        retention=protocol.retention,
        security=protocol.security,
        individuals_rights=protocol.individuals_rights,
        review_date=protocol.review_date,
        version=protocol.version + 1,
        supersedes=protocol,
        created_by=user,
    )
    revision.parties.set(protocol.parties.all())
    audit_append(
        actor=user, verb="protocol.new_version", obj=revision, details={"supersedes": protocol.pk}
    )
    return revision


@transaction.atomic
def protocol_withdraw(*, user: Any, protocol: Protocol, reason: str) -> Protocol:
    """Withdraw a protocol: the parties no longer work to it. It stays in the register."""
    _require_admin(user)
    protocol = _locked(protocol)
    if protocol.status in (Status.WITHDRAWN, Status.SUPERSEDED):
        raise ServiceError(
            f"This protocol is already {protocol.get_status_display().lower()}", field="status"
        )
    if not reason.strip():
        raise ServiceError("Enter why the protocol is withdrawn", field="reason")
    protocol.status = Status.WITHDRAWN
    protocol.withdrawn_at = timezone.now()
    protocol.withdrawn_by = user
    protocol.withdrawal_reason = reason.strip()
    protocol.save()
    audit_append(actor=user, verb=WITHDRAW_VERB, obj=protocol, details=_sealed_again(protocol))
    return protocol


@transaction.atomic
def protocols_flag_due_for_review(*, today: dt.date | None = None) -> list[Protocol]:
    """Flag to administrators every protocol in force whose review date has gone by.

    A "find what is due" sweep for the background jobs (DESIGN.md, Architecture): it may
    run as often as wished, and flags each protocol once for each review date, with one
    audit entry. A new review date (a new version) is flagged in its turn. Returns the
    protocols flagged by this run."""
    today = today or timezone.localdate()
    due = (
        Protocol.objects.select_for_update()
        .filter(status=Status.IN_FORCE, review_date__lt=today)
        .order_by("review_date", "pk")
    )
    flagged = []
    now = timezone.now()
    for protocol in due:
        if protocol.review_date is None or protocol.review_flagged_for == protocol.review_date:
            continue
        protocol.review_flagged_for = protocol.review_date
        protocol.review_flagged_at = now
        protocol.save(update_fields=["review_flagged_for", "review_flagged_at", "updated_at"])
        audit_append(
            actor=None,
            verb=REVIEW_DUE_VERB,
            obj=protocol,
            details={"review_date": protocol.review_date.isoformat(), **_sealed_again(protocol)},
        )
        flagged.append(protocol)
    return flagged
