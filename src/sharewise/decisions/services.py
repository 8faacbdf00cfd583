"""Writes of decisions: start, answer, record the details, sign, correct.

One function per write, used alike by the web wizard, the JSON API and the CLI. Each
checks the user's agency and role, calls the guidance core to decide, and saves in one
transaction. The engine decides; these functions only store what it decided, with the
practitioner's reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import BooleanField
from django.utils import timezone

from sharewise.agencies.models import Agency, Role
from sharewise.agencies.selectors import agency_ids_for_user, roles_for_user
from sharewise.audit.seals import CONTENT_SHA256, seal_details
from sharewise.audit.services import audit_append
from sharewise.common import NotFound, PermissionDenied, ServiceError
from sharewise.consents.selectors import consent_effective_for_person
from sharewise.guidance.choice import PackChoice, pack_choose, pack_in_force
from sharewise.guidance.decide import decide
from sharewise.guidance.engine import Outcome
from sharewise.guidance.errors import GuidanceError
from sharewise.guidance.facts import facts_validate
from sharewise.guidance.packs import pack_get
from sharewise.guidance.record import answers_used, outcome_record
from sharewise.people.models import Person

from .models import Article6Basis, Decision, PersonTold, SpecialCategoryCondition, Status
from .sealing import SIGN_VERB

DECIDING_ROLES = frozenset({Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, Role.MANAGER})
SHARING = ("share", "must_share")


def require_decider(user: Any, person: Person) -> None:
    """Refuse a user who may not make decisions about this person. Every write below
    checks it; a page checks it first on a POST too, so that a role that may only read is
    told so rather than shown what was wrong with a form it may not send."""
    roles = roles_for_user(user=user, agency=person.agency)
    if not roles:
        # Not of this agency at all: the record is not theirs to know about (3.15).
        raise NotFound("There is no such person in your agency's records")
    if not roles & DECIDING_ROLES:
        raise PermissionDenied("Your role can read decisions but not make them")


def _locked(decision_id: int, user: Any) -> Decision:
    """The decision, its row locked for the change, with what every write reads of it:
    the person and agency for the role check, and the names the response shows. Loaded
    one by one after the lock, they cost four more queries on every write
    (benchmarks/recording.py; docs/performance.md).

    Only a decision of one of the user's agencies is found (003 3.15): the API sends the
    id it was given straight here, with no read of its own first."""
    try:
        return (
            # Only the decision's row is locked (`of`): the person and the users are read.
            Decision.objects.select_for_update(of=("self",))
            .select_related("person__agency", "agency", "created_by", "signed_by")
            .get(pk=decision_id, agency_id__in=agency_ids_for_user(user=user))
        )
    except Decision.DoesNotExist:
        raise NotFound("There is no such decision in your agency's records") from None


def _require_draft(decision: Decision, revision: int | None) -> None:
    if decision.status != Status.DRAFT:
        raise ServiceError(
            "This decision is signed and cannot be changed. Make a correction instead.",
            field="status",
        )
    if revision is not None and revision != decision.revision:
        raise ServiceError(
            "Someone else changed this decision after you opened it. Nothing you entered "
            "has been saved: check the decision as it is now and make your change again.",
            field="revision",
        )


def decision_evaluate(decision: Decision) -> Outcome:
    """The outcome of the decision's answers under its pack: the engine, nothing else."""
    raw: dict[str, Any] = {"pack": decision.pack_id, **decision.facts}
    # Replayed as of the day it was made, so that law in force later never changes it,
    # and law not yet in force then is refused (guidance.decide.in_force_check).
    made = decision.created_at or timezone.now()
    raw["date"] = timezone.localdate(made).isoformat()
    if decision.reasons:
        raw["reasons"] = {k: v for k, v in decision.reasons.items() if isinstance(v, str)}
    return decide(raw)


def _store_outcome(decision: Decision, outcome: Outcome) -> None:
    pack = pack_get(outcome.pack)
    decision.pack_version = pack.version
    decision.pack_hash = pack.hash
    decision.outcome = outcome.outcome
    decision.basis = outcome.basis or ""
    decision.refer_now = outcome.refer_now
    decision.inform_subject = outcome.inform_subject or ""
    decision.trace = [step.as_json() for step in outcome.trace]
    decision.citations = list(outcome.citations)


def _consent_from_records(decision: Decision, user: Any) -> None:
    """Answer the consent question from the consent records held, where there are any,
    keeping how it was worked out so the practitioner can see why."""
    effective, record_ids = consent_effective_for_person(
        user=user,
        person=decision.person,
        purpose=decision.purpose,
        recipient=decision.recipient,
        information=decision.information,
    )
    if effective is None:
        decision.consent_source = None
        return
    source = effective.as_json()
    source["records"] = record_ids
    source["facts"] = {}
    if effective.consent != "ask":
        source["facts"]["consent"] = effective.consent
        if effective.covers is not None:
            source["facts"]["consent_covers"] = effective.covers
    decision.consent_source = source
    decision.facts = {**decision.facts, **source["facts"]}


def decision_pack_choice(*, agency: Agency, pack_id: str | None = None) -> PackChoice:
    """The pack a new decision of `agency` uses today, and why: the one the practitioner
    picked, else the agency's, else the law in force (guidance.choice.pack_choose)."""
    today = timezone.localdate()
    try:
        automatic = pack_choose(day=today, country=agency.country, chosen=agency.pack_id)
        if not pack_id or pack_id == automatic.pack_id:
            return automatic
        picked = pack_get(pack_id)
    except GuidanceError as exc:
        raise ServiceError(exc.message, field="pack_id") from exc
    refused = pack_in_force(picked, today, agency.country)
    if refused is not None:
        raise ServiceError(
            f"You cannot use this pack for a decision today: {refused}.", field="pack_id"
        )
    return PackChoice(
        picked.id,
        f"{picked.id} was chosen when the decision was started. Otherwise "
        f"{automatic.pack_id} would have applied: {automatic.reason}",
    )


@transaction.atomic
def decision_start(
    *,
    user: Any,
    person: Person,
    purpose: str,
    recipient: str = "",
    information: Sequence[str] = (),
    pack_id: str | None = None,
) -> Decision:
    require_decider(user, person)
    if not purpose.strip():
        raise ServiceError("Say what the information would be shared for", field="purpose")
    choice = decision_pack_choice(agency=person.agency, pack_id=pack_id)
    pack = pack_get(choice.pack_id)
    decision = Decision(
        agency=person.agency,
        person=person,
        purpose=purpose.strip(),
        recipient=recipient.strip(),
        information=[i.strip() for i in information if i.strip()],
        pack_id=pack.id,
        pack_version=pack.version,
        pack_hash=pack.hash,
        pack_reason=choice.reason,
        created_by=user,
    )
    if "public_authority" in pack.facts and pack.questions.get("public_authority"):
        # The agency's record answers whether it is a public authority (UK GDPR Article
        # 6(1), closing words), so the practitioner is not asked what the partnership
        # administrator has already recorded.
        decision.facts = {
            **decision.facts,
            "public_authority": "yes" if person.agency.public_authority else "no",
        }
    _consent_from_records(decision, user)
    _store_outcome(decision, decision_evaluate(decision))
    # A new row: inserted without first trying an UPDATE, which a key taken before the
    # INSERT (to bind its encrypted values to the row: crypto.fields) would otherwise cost.
    decision.save(force_insert=True)
    audit_append(actor=user, verb="decision.start", obj=decision, details={"pack": pack.id})
    return decision


@transaction.atomic
def decision_answer(
    *,
    user: Any,
    decision: Decision,
    answers: Mapping[str, Any],
    reasons: Mapping[str, str] | None = None,
    proportionality: Sequence[Mapping[str, str]] | None = None,
    revision: int | None = None,
) -> Decision:
    """Record answers (one page's, or several from the API) and decide again.

    A judgement needs its reasons before the decision goes on: the engine follows the
    practitioner's conclusion, and the record must say why (3.41, 3.51)."""
    decision = _locked(decision.pk, user)
    require_decider(user, decision.person)
    _require_draft(decision, revision)
    pack = pack_get(decision.pack_id)
    try:
        clean, _ = facts_validate(dict(answers), vocabulary=pack.facts)
    except GuidanceError as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    reasons = dict(reasons or {})
    judgement_facts = {n.fact for n in pack.nodes.values() if n.kind == "judgement"}
    for fact in clean:
        if fact in judgement_facts and not (reasons.get(fact) or "").strip():
            raise ServiceError(
                "Enter the reasons for your judgement before going on", field=f"reasons.{fact}"
            )
    stored = {k: list(v) if isinstance(v, tuple) else v for k, v in clean.items()}
    decision.facts = {**decision.facts, **stored}
    decision.reasons = {**decision.reasons, **{k: v.strip() for k, v in reasons.items()}}
    if proportionality is not None:
        decision.proportionality = _proportionality_clean(proportionality)
    if decision.consent_source and set(stored) & set(decision.consent_source.get("facts", {})):
        # The practitioner answered the consent question themself: say so in the record.
        decision.consent_source = {**decision.consent_source, "changed_by_practitioner": True}
    _store_outcome(decision, decision_evaluate(decision))
    decision.revision += 1
    decision.save()
    # The facts answered, by name only: the answers themselves are in the decision.
    audit_append(
        actor=user, verb="decision.answer", obj=decision, details={"facts": sorted(stored)}
    )
    return decision


def _proportionality_clean(answers: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    # The proportionality questions (002) have no right answer: they are the practitioner's
    # working, kept with the decision so a reader sees how the balance was struck.
    return [
        {"question": str(a.get("question", "")).strip(), "answer": str(a.get("answer", "")).strip()}
        for a in answers
        if str(a.get("answer", "")).strip()
    ]


DETAIL_FIELDS = (
    "article6_basis",
    "special_category_condition",
    "paragraph18_reason",
    "person_told",
    "person_told_confirmed",
    "person_not_told_reason",
    "advice_from",
    "advice_given",
    "notes",
)

# The Article 6 basis a sharing outcome's basis usually rests on, offered first on the
# record form (the practitioner can choose another, within `_details_conflicts`). The
# conditions that are not Article 6 bases at all (the safeguarding condition of DPA 2018
# Schedule 1 paragraph 18; the public interest that overrides a duty of confidence, 003
# 3.38-3.41) sit beside the Article 6 basis a public authority usually relies on, its
# public task (2024 advice, "lawful basis").
_ARTICLE6_FOR_BASIS = {
    "consent": Article6Basis.CONSENT,
    "legal_obligation": Article6Basis.LEGAL_OBLIGATION,
    "vital_interests": Article6Basis.VITAL_INTERESTS,
    "public_task": Article6Basis.PUBLIC_TASK,
    "recognised_legitimate_interest": Article6Basis.RECOGNISED_LEGITIMATE_INTEREST,
}
_PUBLIC_AUTHORITY_USUALLY = ("safeguarding", "public_interest")
# Consent answers under which consent cannot be the lawful basis (UK GDPR Article 7(3):
# withdrawn consent no longer counts; refused or never sought consent never did).
_NO_CONSENT = frozenset({"refused", "withdrawn", "not_sought", "cannot_be_obtained"})


def decision_article6_suggested(decision: Decision, outcome: Outcome) -> str:
    """The Article 6 basis to offer first for `outcome`: the one its basis names, or a
    public authority's public task where the basis is not an Article 6 basis; "" where the
    practitioner must choose."""
    if outcome.outcome not in SHARING or outcome.basis is None:
        return ""
    if outcome.outcome == "must_share":
        return Article6Basis.LEGAL_OBLIGATION
    if outcome.basis in _ARTICLE6_FOR_BASIS:
        return _ARTICLE6_FOR_BASIS[outcome.basis]
    if outcome.basis in _PUBLIC_AUTHORITY_USUALLY and decision.agency.public_authority:
        return Article6Basis.PUBLIC_TASK
    return ""


def _details_conflicts(decision: Decision, outcome: Outcome) -> list[tuple[str, str]]:
    """Where the details recorded contradict the outcome they record, as (field, message):
    the record must not say one thing in its outcome and another in its lawful basis."""
    problems: list[tuple[str, str]] = []
    chosen = decision.article6_basis
    consent = decision.facts.get("consent")
    if chosen == Article6Basis.CONSENT and (
        consent in _NO_CONSENT or (outcome.outcome in SHARING and outcome.basis != "consent")
    ):
        said = f"consent was {str(consent).replace('_', ' ')}" if consent else "consent"
        problems.append(
            (
                "article6_basis",
                f"Consent cannot be the lawful basis: your answers say {said}"
                if consent in _NO_CONSENT
                else "Consent cannot be the lawful basis: the outcome does not rest on consent",
            )
        )
    if chosen == Article6Basis.RECOGNISED_LEGITIMATE_INTEREST:
        if decision.agency.public_authority:
            problems.append(
                (
                    "article6_basis",
                    "The recognised legitimate interest is not open to a public authority "
                    "performing its tasks (UK GDPR Article 6(1), closing words): choose "
                    "another lawful basis",
                )
            )
        made = timezone.localdate(decision.created_at or timezone.now())
        if made < RECOGNISED_LEGITIMATE_INTEREST_FROM:
            problems.append(
                (
                    "article6_basis",
                    "The recognised legitimate interest is a lawful basis only for decisions "
                    "made on or after 5 February 2026",
                )
            )
    if outcome.outcome == "must_share" and chosen and chosen != Article6Basis.LEGAL_OBLIGATION:
        problems.append(
            (
                "article6_basis",
                "You must share because the law requires it, so the lawful basis is a legal "
                "obligation (Article 6(1)(c))",
            )
        )
    return problems


# UK GDPR Article 6(1)(ea), added by the Data (Use and Access) Act 2025 s70, in force from
# 5 February 2026 (SI 2026/82; hmg-2024 sources "rli-commencement").
RECOGNISED_LEGITIMATE_INTEREST_FROM = dt.date(2026, 2, 5)


@transaction.atomic
def decision_details_update(
    *,
    user: Any,
    decision: Decision,
    details: Mapping[str, Any],
    proportionality: Sequence[Mapping[str, str]] | None = None,
    revision: int | None = None,
) -> Decision:
    """Record the lawful basis, whether the person was told, the advice taken and notes."""
    decision = _locked(decision.pk, user)
    require_decider(user, decision.person)
    _require_draft(decision, revision)
    for name, value in details.items():
        if name not in DETAIL_FIELDS:
            raise ServiceError(f"'{name}' is not part of a decision's details", field=name)
        field = Decision._meta.get_field(name)
        if isinstance(field, BooleanField):
            setattr(decision, name, _yes(value, name))
            continue
        text = "" if value is None else str(value).strip()
        choices = [c[0] for c in getattr(field, "choices", None) or []]
        if choices and text and text not in choices:
            raise ServiceError(f"'{text}' is not an allowed value", field=name)
        setattr(decision, name, text)
    if proportionality is not None:
        decision.proportionality = _proportionality_clean(proportionality)
    # Refused as soon as it is recorded, so that a draft never holds a lawful basis that
    # contradicts its own outcome (and checked again at signing, after any later answer).
    conflicts = _details_conflicts(decision, decision_evaluate(decision))
    if conflicts:
        field_name, message = conflicts[0]
        raise ServiceError(message, field=field_name)
    decision.revision += 1
    decision.save()
    audit_append(
        actor=user, verb="decision.details", obj=decision, details={"fields": sorted(details)}
    )
    return decision


def _yes(value: Any, name: str) -> bool:
    if value in (True, False):
        return bool(value)
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "false", "no", "0", "off"):
        return False
    if text in ("true", "yes", "1", "on"):
        return True
    raise ServiceError(f"'{value}' is not yes or no", field=name)


def decision_sign_problems(decision: Decision) -> list[tuple[str, str]]:
    """What must be put right before `decision` can be signed, as (field, message)."""
    problems: list[tuple[str, str]] = []
    outcome = decision_evaluate(decision)
    if outcome.outcome == "ask":
        return [("facts", "Answer every question before signing")]
    for judgement in outcome.judgements:
        if not judgement.reasons:
            problems.append((f"reasons.{judgement.fact}", "Enter the reasons for your judgement"))
    if outcome.outcome in SHARING:
        if not decision.article6_basis:
            problems.append(
                ("article6_basis", "Select the lawful basis for sharing (UK GDPR Article 6)")
            )
        if not decision.special_category_condition:
            problems.append(
                (
                    "special_category_condition",
                    "Say whether the information includes special category data, and if so the condition relied on",
                )
            )
        if (
            decision.special_category_condition == SpecialCategoryCondition.SAFEGUARDING
            and outcome.basis != "consent"
            and not decision.paragraph18_reason
        ):
            problems.append(
                (
                    "paragraph18_reason",
                    "Select why consent was not sought (DPA 2018 Schedule 1 paragraph 18)",
                )
            )
        problems += _details_conflicts(decision, outcome)
        if not decision.person_told:
            problems.append(("person_told", "Say whether the person has been or will be told"))
        if (
            outcome.inform_subject == "no"
            and decision.person_told == PersonTold.YES
            and not decision.person_told_confirmed
        ):
            # The guidance's answer is not to tell them (a reason not to seek consent
            # applies: 3.36, 3.48; 2024 golden rule 2); telling them may have put someone
            # at risk, so the record must say it was deliberate, not a slip of the radio.
            problems.append(
                (
                    "person_told_confirmed",
                    "The guidance says not to tell the person, because a reason not to seek "
                    "consent applies, and you recorded that they have been told. Confirm "
                    "that they were told, or change your answer",
                )
            )
        if decision.person_told == PersonTold.NO and not decision.person_not_told_reason.strip():
            problems.append(("person_not_told_reason", "Enter why the person will not be told"))
    return problems


@transaction.atomic
def decision_sign(*, user: Any, decision: Decision, revision: int | None = None) -> Decision:
    """Sign a draft: from now on it is the record and is never edited (corrections are
    new versions)."""
    decision = _locked(decision.pk, user)
    require_decider(user, decision.person)
    _require_draft(decision, revision)
    problems = decision_sign_problems(decision)
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field=field)
    outcome = decision_evaluate(decision)
    _store_outcome(decision, outcome)
    pack = pack_get(decision.pack_id)
    # The record keeps the answers the outcome rests on, in the order they were asked:
    # those on the trace and those the refer-now interrupt read off the deciding path,
    # without which a replay would lose the referral (an answer on an abandoned branch is
    # dropped: it decided nothing).
    decision.facts = answers_used(pack, outcome, decision.facts)
    # Kept whole, as the practitioner saw it, and rendered from then on.
    decision.signed_record = outcome_record(pack, outcome, decision.facts)
    decision.status = Status.SIGNED
    decision.signed_by = user
    decision.signed_at = timezone.now()
    decision.revision += 1
    decision.save()
    # The entry seals what was signed: the hash of the decision's whole content as it is
    # now stored, read back as `audit verify` reads it, so that a decision rewritten in
    # the database later, past or around the triggers, is found (issue 17).
    audit_append(
        actor=user,
        verb=SIGN_VERB,
        obj=decision,
        details={"outcome": decision.outcome, **seal_details("decision", decision.pk)},
    )
    return decision


# What a correction takes from the version it corrects: every field of a decision is in
# exactly one of these two, and tests/decisions/test_correct.py fails when a field is added
# to the model without saying which. A correction starts as the signed version stood, so
# that the practitioner changes only what was wrong and nothing is lost on the way
# (`pack_reason` once was).
CORRECTION_COPIES = (
    "agency",
    "person",
    "purpose",
    "recipient",
    "information",
    "pack_id",
    "pack_version",
    "pack_hash",
    "pack_reason",
    "facts",
    "reasons",
    "proportionality",
    "consent_source",
    "outcome",
    "basis",
    "refer_now",
    "inform_subject",
    "trace",
    "citations",
    *DETAIL_FIELDS,
)
# Not copied, each for a reason: the correction is a new row (id), a new draft that is its
# own version of the one it corrects (status, version, corrects, revision), started by
# whoever corrects it (created_by, created_at, updated_at), and not signed until they sign
# it (signed_by, signed_at, and signed_record, which signing writes anew).
CORRECTION_RESETS = (
    "id",
    "status",
    "version",
    "corrects",
    "revision",
    "created_by",
    "created_at",
    "updated_at",
    "signed_by",
    "signed_at",
    "signed_record",
)


@transaction.atomic
def decision_correct(*, user: Any, decision: Decision) -> Decision:
    """Start a correction of a signed decision: a new draft version that keeps the old."""
    decision = _locked(decision.pk, user)
    require_decider(user, decision.person)
    if decision.status != Status.SIGNED:
        raise ServiceError(
            "Only a signed decision is corrected; change the draft instead", field="status"
        )
    if Decision.objects.filter(corrects=decision).exists():
        raise ServiceError(
            "This decision has already been corrected: correct the latest version", field="status"
        )
    copy = Decision.objects.create(
        **{name: getattr(decision, name) for name in CORRECTION_COPIES},
        version=decision.version + 1,
        corrects=decision,
        created_by=user,
    )
    # The correction names exactly the content it corrects, as it stood when corrected: a
    # second seal of the signed version, in the entry that begins its replacement.
    corrected = seal_details("decision", decision.pk)
    audit_append(
        actor=user,
        verb="decision.correct",
        obj=copy,
        details={"corrects": decision.pk, "corrects_content_sha256": corrected[CONTENT_SHA256]},
    )
    return copy
