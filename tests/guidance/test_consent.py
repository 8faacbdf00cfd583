"""Effective consent (3.22 to 3.35) and consent scope (3.18 to 3.21)."""

from __future__ import annotations

import datetime as dt

import pytest

from sharewise.guidance.consent import (
    ProposedShare,
    Response,
    Scope,
    Subject,
    consent_from_json,
    effective_consent,
    scope_check,
)
from sharewise.guidance.errors import ConsentInputError

TODAY = dt.date(2026, 11, 23)


def test_a_competent_childs_refusal_counts_even_if_a_parent_consents() -> None:
    result = effective_consent(
        Subject(age=14, competent="yes"),
        [Response("subject", "refused"), Response("parent", "given")],
    )
    assert (result.consent, result.whose, result.conflict) == ("refused", "subject", False)
    assert result.not_counted[0]["by"] == "parent"
    assert "3.28" in result.citations


def test_each_partys_last_response_counts() -> None:
    result = effective_consent(
        Subject(age=8, competent="no"),
        [Response("parent", "given", "mother"), Response("parent", "withdrawn", "mother")],
    )
    assert result.consent == "withdrawn"


def test_local_authority_counts_only_with_a_care_order() -> None:
    responses = [Response("local_authority", "given")]
    assert effective_consent(Subject(age=5, competent="no"), responses).consent == "not_sought"
    assert (
        effective_consent(Subject(age=5, competent="no"), responses, care_order=True).consent
        == "given"
    )


@pytest.mark.parametrize("competent", [None, "unsure"])
def test_under_16_with_competence_unassessed_asks_for_the_assessment(competent: str | None) -> None:
    result = effective_consent(Subject(age=12, competent=competent), [Response("subject", "given")])
    assert result.consent == "ask"
    assert result.question is not None and result.question["id"] == "competent"
    assert len(result.question["criteria"]) == 8  # the criteria of 3.24


def test_sixteen_is_presumed_to_have_capacity() -> None:
    result = effective_consent(Subject(age=16), [Response("parent", "refused")])
    assert (result.consent, result.whose) == ("not_sought", "subject")
    doubtful = effective_consent(Subject(age=16, lacks_capacity="unsure"), [])
    assert doubtful.consent == "ask" and doubtful.question["id"] == "lacks_capacity"


def _share(**changes: object) -> ProposedShare:
    fields = {
        "purpose": "Hearing check",
        "recipient": "Health visitor",
        "information": ("attendance",),
        "on": TODAY,
    }
    return ProposedShare(**{**fields, **changes})  # type: ignore[arg-type]


SCOPE = Scope(
    purposes=("hearing check",),
    recipients=("health visitor",),
    information=("attendance",),
    expires=TODAY,
)


def test_scope_covers_a_matching_share_whatever_the_case_or_spacing() -> None:
    assert scope_check(SCOPE, _share(recipient="  health   VISITOR ")) == []


@pytest.mark.parametrize(
    ("change", "part"),
    [
        ({"purpose": "Housing"}, "purposes"),
        ({"recipient": "Police"}, "recipients"),
        ({"information": ("attendance", "mental health")}, "information"),
        ({"on": TODAY + dt.timedelta(days=1)}, "expiry"),
    ],
)
def test_scope_says_which_part_is_not_covered(change: dict, part: str) -> None:
    gaps = scope_check(SCOPE, _share(**change))
    assert [g.part for g in gaps] == [part]
    assert gaps[0].message and gaps[0].cite


def test_a_consent_with_no_recorded_scope_covers_nothing() -> None:
    assert [g.part for g in scope_check(None, _share())] == ["scope"]


def test_one_parents_covering_consent_is_enough() -> None:
    narrow = Scope(purposes=("school trip",), recipients=("school",), information=("name",))
    result = effective_consent(
        Subject(age=6, competent="no"),
        [
            Response("parent", "given", "mother", narrow),
            Response("parent", "given", "father", SCOPE),
        ],
        proposed=_share(),
    )
    assert result.covers == "yes" and result.gaps == ()


def test_withdrawn_consent_covers_nothing() -> None:
    result = effective_consent(
        Subject(age=30),
        [Response("subject", "given", scope=SCOPE), Response("subject", "withdrawn")],
        proposed=_share(),
    )
    assert (result.consent, result.covers) == ("withdrawn", "no")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], None),
        ({"responses": []}, "subject"),
        ({"subject": {"age": "14"}}, "subject.age"),
        ({"subject": {"age": 14, "competent": "maybe"}}, "subject.competent"),
        ({"subject": {"age": 14}, "responses": {}}, "responses"),
        (
            {"subject": {"age": 14}, "responses": [{"by": "subject", "response": "ok"}]},
            "responses[0].response",
        ),
        ({"subject": {"age": 14}, "care_order": True}, "care_order"),
        ({"subject": {"age": 14}, "colour": "red"}, "colour"),
        (
            {
                "subject": {"age": 30},
                "proposed_share": {"purpose": "x", "recipient": "y", "date": "23/11/2026"},
            },
            "proposed_share.date",
        ),
        (
            {
                "subject": {"age": 30},
                "responses": [{"by": "subject", "response": "given", "scope": {"expires": "soon"}}],
            },
            "responses[0].scope.expires",
        ),
    ],
)
def test_bad_consent_input_names_the_field(raw: object, field: str | None) -> None:
    with pytest.raises(ConsentInputError) as caught:
        consent_from_json(raw)
    assert caught.value.field == field


def test_consent_json_output_shape() -> None:
    out = consent_from_json(
        {
            "subject": {"age": 7, "competent": "no"},
            "responses": [{"by": "parent", "party": "mother", "response": "refused"}],
        }
    )
    assert set(out) >= {"consent", "whose", "question", "conflict", "citations"}
    assert "consent_covers" not in out
