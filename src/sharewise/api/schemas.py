"""What the API takes and gives, as pydantic models through ninja's Schema.

The same types validate the input and write the OpenAPI document, so the document cannot
drift from what is enforced. Input models are strict (a number is not accepted as text,
nor "3" as a number) and forbid unknown fields, because an integrator's typo must fail
loudly rather than silently leave a field unset. The facts of `/decide` are the exception:
the contract's own validator checks them, so that the API answers exactly as `sharewise
decide` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from sharewise.decisions.models import Decision, Status
from sharewise.decisions.selectors import decision_record
from sharewise.decisions.services import decision_evaluate
from sharewise.guidance.facts import CONTRACT_FACTS
from sharewise.guidance.packs import pack_default_id, packs_dirs
from sharewise.input_limits import date_out_of_range, date_range_message, text_limit
from sharewise.people.models import Person, Relationship

# The outcomes of the decision contract ("Outcome"), listed in the OpenAPI document so
# that an integrator's generated client knows every value; `ask` while a fact is missing
# (tests/api/test_openapi.py keeps it equal to the packs' OUTCOMES).
OutcomeValue = Literal["ask", "share", "must_share", "do_not_share", "seek_consent", "seek_advice"]


def _document_text_limits(schema: dict[str, Any]) -> None:
    """Write each text property's limit into the OpenAPI document as maxLength, from the
    rule the parser enforces (sharewise.input_limits), so the two cannot disagree."""
    for name, prop in schema.get("properties", {}).items():
        for option in (prop, *prop.get("anyOf", ())):
            if option.get("type") == "string" and not {"enum", "format"} & option.keys():
                option.setdefault("maxLength", text_limit(name))
            items = option.get("items", {})
            if option.get("type") == "array" and items.get("type") == "string":
                items.setdefault("maxLength", text_limit(name))
            values = option.get("additionalProperties")
            # Text by key, as the reasons by fact: each value is a reason.
            if isinstance(values, dict) and values.get("type") == "string":
                values.setdefault("maxLength", text_limit(f"{name}.value"))


class StrictInput(Schema):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra=_document_text_limits)

    # Every date and time of every input model, whatever it is called: a year such as 1 or
    # 9999 is a typing mistake, and it overflows the arithmetic done with it (a due date, a
    # time zone moved to UTC) into a server error (sharewise.input_limits).
    @field_validator("*", mode="after")
    @classmethod
    def _dates_within_range(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, dt.date) and date_out_of_range(item):
                raise PydanticCustomError("date_out_of_range", date_range_message())
        return value


# --- The decision contract ------------------------------------------------------------


def facts_json_schema() -> dict[str, Any]:
    """The JSON Schema of `decide`'s input, built from the contract's vocabulary so the
    document lists exactly the facts and values the validator accepts."""
    properties: dict[str, Any] = {
        "pack": {
            "type": "string",
            "enum": list(packs_dirs()),
            "description": f"Which guidance to apply (default {pack_default_id()}). "
            "The query parameter `pack` overrides it, as `--pack` does.",
        },
        "reasons": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "The practitioner's reasons for each judgement, by fact "
            "(public_interest, lawful_basis): judgements need reasons (003 3.41, 3.51).",
        },
    }
    for spec in CONTRACT_FACTS.values():
        values = {"type": "string", "enum": list(spec.values)}
        properties[spec.name] = (
            {"type": "array", "items": values, "description": spec.meaning}
            if spec.multiple
            else {**values, "description": spec.meaning}
        )
    return {
        "type": "object",
        "properties": properties,
        # A pack may add facts of its own (declared in its pack.toml); the pack's
        # vocabulary, not this document, says which.
        "additionalProperties": True,
        "example": {
            "pack": "hmg-2018",
            "purpose": "yes",
            "consent": "refused",
            "identifiable": "yes",
            "legal_requirement": "none",
            "child_harm": "reasonable_cause",
            "reasons_not_to_seek_consent": [],
        },
    }


def consent_json_schema() -> dict[str, Any]:
    """The JSON Schema of `sharewise consent`'s input (decision contract, "Effective
    consent")."""
    scope = {
        "type": "object",
        "properties": {
            "purposes": {"type": "array", "items": {"type": "string"}},
            "recipients": {"type": "array", "items": {"type": "string"}},
            "information": {"type": "array", "items": {"type": "string"}},
            "expires": {"type": "string", "format": "date"},
        },
    }
    return {
        "type": "object",
        "properties": {
            "subject": {
                "type": "object",
                "properties": {
                    "age": {"type": "integer", "minimum": 0},
                    "competent": {"type": "string", "enum": ["yes", "no", "unsure"]},
                    "lacks_capacity": {"type": "string", "enum": ["yes", "no", "unsure"]},
                },
                "description": "The person the information is about (3.22 to 3.35)",
            },
            "care_order": {"type": "string", "enum": ["yes", "no"]},
            "responses": {
                "type": "array",
                "description": "Responses in the order made; each party's last counts",
                "items": {
                    "type": "object",
                    "properties": {
                        "by": {"type": "string", "enum": ["subject", "parent", "local_authority"]},
                        "party": {"type": "string"},
                        "response": {"type": "string", "enum": ["given", "refused", "withdrawn"]},
                        "scope": scope,
                    },
                    "required": ["by", "response"],
                },
            },
            "proposed_share": {
                "type": "object",
                "properties": {
                    "purpose": {"type": "string"},
                    "recipient": {"type": "string"},
                    "information": {"type": "array", "items": {"type": "string"}},
                    "date": {"type": "string", "format": "date"},
                },
                "description": "The share to check against the scope of the consent that "
                "counts (3.18, 3.21)",
            },
        },
        "example": {
            "subject": {"age": 7, "competent": "no"},
            "responses": [{"by": "parent", "party": "mother", "response": "refused"}],
        },
    }


class OutcomeOut(Schema):
    """The outcome of `decide`, exactly as `sharewise decide` prints it (decision
    contract, "Outcome"). Sharewise's additions (docs/contract.md) come too: this model
    documents the contract's fields and does not filter the answer."""

    model_config = ConfigDict(extra="allow")

    pack: str
    outcome: OutcomeValue = Field(
        description="ask, share, must_share, do_not_share, seek_consent or seek_advice"
    )
    basis: str | None = Field(
        description="Why sharing is lawful; null unless the outcome is share or must_share"
    )
    refer_now: bool = Field(
        description="Follow the safeguarding procedures without delay (child_harm or "
        "adult_harm of reasonable_cause or evidence; 003 2.5, 3.43)"
    )
    inform_subject: str | None = Field(
        description="yes or no for sharing without consent (3.9, 3.11, 3.36, 3.48); null "
        "where it does not arise"
    )
    question: dict[str, Any] | None = Field(description="The next fact to answer, for ask")
    trace: list[dict[str, Any]] = Field(description="Every question passed, in order")
    citations: list[str] = Field(description="Every paragraph the outcome rests on")
    how_to_share: list[str] = Field(description="Share appropriately and securely (Q6, 3.49)")
    record: list[str] = Field(description="What must be recorded (Q7, 3.51)")


class ScopeGapOut(Schema):
    part: str = Field(description="purposes, recipients, information, expiry or scope")
    wanted: str
    message: str
    cite: list[str]


class ConsentOut(Schema):
    """The consent that counts, as `sharewise consent` prints it (decision contract,
    "Effective consent", and Sharewise's additions in docs/contract.md)."""

    consent: str = Field(description="A value of the consent fact, or ask")
    whose: str | None = Field(description="subject or parent")
    question: dict[str, Any] | None = Field(
        description="For ask: what to assess first (competence, 3.24; capacity, 3.31)"
    )
    conflict: bool = Field(description="A person with parental responsibility refused (3.27)")
    citations: list[str]
    explanation: str = Field(description="The rule applied, in words")
    not_counted: list[dict[str, Any]] = Field(
        description="Responses that do not count and why (a parent's view when the child "
        "is competent, 3.28)"
    )
    consent_covers: str | None = Field(
        None,
        description="With a proposed share: yes or no, whether the consent covers it (3.21); "
        "absent or null without one",
    )
    not_covered: list[ScopeGapOut] | None = Field(
        None, description="With a proposed share: each part the consent does not cover"
    )


# --- People ---------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    agency: AgencyOut
    given_name: str
    family_name: str
    full_name: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None = Field(description="For an unborn child")
    nhs_number: str
    upn: str = Field(description="Unique Pupil Number")
    case_reference: str


class RelationshipOut(Schema):
    person_id: int = Field(description="The other person")
    name: str
    kind: str = Field(description="parent, carer, sibling or partner")
    party: str = Field(description="How consent responses name them: mother, father")
    parental_responsibility: bool
    lives_with: bool


class PersonDetailOut(PersonOut):
    address: str
    postcode: str
    care_order: bool = Field(
        description="With a care order in force the local authority shares parental "
        "responsibility (3.27)"
    )
    aliases: list[str]
    relationships: list[RelationshipOut] = Field(
        description="This person's relatives: each is `kind` of this person"
    )
    relative_of: list[RelationshipOut] = Field(
        description="The people this person is a relative of: this person is `kind` of each"
    )

    @staticmethod
    def resolve_aliases(obj: Person) -> list[str]:
        return [alias.name for alias in obj.aliases.all()]

    @staticmethod
    def resolve_relationships(obj: Person) -> list[dict[str, Any]]:
        links: list[Relationship] = getattr(obj, "visible_relationships", [])
        return [_relationship(link, link.relative) for link in links]

    @staticmethod
    def resolve_relative_of(obj: Person) -> list[dict[str, Any]]:
        links: list[Relationship] = getattr(obj, "visible_relative_of", [])
        return [_relationship(link, link.person) for link in links]


def _relationship(link: Relationship, other: Person) -> dict[str, Any]:
    return {
        "person_id": other.pk,
        "name": other.full_name,
        "kind": link.kind,
        "party": link.party,
        "parental_responsibility": link.parental_responsibility,
        "lives_with": link.lives_with,
    }


class ConsentRecordOut(Schema):
    id: int
    given_by: str = Field(description="subject, parent or local_authority")
    party: str
    response: str = Field(description="given, refused or withdrawn")
    form: str = Field(description="explicit or implicit")
    medium: str = Field(description="verbal or written")
    informed_points: list[str] = Field(description="What the person understood (3.18)")
    purposes: list[str]
    recipients: list[str]
    information: list[str]
    expires: dt.date | None
    notes: str
    follows: int | None = Field(description="The record this one changes", alias="follows_id")
    given_at: dt.datetime
    recorded_at: dt.datetime


class PersonConsentsOut(Schema):
    person_id: int
    records: list[ConsentRecordOut] = Field(description="Every response, oldest first")
    effective: ConsentOut | None = Field(
        description="The consent that counts, from the records (3.22 to 3.35); null when "
        "none are held"
    )
    records_used: list[int]

    @staticmethod
    def resolve_person_id(obj: Any) -> int:
        return int(obj.person.pk)


# --- Decisions ------------------------------------------------------------------------


class DecisionStartIn(StrictInput):
    person_id: int = Field(description="The person the information is about")
    purpose: str = Field(description="What the information would be shared for (Q1, 3.3)")
    recipient: str = Field("", description="Who it would be shared with")
    information: list[str] = Field(
        default_factory=list, description="The kinds of information to be shared"
    )
    pack: str | None = Field(
        None,
        description="The pack to decide under (default: the one the agency's administrator "
        "set, or else the newest national pack in force today with the law of where the "
        "agency is; the record's pack_reason says which and why)",
    )


class AnswersIn(StrictInput):
    # Any values: the contract's validator checks them, as it does for `/decide`, and
    # names the fact at fault.
    answers: dict[str, Any] = Field(
        description="Facts of the decision contract, by name, as `decide` takes them"
    )
    reasons: dict[str, str] = Field(
        default_factory=dict,
        description="Reasons for each judgement answered (public_interest, lawful_basis): "
        "required with the judgement (3.41, 3.51)",
    )
    revision: int = Field(description="The decision's revision as you last read it")


class DetailsIn(StrictInput):
    article6_basis: str | None = Field(
        None,
        description="UK GDPR Article 6(1): consent, legal_obligation, vital_interests, "
        "public_task or legitimate_interests",
    )
    special_category_condition: str | None = Field(
        None,
        description="not_special, explicit_consent, vital_interests, legal_claims, "
        "safeguarding (DPA 2018 Schedule 1 paragraph 18) or preventing_crime (paragraph 10)",
    )
    paragraph18_reason: str | None = Field(
        None,
        description="Why consent was not sought under paragraph 18(2): cannot_be_given, "
        "cannot_reasonably_obtain or would_prejudice_protection",
    )
    person_told: str | None = Field(None, description="yes, not_yet or no (3.9, 3.36)")
    person_told_confirmed: bool | None = Field(
        None,
        description="true to confirm that the person was told although the outcome's "
        "inform_subject is no; signing is refused without it",
    )
    person_not_told_reason: str | None = None
    advice_from: str | None = Field(None, description="Who was asked for advice")
    advice_given: str | None = None
    notes: str | None = None


class ProportionalityIn(StrictInput):
    question: str
    answer: str


class DetailsUpdateIn(StrictInput):
    details: DetailsIn | None = Field(None, description="Only the fields sent are changed")
    proportionality: list[ProportionalityIn] | None = Field(
        None, description="Answers to the pack's proportionality questions (3.41)"
    )
    revision: int = Field(description="The decision's revision as you last read it")


class RevisionIn(StrictInput):
    revision: int = Field(description="The decision's revision as you last read it")


class ProportionalityOut(Schema):
    question: str
    answer: str


def _signed(decision: Decision) -> dict[str, Any]:
    """The outcome as signed, or {} for a draft or a decision signed before the whole
    record was kept (whose summary columns are then what was signed)."""
    if decision.status != Status.SIGNED or decision.signed_record is None:
        return {}
    return dict(decision.signed_record["outcome"])


class DecisionOut(Schema):
    """A decision record (003 3.51): the answers, the outcome with its trace, the pack it
    was made under (for replay), the lawful basis and what the person was told."""

    id: int
    person_id: int
    agency: AgencyOut
    status: str = Field(description="draft or signed; a signed decision is never changed")
    version: int = Field(description="1, then one more for each correction")
    corrects: int | None = Field(description="The signed decision this version corrects")
    revision: int = Field(description="Send it back with a change; 409 if it has moved on")
    purpose: str
    recipient: str
    information: list[str]
    pack_id: str
    pack_version: str
    pack_hash: str
    pack_reason: str = Field(description="Why this pack applied, in words")
    facts: dict[str, Any]
    reasons: dict[str, Any]
    proportionality: list[ProportionalityOut]
    consent_source: dict[str, Any] | None = Field(
        description="How the consent answer was worked out from the consent records"
    )
    outcome: OutcomeValue
    basis: str | None
    refer_now: bool
    refer_now_assessed: bool = Field(
        description="false where the path decided without asking about harm: refer now is "
        "then not assessed, never no (docs/contract.md)"
    )
    inform_subject: str | None
    question: dict[str, Any] | None = Field(
        description="For a draft whose outcome is ask: the next fact to answer"
    )
    trace: list[dict[str, Any]]
    citations: list[str]
    signed_outcome: dict[str, Any] | None = Field(
        description="For a signed decision: the whole outcome as it was signed (the "
        "decision contract's outcome object, with the interrupts, duties and words), kept "
        "when it was signed and never replayed; null for a draft"
    )
    article6_basis: str
    special_category_condition: str
    paragraph18_reason: str
    person_told: str
    person_told_confirmed: bool
    person_not_told_reason: str
    advice_from: str
    advice_given: str
    notes: str
    created_at: dt.datetime
    created_by: str
    signed_at: dt.datetime | None
    signed_by: str | None

    @staticmethod
    def resolve_corrects(obj: Decision) -> int | None:
        return obj.corrects_id

    # A signed decision answers from the record kept when it was signed, a draft from its
    # summary columns (decisions.selectors.decision_record).
    @staticmethod
    def resolve_outcome(obj: Decision) -> str:
        return str(_signed(obj).get("outcome", obj.outcome))

    @staticmethod
    def resolve_basis(obj: Decision) -> str | None:
        # Stored as text, given as the contract gives it: null where there is no basis.
        return _signed(obj).get("basis", obj.basis or None)

    @staticmethod
    def resolve_refer_now(obj: Decision) -> bool:
        return bool(_signed(obj).get("refer_now", obj.refer_now))

    @staticmethod
    def resolve_refer_now_assessed(obj: Decision) -> bool:
        signed = _signed(obj)
        if "refer_now_assessed" in signed:
            return bool(signed["refer_now_assessed"])
        return bool(decision_record(obj)["outcome"].get("refer_now_assessed", True))

    @staticmethod
    def resolve_inform_subject(obj: Decision) -> str | None:
        return _signed(obj).get("inform_subject", obj.inform_subject or None)

    @staticmethod
    def resolve_trace(obj: Decision) -> list[dict[str, Any]]:
        return list(_signed(obj).get("trace", obj.trace))

    @staticmethod
    def resolve_citations(obj: Decision) -> list[str]:
        return list(_signed(obj).get("citations", obj.citations))

    @staticmethod
    def resolve_signed_outcome(obj: Decision) -> dict[str, Any] | None:
        return decision_record(obj)["outcome"] if obj.status == Status.SIGNED else None

    @staticmethod
    def resolve_question(obj: Decision) -> dict[str, Any] | None:
        if obj.status != Status.DRAFT or obj.outcome != "ask":
            return None
        return decision_evaluate(obj).question

    @staticmethod
    def resolve_created_by(obj: Decision) -> str:
        return str(obj.created_by.get_username())

    @staticmethod
    def resolve_signed_by(obj: Decision) -> str | None:
        return obj.signed_by.get_username() if obj.signed_by is not None else None
