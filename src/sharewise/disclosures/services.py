"""Writes of disclosures: send (or record as sent), read, acknowledge, withdraw, record
that the person was told; and mark a person whose identity must be protected.

One function per write, used alike by the web pages and the JSON API. Each checks the
user's agency and role, and appends to the audit log in the same transaction. Only what
the signed decision allows is shared (003 3.49: "share only the information necessary for
the purpose"; "understand the limits of any consent given"): the decision's purpose and
recipient, its kinds of information, and where it relies on consent, the scope of the
consent that counts now, worked out by the guidance core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from sharewise.agencies.models import Agency, Membership, Role, Team
from sharewise.agencies.selectors import agency_ids_for_user, require_recording_role
from sharewise.audit.seals import seal_details
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.selectors import consent_effective_for_person
from sharewise.decisions.models import Decision, PersonTold, Status
from sharewise.people.models import Person

from .identities import Protected, identities_withhold
from .models import (
    Channel,
    Disclosure,
    DisclosureItem,
    IdentityRelease,
    IdentityRole,
    ItemKind,
    ProtectedIdentity,
    Readers,
)
from .sealing import ACKNOWLEDGE_VERB, SUBJECT_TOLD_VERB, WITHDRAW_VERB
from .selectors import (
    NO_SUCH_DISCLOSURE,
    disclosure_is_addressed_to,
    disclosure_is_recipient,
    disclosure_is_sender,
    disclosure_items,
)

# The outcomes of a decision that allow sharing (decisions.services.SHARING).
SHARING_OUTCOMES = ("share", "must_share")
MAX_ITEMS = 50


@dataclass(frozen=True)
class ItemInput:
    """One piece of information the practitioner picked to share (3.49)."""

    text: str
    kind: str
    source: str
    dated: dt.date | None
    historical: bool = False
    information_kind: str = ""


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("'", "").replace("\u2019", "").split())


def _within(description: str, named: str) -> bool:
    a, b = _norm(description), _norm(named)
    return bool(a and b) and (a in b or b in a)


def _recipient_descriptions(
    agency: Agency, user: Any | None, team: Team | None, name: str
) -> list[str]:
    described = [agency.name, agency.get_kind_display()]
    if team is not None:
        described.append(team.name)
    if user is not None:
        described.append(user.get_full_name())
    if name:
        described.append(name)
    return [d for d in described if d]


def disclosure_refusal_for(*, decision: Decision) -> str | None:
    """Why nothing can be shared from `decision`, or None when it allows sharing."""
    if decision.status != Status.SIGNED:
        return "Sign the decision before sharing: only a signed decision can be acted on (3.51)"
    if decision.outcome not in SHARING_OUTCOMES:
        return (
            "The decision was not to share: information can be shared only from a decision to share"
        )
    if Decision.objects.filter(corrects=decision).exists():
        return "This decision has been corrected: share from its latest version"
    return None


def _decision_for_sharing(user: Any, decision: Decision) -> Decision:
    decision = Decision.objects.select_related("person", "agency").get(pk=decision.pk)
    if decision.agency_id not in agency_ids_for_user(user=user):
        raise NotFound("There is no such decision in your agency's records")
    require_recording_role(user=user, agency_id=decision.agency_id)
    refusal = disclosure_refusal_for(decision=decision)
    if refusal is not None:
        raise ServiceError(refusal, field="decision")
    return decision


def _check_recipient(
    decision: Decision,
    agency: Agency,
    user: Any | None,
    team: Team | None,
    name: str,
    channel: str,
) -> None:
    if agency.pk == decision.agency_id:
        raise ServiceError(
            "A disclosure goes to another agency; within your agency the record is already shared (3.15)",
            field="recipient",
        )
    if user is not None and not (
        Membership.objects.filter(user=user, agency=agency)
        .exclude(role__in=[Role.PARTNERSHIP_ADMIN, Role.AUDITOR])
        .exists()
    ):
        # Named neither here nor anywhere: the id may be anyone's, and who works where
        # outside the people offered as recipients is not the sender's to learn.
        raise ServiceError(
            f"Choose the person to send it to from those offered: the people at {agency.name} "
            "who work with case records",
            field="recipient",
        )
    if team is not None and team.agency_id != agency.pk:
        raise ServiceError(f"{team.name} is not a team of {agency.name}", field="recipient")
    if channel == Channel.SHAREWISE and user is None and team is None:
        raise ServiceError(
            "Choose the person or team to send it to: share only with the people who need to know (3.49)",
            field="recipient",
        )
    if user is None and team is None and not name.strip():
        raise ServiceError(
            "Name the person you shared it with: share only with the people who need to know (3.49)",
            field="recipient_name",
        )
    # The decision was made about sharing with a recipient it names; a share with anyone
    # else is a different share, needing its own decision (3.49, 3.51).
    if decision.recipient.strip() and not any(
        _within(decision.recipient, d) for d in _recipient_descriptions(agency, user, team, name)
    ):
        raise ServiceError(
            f"The decision was to share with '{decision.recipient}', not with {agency.name}. "
            "Sharing with someone else needs a decision of its own (3.49: share only with the "
            "people who need to know).",
            field="recipient",
        )


def _check_channel(channel: str, channel_details: str, identity_check: str) -> None:
    if channel not in Channel.values:
        raise ServiceError("Say how the information is shared", field="channel")
    if channel == Channel.PHONE and not identity_check.strip():
        raise ServiceError(
            "Record how you confirmed the identity of the person you spoke to (3.49)",
            field="identity_check",
        )
    if channel == Channel.SECURE_EMAIL and not channel_details.strip():
        raise ServiceError("Enter the secure email address it was sent to", field="channel_details")
    if channel == Channel.MEETING and not channel_details.strip():
        raise ServiceError("Say which meeting it was shared at", field="channel_details")


@dataclass(frozen=True)
class _CheckedItem:
    text: str
    kind: str
    source: str
    dated: dt.date
    historical: bool
    information_kind: str


def _clean_items(decision: Decision, items: Sequence[ItemInput]) -> list[_CheckedItem]:
    if not items:
        raise ServiceError("Add the information you are sharing", field="items")
    if len(items) > MAX_ITEMS:
        raise ServiceError(f"Share at most {MAX_ITEMS} items at once", field="items")
    kinds = {_norm(k): k for k in decision.information}
    clean = []
    today = timezone.localdate()
    for n, item in enumerate(items):
        field = f"items.{n}"
        if not item.text.strip():
            raise ServiceError(f"Enter the information of item {n + 1}", field=f"{field}.text")
        if item.kind not in ItemKind.values:
            raise ServiceError(
                f"Say whether item {n + 1} is a fact or an opinion (3.49: distinguish clearly between fact and opinion)",
                field=f"{field}.kind",
            )
        if not item.source.strip():
            raise ServiceError(
                f"Say where the information of item {n + 1} comes from", field=f"{field}.source"
            )
        if item.dated is None:
            raise ServiceError(
                f"Enter the date of the information of item {n + 1} (3.49: accurate and up to date)",
                field=f"{field}.dated",
            )
        if item.dated > today:
            raise ServiceError(
                f"The date of item {n + 1} cannot be in the future", field=f"{field}.dated"
            )
        information_kind = item.information_kind.strip()
        if kinds:
            if _norm(information_kind) not in kinds:
                raise ServiceError(
                    f"Item {n + 1} must be one of the kinds of information the decision allows: "
                    + "; ".join(decision.information)
                    + " (3.49: share only the information necessary for the purpose)",
                    field=f"{field}.information_kind",
                )
            information_kind = kinds[_norm(information_kind)]
        clean.append(
            _CheckedItem(
                text=item.text.strip(),
                kind=item.kind,
                source=item.source.strip(),
                dated=item.dated,
                historical=item.historical,
                information_kind=information_kind,
            )
        )
    return clean


def _check_consent(
    user: Any,
    decision: Decision,
    purpose: str,
    descriptions: Sequence[str],
    kinds: Sequence[str],
    on: dt.date,
) -> None:
    """Where the decision relies on consent, the share must be within the scope of the
    consent that counts today (3.18, 3.21, 3.49), as the guidance core works it out."""
    if decision.basis != "consent":
        return
    gaps: list[str] = []
    for recipient in descriptions:
        effective, _ = consent_effective_for_person(
            user=user,
            person=decision.person,
            purpose=purpose,
            recipient=recipient,
            information=kinds,
            on=on,
        )
        if effective is None:
            raise ServiceError(
                "The decision relies on consent, but no consent is recorded: record it before sharing (3.18)",
                field="consent",
            )
        if effective.consent != "given":
            raise ServiceError(
                f"The decision relies on consent, and the consent that counts is now "
                f"'{effective.consent}': {effective.explanation} Consent can be withdrawn at "
                "any time; make a new decision (3.21).",
                field="consent",
            )
        if effective.covers == "yes":
            return
        if not gaps:
            gaps = [gap.message for gap in effective.gaps]
    raise ServiceError(
        "The share is outside what the person consented to: " + " ".join(gaps),
        field="consent",
    )


def _protected_for(decision: Decision) -> list[ProtectedIdentity]:
    return list(ProtectedIdentity.objects.filter(person=decision.person, agency=decision.agency))


@transaction.atomic
def disclosure_send(
    *,
    user: Any,
    decision: Decision,
    recipient_agency: Agency | None,
    channel: str,
    items: Sequence[ItemInput],
    recipient_user: Any | None = None,
    recipient_team: Team | None = None,
    recipient_name: str = "",
    purpose: str | None = None,
    channel_details: str = "",
    identity_check: str = "",
    include_identities: Mapping[int, str] | None = None,
    expires_on: dt.date | None = None,
    sent_at: dt.datetime | None = None,
    readers: str = Readers.NAMED,
) -> Disclosure:
    """Share the information of a signed decision to share: through Sharewise, or record
    that it was shared by secure email, by phone or at a meeting (3.49 to 3.51). `readers`
    says who at the recipient agency may read it once the limits are accepted: the named
    person or team only (the default: share with those who need to know, 3.49), or anyone
    there who works with case records."""
    decision = _decision_for_sharing(user, decision)
    purpose = decision.purpose if purpose is None or not purpose.strip() else purpose.strip()
    if _norm(purpose) != _norm(decision.purpose):
        raise ServiceError(
            f"The decision was made for the purpose '{decision.purpose}'. Sharing for another "
            "purpose needs a decision of its own (3.49: share only the information necessary "
            "for the purpose).",
            field="purpose",
        )
    if recipient_agency is None:
        raise ServiceError("Choose who you are sharing with", field="recipient")
    if readers not in Readers.values:
        raise ServiceError(
            "Say who at the recipient agency may read it: "
            + ", or ".join(str(label).lower() for label in Readers.labels),
            field="readers",
        )
    _check_channel(channel, channel_details, identity_check)
    _check_recipient(
        decision, recipient_agency, recipient_user, recipient_team, recipient_name, channel
    )
    clean = _clean_items(decision, items)
    now = timezone.now()
    when = sent_at or now
    if when > now:
        raise ServiceError("The date it was shared cannot be in the future", field="sent_at")
    if channel == Channel.SHAREWISE:
        when = now
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ServiceError(
            "The date it stops being visible must be in the future", field="expires_on"
        )
    descriptions = _recipient_descriptions(
        recipient_agency, recipient_user, recipient_team, recipient_name
    )
    if decision.recipient.strip():
        descriptions.insert(0, decision.recipient.strip())
    kinds = list(dict.fromkeys(i.information_kind for i in clean if i.information_kind))
    _check_consent(user, decision, purpose, descriptions, kinds, timezone.localdate())

    # Protected identities: withheld unless included, each with its reason (3.50).
    protected = _protected_for(decision)
    by_id = {p.pk: p for p in protected}
    included = {int(k): (v or "").strip() for k, v in (include_identities or {}).items()}
    for key, reason in included.items():
        if key not in by_id:
            raise ServiceError(
                "There is no such protected identity for this person", field="identities"
            )
        if not reason:
            raise ServiceError(
                f"Enter why you are including the identity of {by_id[key].label} (3.50: could "
                "your purpose be met without putting their safety at risk?)",
                field=f"identities.{key}",
            )
    withheld = [
        Protected(key=p.pk, label=p.label, terms=tuple(p.identifying_terms))
        for p in protected
        if p.pk not in included
    ]
    disclosure = Disclosure.objects.create(
        agency=decision.agency,
        person=decision.person,
        decision=decision,
        purpose=purpose,
        recipient_agency=recipient_agency,
        recipient_user=recipient_user,
        recipient_team=recipient_team,
        recipient_name=recipient_name.strip(),
        channel=channel,
        channel_details=channel_details.strip(),
        identity_check=identity_check.strip(),
        expires_on=expires_on,
        readers=readers,
        sent_by=user,
        sent_at=when,
    )
    withheld_found: set[int] = set()
    for position, item in enumerate(clean, start=1):
        text, found_in_text = identities_withhold(item.text, withheld)
        source, found_in_source = identities_withhold(item.source, withheld)
        withheld_found |= found_in_text | found_in_source
        DisclosureItem.objects.create(
            disclosure=disclosure,
            position=position,
            text=text,
            kind=item.kind,
            information_kind=item.information_kind,
            source=source,
            dated=item.dated,
            historical=item.historical,
        )
    for key, reason in included.items():
        IdentityRelease.objects.create(disclosure=disclosure, identity=by_id[key], reason=reason)
    disclosure.withheld_identities = sorted(withheld_found)
    disclosure.save(update_fields=["withheld_identities"])
    audit_append(
        actor=user,
        verb="disclosure.send",
        obj=disclosure,
        details={
            "decision": decision.pk,
            "channel": channel,
            "recipient_agency": recipient_agency.pk,
            "items": len(clean),
            "identities_withheld": sorted(withheld_found),
            "identities_included": sorted(included),
            "readers": readers,
        },
    )
    return disclosure


@dataclass(frozen=True)
class Reading:
    """What a user may see of a disclosure now: its items, or why not."""

    items: list[DisclosureItem] | None
    # "not_acknowledged", "withdrawn", "expired" or "named_only" when the items are not
    # shown (the last: the sender let only the named person or team read it).
    refused: str | None
    as_sender: bool


@transaction.atomic
def disclosure_read(
    *, user: Any, disclosure: Disclosure, request: HttpRequest | None = None
) -> Reading:
    """The one way to a disclosure's content, so that every read of it is audited.

    The sending agency always reads its own record. The recipient's agency sees the
    content once the named recipient has acknowledged the limits on onward sharing, and
    not after the sender withdrew it or it expired (3.49)."""
    disclosure = Disclosure.objects.get(pk=disclosure.pk)
    if disclosure_is_sender(user=user, disclosure=disclosure):
        items = disclosure_items(disclosure=disclosure)
        audit_append(
            actor=user,
            verb="disclosure.read",
            obj=disclosure,
            request=request,
            details={"as": "sender"},
        )
        return Reading(items=items, refused=None, as_sender=True)
    if not disclosure_is_recipient(user=user, disclosure=disclosure):
        raise NotFound(NO_SUCH_DISCLOSURE)
    refused = (
        "withdrawn"
        if disclosure.is_withdrawn
        else "expired"
        if disclosure.is_expired()
        else "not_acknowledged"
        if not disclosure.acknowledged_at
        else "named_only"
        if disclosure.readers_rule is Readers.NAMED
        and not disclosure_is_addressed_to(user=user, disclosure=disclosure)
        else None
    )
    # The first opening by the recipient's agency, content or not, for the sender and the
    # monitoring figures ("opened, not acknowledged"); one statement, so that two first
    # openers cannot both set it. Not sealed: it says nothing of what was shared.
    Disclosure.objects.filter(pk=disclosure.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    if refused is not None:
        audit_append(
            actor=user,
            verb="disclosure.open",
            obj=disclosure,
            request=request,
            details={"as": "recipient", "content_shown": False, "why": refused},
        )
        return Reading(items=None, refused=refused, as_sender=False)
    # "Read", for the sender to see, was set when the named recipient accepted the limits
    # and the content was first shown (disclosure_acknowledge). Opening it without the
    # content (before that, or after a withdrawal) sets nothing: the sender would think it
    # had been seen.
    items = disclosure_items(disclosure=disclosure)
    audit_append(
        actor=user,
        verb="disclosure.read",
        obj=disclosure,
        request=request,
        details={"as": "recipient"},
    )
    return Reading(items=items, refused=None, as_sender=False)


def _require_sender(user: Any, disclosure: Disclosure, doing: str) -> None:
    if not disclosure_is_sender(user=user, disclosure=disclosure):
        if disclosure_is_recipient(user=user, disclosure=disclosure):
            raise PermissionDenied(f"Only the agency that shared the information can {doing}")
        raise NotFound(NO_SUCH_DISCLOSURE)
    require_recording_role(user=user, agency_id=disclosure.agency_id)


@transaction.atomic
def disclosure_acknowledge(*, user: Any, disclosure: Disclosure) -> Disclosure:
    """The named recipient accepts the limits on onward sharing (3.49: "establish with the
    recipient whether they intend to pass it on to other people")."""
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if not disclosure_is_addressed_to(user=user, disclosure=disclosure):
        if disclosure_is_sender(user=user, disclosure=disclosure) or disclosure_is_recipient(
            user=user, disclosure=disclosure
        ):
            raise PermissionDenied(
                "Only the person or team it was sent to can acknowledge the limits on sharing it"
            )
        raise NotFound(NO_SUCH_DISCLOSURE)
    if disclosure.is_withdrawn:
        raise ServiceError("The sender has withdrawn this disclosure", field="disclosure")
    if disclosure.is_expired():
        raise ServiceError("This disclosure has expired", field="disclosure")
    if disclosure.acknowledged_at is not None:
        return disclosure
    now = timezone.now()
    disclosure.acknowledged_at = now
    disclosure.acknowledged_by = user
    update = ["acknowledged_at", "acknowledged_by"]
    if disclosure.opened_at is None:
        disclosure.opened_at = now
        update.append("opened_at")
    if disclosure.read_at is None:
        # Accepting the limits is what releases the content to them, and they are shown it
        # at once (the page after, or the API's next call); the time is frozen with the
        # rest from now on (disclosures/migrations/0002), so it is set here.
        disclosure.read_at, disclosure.read_by = now, user
        update += ["read_at", "read_by"]
    disclosure.save(update_fields=update)
    # From now on the disclosure is the record of what was shared and accepted: the entry
    # seals its content (issue 17; disclosures/sealing.py).
    audit_append(
        actor=user,
        verb=ACKNOWLEDGE_VERB,
        obj=disclosure,
        details=seal_details("disclosure", disclosure.pk),
    )
    return disclosure


def _sealed_again(disclosure: Disclosure) -> dict[str, Any]:
    """The details that seal an acknowledged disclosure again after a change the product
    allows (withdrawn, the person told), so `audit verify` holds it to what it is now."""
    if disclosure.acknowledged_at is None:
        return {}
    return seal_details("disclosure", disclosure.pk)


@transaction.atomic
def disclosure_withdraw(*, user: Any, disclosure: Disclosure, reason: str) -> Disclosure:
    """The sender's agency takes a disclosure back: the recipient sees that it was
    withdrawn, not its content. What was seen before stays in the audit log."""
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    _require_sender(user, disclosure, "withdraw it")
    if disclosure.is_withdrawn:
        raise ServiceError("This disclosure has already been withdrawn", field="disclosure")
    if not reason.strip():
        raise ServiceError("Enter why you are withdrawing it", field="reason")
    disclosure.withdrawn_at = timezone.now()
    disclosure.withdrawn_by = user
    disclosure.withdrawn_reason = reason.strip()
    disclosure.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit_append(actor=user, verb=WITHDRAW_VERB, obj=disclosure, details=_sealed_again(disclosure))
    return disclosure


@transaction.atomic
def disclosure_subject_told(
    *,
    user: Any,
    disclosure: Disclosure,
    how: str,
    told_at: dt.datetime | None = None,
) -> Disclosure:
    """Record when and how the person was told about the share, where the decision says
    they are to be told (3.9, 3.36, 3.48; 3.49: "inform the person to whom the information
    relates ... if it is safe to do so")."""
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    _require_sender(user, disclosure, "record that the person was told")
    decision = disclosure.decision
    if decision.person_told == PersonTold.NO:
        raise ServiceError(
            "The decision records that the person will not be told"
            + (f": {decision.person_not_told_reason}" if decision.person_not_told_reason else "")
            + ". To change that, correct the decision.",
            field="how",
        )
    if disclosure.subject_told_at is not None:
        raise ServiceError(
            "It is already recorded that the person was told about this disclosure", field="how"
        )
    if not how.strip():
        raise ServiceError("Say how the person was told", field="how")
    when = told_at or timezone.now()
    if when > timezone.now():
        raise ServiceError("The date the person was told cannot be in the future", field="told_at")
    disclosure.subject_told_at = when
    disclosure.subject_told_how = how.strip()
    disclosure.subject_told_recorded_by = user
    disclosure.save(
        update_fields=["subject_told_at", "subject_told_how", "subject_told_recorded_by"]
    )
    audit_append(
        actor=user, verb=SUBJECT_TOLD_VERB, obj=disclosure, details=_sealed_again(disclosure)
    )
    return disclosure


@transaction.atomic
def protected_identity_add(
    *, user: Any, person: Person, name: str, role: str, details: str = ""
) -> ProtectedIdentity:
    """Mark someone whose identity must not be given away by what is shared about
    `person` (3.50)."""
    if person.agency_id not in agency_ids_for_user(user=user):
        raise NotFound("There is no such person in your agency's records")
    require_recording_role(user=user, agency_id=person.agency_id)
    if not name.strip():
        raise ServiceError("Enter the name of the person whose identity is protected", field="name")
    if role not in IdentityRole.values:
        raise ServiceError("Say who they are: a referrer, a neighbour, a colleague", field="role")
    identity = ProtectedIdentity.objects.create(
        agency=person.agency,
        person=person,
        name=name.strip(),
        role=role,
        details="\n".join(line.strip() for line in details.splitlines() if line.strip()),
        created_by=user,
    )
    # The name stays out of the audit log: it is what is being protected.
    audit_append(actor=user, verb="protected_identity.add", obj=identity, details={"role": role})
    return identity
