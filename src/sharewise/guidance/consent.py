"""Consent as the guidance handles it: whose consent counts, and what it covers.

Two questions, kept apart from the lawful basis (a share may be lawful without consent):

- `effective_consent`: from the responses made so far, what is the consent of the person
  whose consent counts? (003 paragraphs 3.22 to 3.35; decision contract, "Effective
  consent".) The answer is a value of the `consent` fact, never a tick box.
- `scope_check`: does a given consent cover a proposed share: its purpose, its recipient,
  the kinds of information, and is it still in time? Consent must be informed about why,
  what and with whom (3.18), and a significant change means seeking it again (3.21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ConsentInputError

ADULT_AGE = 16  # presumed to have capacity in law (3.30)
BY = ("subject", "parent", "local_authority")
RESPONSES = ("given", "refused", "withdrawn")
YES_NO_UNSURE = ("yes", "no", "unsure")

# The criteria of 3.24 for a child's sufficient understanding, asked when competence has
# not been assessed.
COMPETENCE_CRITERIA = (
    "Can the child or young person understand the question being asked of them?",
    "Do they have a reasonable understanding of what information might be shared?",
    "Do they have a reasonable understanding of the main reason or reasons for sharing it?",
    "Do they have a reasonable understanding of the implications of sharing that "
    "information, and of not sharing it?",
    "Can they appreciate and consider the alternative courses of action open to them?",
    "Can they weigh up one aspect of the situation against another?",
    "Can they express a clear personal view on the matter, as distinct from repeating what "
    "someone else thinks they should do?",
    "Can they be reasonably consistent in their view on the matter, or are they constantly "
    "changing their mind?",
)

# A person who lacks capacity lacks it for a particular decision at the time it needs to
# be taken (3.31); the points to consider are essentially those of 3.24 (3.34).
CAPACITY_POINTS = (
    "Does the person lack capacity to make this particular decision, at the time it needs "
    "to be taken? (Mental Capacity Act 2005 Code of Practice)",
    "A mental disorder or impairment does not on its own mean a person lacks capacity; "
    "extreme fatigue, drunkenness, shock, fear, severe pain or sedation can make a person "
    "temporarily incapable.",
    "A decision that seems irrational to others is not on its own evidence of lacking "
    "capacity; one clearly contrary to previously expressed wishes, or based on a "
    "misperception of reality, calls for further investigation.",
)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a consent was given for. An empty part means the consent did not say, and a
    consent that does not say who will see the information is not informed about it."""

    purposes: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    information: tuple[str, ...] = ()
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ProposedShare:
    purpose: str
    recipient: str
    information: tuple[str, ...]
    on: dt.date


@dataclass(frozen=True, slots=True)
class Response:
    by: str
    response: str
    party: str = ""
    scope: Scope | None = None

    @property
    def who(self) -> tuple[str, str]:
        return (self.by, self.party)


@dataclass(frozen=True, slots=True)
class Subject:
    age: int
    competent: str | None = None
    lacks_capacity: str | None = None


@dataclass(frozen=True)
class ScopeGap:
    """One part of a proposed share the consent does not cover."""

    part: str
    wanted: str
    message: str
    cite: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "wanted": self.wanted,
            "message": self.message,
            "cite": list(self.cite),
        }


@dataclass(frozen=True)
class EffectiveConsent:
    consent: str  # a value of the `consent` fact, or "ask"
    whose: str | None
    question: Mapping[str, Any] | None
    conflict: bool
    citations: tuple[str, ...]
    explanation: str
    counted: tuple[Response, ...] = ()
    not_counted: tuple[Mapping[str, str], ...] = ()
    covers: str | None = None  # the `consent_covers` fact, where a share was proposed
    gaps: tuple[ScopeGap, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "consent": self.consent,
            "whose": self.whose,
            "question": dict(self.question) if self.question else None,
            "conflict": self.conflict,
            "citations": list(self.citations),
            "explanation": self.explanation,
            "not_counted": [dict(n) for n in self.not_counted],
        }
        if self.covers is not None:
            document["consent_covers"] = self.covers
            document["not_covered"] = [gap.as_json() for gap in self.gaps]
        return document


def _last_by_party(responses: Iterable[Response]) -> dict[tuple[str, str], Response]:
    # Responses are in the order made and each party's last response is the one that
    # counts: consent can be withdrawn at any time (3.21), and given again.
    last: dict[tuple[str, str], Response] = {}
    for response in responses:
        last[response.who] = response
    return last


def effective_consent(
    subject: Subject,
    responses: Sequence[Response],
    *,
    care_order: bool = False,
    proposed: ProposedShare | None = None,
) -> EffectiveConsent:
    """Whose consent counts and what it is (3.22 to 3.35), and whether it covers `proposed`."""
    last = _last_by_party(responses)

    if subject.age >= ADULT_AGE:
        parents = [r for r in last.values() if r.by != "subject"]
        not_counted = _not_counted(
            parents, "A person aged 16 or over decides for themself.", ("3.30",)
        )
        if subject.lacks_capacity == "yes":
            return EffectiveConsent(
                consent="cannot_be_obtained",
                whose="subject",
                question=None,
                conflict=False,
                citations=("3.30", "3.31", "3.33", "3.35"),
                explanation="The person lacks capacity to make this decision: consent cannot "
                "be obtained, and the decision is taken in their best interests, seeking "
                "their views as far as possible and those of people close to them.",
                not_counted=not_counted,
            )
        if subject.lacks_capacity == "unsure":
            return EffectiveConsent(
                consent="ask",
                whose=None,
                question={
                    "id": "lacks_capacity",
                    "text": "Assess the person's capacity to consent to this sharing. Do they lack capacity to make this decision?",
                    "options": list(YES_NO_UNSURE),
                    "criteria": list(CAPACITY_POINTS),
                    "cite": ["3.31", "3.32", "3.34", "3.35"],
                },
                conflict=False,
                citations=("3.30", "3.31", "3.32", "3.34", "3.35"),
                explanation="People aged 16 and over are presumed to have capacity unless "
                "there is evidence to the contrary; where you doubt it, assess it first.",
                not_counted=not_counted,
            )
        return _from_counted(
            [r for r in last.values() if r.by == "subject"],
            whose="subject",
            cites=("3.30",),
            explanation="A person aged 16 or over is presumed in law to have capacity: their "
            "own consent counts.",
            not_counted=not_counted,
            proposed=proposed,
        )

    if subject.competent == "yes":
        others = [r for r in last.values() if r.by != "subject"]
        return _from_counted(
            [r for r in last.values() if r.by == "subject"],
            whose="subject",
            cites=("3.22", "3.28"),
            explanation="You judged the child competent: their consent or refusal is the one "
            "to consider, even if a parent or carer disagrees. Encourage them to talk to "
            "their parents, but do not make the service depend on it.",
            not_counted=_not_counted(
                others,
                "The child is competent: their own decision counts, even if a parent disagrees.",
                ("3.28",),
            ),
            proposed=proposed,
        )

    if subject.competent == "no":
        # A person with parental responsibility decides; with a care order in force the
        # local authority shares parental responsibility (3.26, 3.27).
        holders = ("parent", "local_authority") if care_order else ("parent",)
        counted = [r for r in last.values() if r.by in holders]
        ignored = [r for r in last.values() if r.by not in holders]
        reasons = {
            "subject": "The child is not competent to decide; their views should still be sought as far as possible (3.26).",
            "local_authority": "No care order is in force, so the local authority does not hold parental responsibility.",
        }
        not_counted = tuple(
            {"by": r.by, "party": r.party, "response": r.response, "reason": reasons[r.by]}
            for r in ignored
        )
        cites = ("3.26", "3.27")
        return _from_counted(
            counted,
            whose="parent",
            cites=cites,
            explanation="The child is not competent to consent: a person with parental "
            "responsibility decides, and the consent of one such person is sufficient."
            + (
                " With a care order in force the local authority shares parental responsibility."
                if care_order
                else ""
            ),
            not_counted=not_counted,
            proposed=proposed,
            one_is_sufficient=True,
        )

    return EffectiveConsent(
        consent="ask",
        whose=None,
        question={
            "id": "competent",
            "text": "Assess whether the child has sufficient understanding to consent, or to "
            "refuse consent, to this sharing. Is the child competent to decide?",
            "options": list(YES_NO_UNSURE),
            "criteria": list(COMPETENCE_CRITERIA),
            "cite": ["3.23", "3.24", "3.25"],
        },
        conflict=False,
        citations=("3.22", "3.23", "3.24"),
        explanation="The child is under 16 and their competence has not been assessed. "
        "Children aged 12 or over may generally be expected to have sufficient "
        "understanding, and younger children may too: assess it against the criteria of 3.24.",
    )


def _not_counted(
    responses: Iterable[Response], reason: str, cite: tuple[str, ...]
) -> tuple[Mapping[str, str], ...]:
    return tuple(
        {"by": r.by, "party": r.party, "response": r.response, "reason": reason} for r in responses
    )


def _from_counted(
    counted: list[Response],
    *,
    whose: str,
    cites: tuple[str, ...],
    explanation: str,
    not_counted: tuple[Mapping[str, str], ...],
    proposed: ProposedShare | None,
    one_is_sufficient: bool = False,
) -> EffectiveConsent:
    given = [r for r in counted if r.response == "given"]
    refused = [r for r in counted if r.response == "refused"]
    withdrawn = [r for r in counted if r.response == "withdrawn"]
    if given:
        consent = "given"
    elif refused:
        consent = "refused"
    elif withdrawn:
        consent = "withdrawn"
    else:
        consent = "not_sought"
    # Only parental consent can conflict: one parent's consent is enough even when another
    # refuses, but the practitioner must consider carefully whose consent to seek (3.27).
    conflict = one_is_sufficient and bool(given) and bool(refused or withdrawn)
    if conflict:
        explanation += " The people with parental responsibility disagree: consider carefully whose consent should be sought, usually the parent with whom the child lives."
    covers: str | None = None
    gaps: tuple[ScopeGap, ...] = ()
    if proposed is not None and consent == "given":
        # One holder's consent is sufficient, so the share is covered if any given consent
        # covers it; report the gaps of the closest one.
        checks = [scope_check(r.scope, proposed) for r in given]
        best = min(checks, key=len)
        covers = "yes" if not best else "no"
        gaps = tuple(best)
    elif proposed is not None:
        covers = "no"
    return EffectiveConsent(
        consent=consent,
        whose=whose,
        question=None,
        conflict=conflict,
        citations=cites + (("3.21",) if withdrawn else ()) + (("3.18", "3.21") if proposed else ()),
        explanation=explanation,
        counted=tuple(counted),
        not_counted=not_counted,
        covers=covers,
        gaps=gaps,
    )


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def scope_check(scope: Scope | None, proposed: ProposedShare) -> list[ScopeGap]:
    """The parts of `proposed` that `scope` does not cover; empty when it covers them all.

    Consent covers only what the person understood: why, what, who will see it (3.18). A
    significant change in use means seeking consent again (3.21), as does expiry.
    """
    gaps: list[ScopeGap] = []
    if scope is None:
        return [
            ScopeGap(
                "scope",
                proposed.purpose,
                "The consent does not record what it was given for: check with the person and seek consent again.",
                ("3.18", "3.19"),
            )
        ]
    if scope.expires is not None and proposed.on > scope.expires:
        gaps.append(
            ScopeGap(
                "expiry",
                proposed.on.isoformat(),
                f"The consent expired on {scope.expires.isoformat()}.",
                ("3.21",),
            )
        )
    purposes = {_norm(p) for p in scope.purposes}
    if _norm(proposed.purpose) not in purposes:
        gaps.append(
            ScopeGap(
                "purposes",
                proposed.purpose,
                f"The consent was not given for the purpose '{proposed.purpose}'. A significant change in use means seeking consent again.",
                ("3.18", "3.21"),
            )
        )
    recipients = {_norm(r) for r in scope.recipients}
    if _norm(proposed.recipient) not in recipients:
        gaps.append(
            ScopeGap(
                "recipients",
                proposed.recipient,
                f"The consent does not cover sharing with '{proposed.recipient}': the person was not told they would see it.",
                ("3.18",),
            )
        )
    kinds = {_norm(k) for k in scope.information}
    for item in proposed.information:
        if _norm(item) not in kinds:
            gaps.append(
                ScopeGap(
                    "information",
                    item,
                    f"The consent does not cover sharing '{item}'.",
                    ("3.18",),
                )
            )
    return gaps


# --- the `sharewise consent` input ----------------------------------------------------


def consent_from_json(raw: Any) -> dict[str, Any]:
    """Validate the contract's consent input, apply the rules, return the output object."""
    if not isinstance(raw, dict):
        raise ConsentInputError("The input must be one JSON object", field=None)
    _only(raw, ("subject", "care_order", "responses", "proposed_share"), "")
    subject = _subject(raw.get("subject"))
    care_order = _choice(raw.get("care_order", "no"), ("yes", "no"), "care_order") == "yes"
    responses_raw = raw.get("responses", [])
    if not isinstance(responses_raw, list):
        raise ConsentInputError(
            "'responses' must be a list of responses, in the order made", field="responses"
        )
    responses = [_response(r, i) for i, r in enumerate(responses_raw)]
    proposed = _proposed(raw["proposed_share"]) if "proposed_share" in raw else None
    return effective_consent(subject, responses, care_order=care_order, proposed=proposed).as_json()


def _only(raw: Mapping[str, Any], allowed: Sequence[str], prefix: str) -> None:
    for key in raw:
        if key not in allowed:
            raise ConsentInputError(
                f"'{prefix}{key}' is not expected here; expected: {', '.join(allowed)}",
                field=f"{prefix}{key}",
            )


def _choice(value: Any, allowed: Sequence[str], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ConsentInputError(f"'{field}' must be one of: {', '.join(allowed)}", field=field)
    return value


def _subject(raw: Any) -> Subject:
    if not isinstance(raw, dict):
        raise ConsentInputError(
            "'subject' must be an object with the person's age", field="subject"
        )
    _only(raw, ("age", "competent", "lacks_capacity"), "subject.")
    age = raw.get("age")
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise ConsentInputError(
            "'subject.age' must be a whole number of years (0 to 130)", field="subject.age"
        )
    competent = raw.get("competent")
    if competent is not None:
        _choice(competent, YES_NO_UNSURE, "subject.competent")
    lacks = raw.get("lacks_capacity")
    if lacks is not None:
        _choice(lacks, YES_NO_UNSURE, "subject.lacks_capacity")
    return Subject(age=age, competent=competent, lacks_capacity=lacks)


def _response(raw: Any, index: int) -> Response:
    where = f"responses[{index}]"
    if not isinstance(raw, dict):
        raise ConsentInputError(
            f"'{where}' must be an object with 'by' and 'response'", field=where
        )
    _only(raw, ("by", "party", "response", "scope"), f"{where}.")
    party = raw.get("party", "")
    if not isinstance(party, str):
        raise ConsentInputError(f"'{where}.party' must be text", field=f"{where}.party")
    scope = _scope(raw["scope"], f"{where}.scope") if "scope" in raw else None
    return Response(
        by=_choice(raw.get("by"), BY, f"{where}.by"),
        response=_choice(raw.get("response"), RESPONSES, f"{where}.response"),
        party=party.strip(),
        scope=scope,
    )


def _texts(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConsentInputError(f"'{field}' must be a list of text", field=field)
    return tuple(v.strip() for v in value)


def _date(value: Any, field: str) -> dt.date:
    if not isinstance(value, str):
        raise ConsentInputError(f"'{field}' must be a date, YYYY-MM-DD", field=field)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConsentInputError(f"'{field}' must be a date, YYYY-MM-DD", field=field) from None


def _scope(raw: Any, where: str) -> Scope:
    if not isinstance(raw, dict):
        raise ConsentInputError(f"'{where}' must be an object", field=where)
    _only(raw, ("purposes", "recipients", "information", "expires"), f"{where}.")
    return Scope(
        purposes=_texts(raw.get("purposes", []), f"{where}.purposes"),
        recipients=_texts(raw.get("recipients", []), f"{where}.recipients"),
        information=_texts(raw.get("information", []), f"{where}.information"),
        expires=_date(raw["expires"], f"{where}.expires")
        if raw.get("expires") is not None
        else None,
    )


def _proposed(raw: Any) -> ProposedShare:
    where = "proposed_share"
    if not isinstance(raw, dict):
        raise ConsentInputError(f"'{where}' must be an object", field=where)
    _only(raw, ("purpose", "recipient", "information", "date"), f"{where}.")
    purpose = raw.get("purpose")
    recipient = raw.get("recipient")
    if not isinstance(purpose, str) or not purpose.strip():
        raise ConsentInputError(f"'{where}.purpose' must be text", field=f"{where}.purpose")
    if not isinstance(recipient, str) or not recipient.strip():
        raise ConsentInputError(f"'{where}.recipient' must be text", field=f"{where}.recipient")
    on = _date(raw["date"], f"{where}.date") if "date" in raw else dt.date.today()
    return ProposedShare(
        purpose=purpose.strip(),
        recipient=recipient.strip(),
        information=_texts(raw.get("information", []), f"{where}.information"),
        on=on,
    )
