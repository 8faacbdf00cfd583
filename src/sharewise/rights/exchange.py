"""The decision exchange document: a signed decision with its trace, as JSON another
Sharewise can read and replay (DESIGN.md capability 2: "every decision records the pack
id, version and content hash and can be replayed exactly").

The document describes itself (`format`, `format_version`) and carries nothing that means
something only inside the Sharewise it came from: no record ids, no usernames; the agency
and the people who decided are named as a reader elsewhere would know them. It does not
identify the person the decision is about either: the importing practitioner chooses the
person in their own records, so that a file sent to the wrong place discloses as little as
it can (004 "Necessary and proportionate").

This module only builds and reads the document; `services.decision_import` decides whether
to accept it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sharewise.common import ServiceError
from sharewise.decisions.models import Decision
from sharewise.decisions.selectors import decision_record
from sharewise.guidance.engine import Outcome

FORMAT = "sharewise.decision"
FORMAT_VERSION = 1

# The lawful basis and the other details the importing agency's record takes as they were
# recorded (decisions.services.DETAIL_FIELDS, but for the notes, which say where the
# decision came from first).
DETAILS = (
    "article6_basis",
    "special_category_condition",
    "paragraph18_reason",
    "person_told",
    "person_not_told_reason",
    "advice_from",
    "advice_given",
)


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or "").strip() or str(user.get_username())


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def decision_document(decision: Decision) -> dict[str, Any]:
    """The exchange document of a signed decision."""
    signed = decision_record(decision)["outcome"]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "agency": {"name": decision.agency.name, "kind": decision.agency.kind},
        "record_version": decision.version,
        "purpose": decision.purpose,
        "recipient": decision.recipient,
        "information": list(decision.information),
        "pack": {
            "id": decision.pack_id,
            "version": decision.pack_version,
            "hash": decision.pack_hash,
        },
        "pack_reason": decision.pack_reason,
        "facts": dict(decision.facts),
        "reasons": {k: v for k, v in decision.reasons.items() if isinstance(v, str)},
        "proportionality": list(decision.proportionality),
        # What was signed, from the record kept at signing (decisions.selectors
        # .decision_record), never a replay under this Sharewise's pack files.
        "outcome": outcome_part(
            outcome=signed["outcome"],
            basis=signed["basis"],
            refer_now=signed["refer_now"],
            inform_subject=signed["inform_subject"],
        ),
        "trace": list(signed["trace"]),
        "citations": list(signed["citations"]),
        "lawful_basis": {
            "article6_basis": decision.article6_basis,
            "special_category_condition": decision.special_category_condition,
            "paragraph18_reason": decision.paragraph18_reason,
        },
        "person_told": decision.person_told,
        "person_told_confirmed": decision.person_told_confirmed,
        "person_not_told_reason": decision.person_not_told_reason,
        "advice_from": decision.advice_from,
        "advice_given": decision.advice_given,
        "notes": decision.notes,
        "started_at": _iso(decision.created_at),
        "started_by": _name(decision.created_by),
        "signed_at": _iso(decision.signed_at),
        "signed_by": _name(decision.signed_by),
    }


def outcome_part(
    *, outcome: str, basis: str | None, refer_now: bool, inform_subject: str | None
) -> dict[str, Any]:
    return {
        "outcome": outcome,
        "basis": basis,
        "refer_now": refer_now,
        "inform_subject": inform_subject,
    }


def outcome_of(outcome: Outcome) -> dict[str, Any]:
    """What the engine decided, in the document's shape, to compare with what it says."""
    return {
        "outcome": outcome_part(
            outcome=outcome.outcome,
            basis=outcome.basis,
            refer_now=outcome.refer_now,
            inform_subject=outcome.inform_subject,
        ),
        "trace": [step.as_json() for step in outcome.trace],
        "citations": list(outcome.citations),
    }


@dataclass(frozen=True)
class DecisionDocument:
    """A document read and checked for shape; whether its outcome holds is checked by
    replaying it (services.decision_import)."""

    raw: dict[str, Any]
    agency_name: str
    purpose: str
    recipient: str
    information: list[str]
    pack_id: str
    pack_version: str
    pack_hash: str
    facts: dict[str, Any]
    reasons: dict[str, str]
    proportionality: list[dict[str, str]]
    details: dict[str, Any]
    notes: str
    started_at: dt.datetime | None
    signed_at: dt.datetime | None
    signed_by: str


def _refuse(message: str, field: str = "document") -> ServiceError:
    return ServiceError(
        f"This is not a decision document Sharewise can import: {message}", field=field
    )


def _text(raw: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _refuse(f"'{key}' must be text")
    if required and not value.strip():
        raise _refuse(f"'{key}' is missing")
    return value


def _when(raw: dict[str, Any], key: str) -> dt.datetime | None:
    value = raw.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise _refuse(f"'{key}' must be a date and time")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(f"'{key}' must be a date and time, like 2025-03-27T14:05:00+00:00") from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def document_read(raw: Any) -> DecisionDocument:
    """Check the document's shape: its format and version, and every field's type."""
    if not isinstance(raw, dict):
        raise _refuse("it must be one JSON object")
    if raw.get("format") != FORMAT:
        raise _refuse(f"its 'format' must be '{FORMAT}'", field="format")
    if raw.get("format_version") != FORMAT_VERSION:
        raise _refuse(
            f"this Sharewise reads version {FORMAT_VERSION} of the format, the document is "
            f"version {raw.get('format_version')!r}",
            field="format_version",
        )
    pack = raw.get("pack")
    if not isinstance(pack, dict) or not all(
        isinstance(pack.get(k), str) and pack.get(k) for k in ("id", "version", "hash")
    ):
        raise _refuse("'pack' must give the pack's id, version and hash", field="pack")
    facts = raw.get("facts")
    if not isinstance(facts, dict) or not facts:
        raise _refuse("'facts' must be the answers the decision rests on", field="facts")
    reasons = raw.get("reasons") or {}
    if not isinstance(reasons, dict) or not all(isinstance(v, str) for v in reasons.values()):
        raise _refuse("'reasons' must give each judgement's reasons as text", field="reasons")
    proportionality = raw.get("proportionality") or []
    if not isinstance(proportionality, list) or not all(
        isinstance(p, dict) for p in proportionality
    ):
        raise _refuse("'proportionality' must be a list of questions and answers")
    information = raw.get("information") or []
    if not isinstance(information, list) or not all(isinstance(i, str) for i in information):
        raise _refuse("'information' must be a list of kinds of information")
    for part in ("outcome", "lawful_basis", "agency"):
        if not isinstance(raw.get(part), dict):
            raise _refuse(f"'{part}' is missing", field=part)
    if not isinstance(raw.get("trace"), list) or not isinstance(raw.get("citations"), list):
        raise _refuse("'trace' and 'citations' must be lists", field="trace")
    signed_at = _when(raw, "signed_at")
    if signed_at is None:
        raise _refuse("only a signed decision is exchanged, and 'signed_at' is missing")
    lawful_basis = raw["lawful_basis"]
    details: dict[str, Any] = {
        name: _text(lawful_basis if name in lawful_basis else raw, name) for name in DETAILS
    }
    confirmed = raw.get("person_told_confirmed", False)
    if not isinstance(confirmed, bool):
        raise _refuse("'person_told_confirmed' must be true or false")
    details["person_told_confirmed"] = confirmed
    return DecisionDocument(
        raw=raw,
        agency_name=_text(raw["agency"], "name", required=True),
        purpose=_text(raw, "purpose", required=True),
        recipient=_text(raw, "recipient"),
        information=list(information),
        pack_id=pack["id"],
        pack_version=pack["version"],
        pack_hash=pack["hash"],
        facts=dict(facts),
        reasons={str(k): v for k, v in reasons.items()},
        proportionality=[
            {"question": str(p.get("question", "")), "answer": str(p.get("answer", ""))}
            for p in proportionality
        ],
        details=details,
        notes=_text(raw, "notes"),
        started_at=_when(raw, "started_at"),
        signed_at=signed_at,
        signed_by=_text(raw, "signed_by"),
    )


def document_differences(document: DecisionDocument, replayed: dict[str, Any]) -> list[str]:
    """What the replay decided differently from what the document says, in words."""
    said = document.raw
    differences = []
    for key in ("outcome", "basis", "refer_now", "inform_subject"):
        if said["outcome"].get(key) != replayed["outcome"][key]:
            differences.append(
                f"the {key.replace('_', ' ')} is {said['outcome'].get(key)!r} in the document "
                f"but {replayed['outcome'][key]!r} when its answers are replayed"
            )
    if said["trace"] != replayed["trace"]:
        differences.append("the trace differs from the path its answers take through the pack")
    if said["citations"] != replayed["citations"]:
        differences.append("the paragraphs cited differ from those the replay cites")
    return differences
