"""The disclosures area in the access matrix: a signed decision of agency A to share with
the police, and a disclosure of it sent through Sharewise to practitioner B, the one
person outside agency A who may see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sharewise.decisions import services as decision_services
from sharewise.disclosures import services
from tests.access.routes import HELEN_2008_ANSWERS, PERSONAS, SIGNING_DETAILS, World

OK, LOGIN = "allowed", "sent to sign in"
_A_WRITERS = {"practitioner_a": OK, "lead_a": OK, "manager_a": OK}
_A_ALL = ("practitioner_a", "lead_a", "manager_a", "auditor_a")
_STRANGERS = {"outsider": 404, "admin": 404}


def build(world: World) -> dict[str, str]:
    user = world.people.practitioner_a
    decision = decision_services.decision_start(
        user=user,
        person=world.person,
        purpose="Tell the police about the bruising",
        recipient="Northtown Police",
        pack_id="hmg-2008",
    )
    decision = decision_services.decision_answer(
        user=user, decision=decision, answers=HELEN_2008_ANSWERS
    )
    decision = decision_services.decision_details_update(
        user=user, decision=decision, details=SIGNING_DETAILS
    )
    decision = decision_services.decision_sign(user=user, decision=decision)
    disclosure = services.disclosure_send(
        user=user,
        decision=decision,
        recipient_agency=world.people.agency_b,
        recipient_user=world.people.practitioner_b,
        channel="sharewise",
        items=[
            services.ItemInput(
                text="Bruising seen on both arms",
                kind="fact",
                source="Practice nurse",
                dated=timezone.localdate(),
            )
        ],
    )
    world.extra["disclosures"] = {"decision": decision, "disclosure": disclosure}
    return {"disclosure_id": str(disclosure.pk)}


SAMPLES_BY_VIEW: dict[str, Callable[[World], dict[str, str]]] = {
    "disclosure_new": lambda world: {"decision_id": str(world.extra["disclosures"]["decision"].pk)},
}

API_BODIES: dict[str, Callable[[World], Any]] = {
    # No items: an allowed caller gets past the access checks and stops at 400.
    "disclosure_create": lambda world: {
        "decision_id": world.extra["disclosures"]["decision"].pk,
        "recipient_agency_id": world.people.agency_b.pk,
        "recipient_user_id": world.people.practitioner_b.pk,
        "channel": "sharewise",
        "items": [],
    },
    "disclosure_acknowledge_endpoint": lambda world: None,
    "disclosure_withdraw_endpoint": lambda world: {"reason": ""},
    "disclosure_subject_told_endpoint": lambda world: {"how": ""},
    "protected_identity_create": lambda world: {"name": "", "role": "neighbour"},
}

WEB_FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "disclosure_new": lambda world: {"channel": "sharewise"},
    "protected_identities": lambda world: {"name": ""},
    "acknowledge": lambda world: {},
    "withdraw": lambda world: {"reason": ""},
    "subject_told": lambda world: {"how": ""},
}


def _expected(anonymous: Any) -> dict[str, dict[str, Any]]:
    return {
        "PARTIES": {
            "anonymous": anonymous,
            **dict.fromkeys(_A_ALL, OK),
            "practitioner_b": OK,
            **_STRANGERS,
        },
        "RECIPIENT": {
            "anonymous": anonymous,
            **dict.fromkeys(_A_ALL, 403),
            "practitioner_b": OK,
            **_STRANGERS,
        },
        "SENDER": {
            "anonymous": anonymous,
            **_A_WRITERS,
            "auditor_a": 403,
            "practitioner_b": 403,
            **_STRANGERS,
        },
    }


EXPECTED: dict[str, dict[str, Any]] = {
    **{f"DISCLOSURE_{k}": v for k, v in _expected(LOGIN).items()},
    **{f"API_DISCLOSURE_{k}": v for k, v in _expected(401).items()},
}
assert all(set(table) == set(PERSONAS) for table in EXPECTED.values())
