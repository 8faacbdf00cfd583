"""Advice requests in the access matrix.

Practitioner A asks agency A's safeguarding leads for advice about the world's draft
decision and sends it. So practitioner A (who asked), lead A and auditor A (who read what
is sent to their agency's leads) may open it; manager A, practitioner B, the outsider and
the administrator find nothing (404). Only practitioner A may change, send or record the
outcome (lead A and auditor A are refused, 403); only lead A may answer (practitioner A
and auditor A are refused, 403).
"""

from __future__ import annotations

from typing import Any

from sharewise.advice.services import advice_request_create, advice_request_send

OK, LOGIN = "allowed", "sent to sign in"

_NOBODY = {"manager_a": 404, "practitioner_b": 404, "outsider": 404, "admin": 404}

EXPECTED: dict[str, dict[str, Any]] = {
    "ADVICE_READ": {
        "anonymous": LOGIN,
        "practitioner_a": OK,
        "lead_a": OK,
        "auditor_a": OK,
        **_NOBODY,
    },
    "ADVICE_ASKER": {
        "anonymous": LOGIN,
        "practitioner_a": OK,
        "lead_a": 403,
        "auditor_a": 403,
        **_NOBODY,
    },
    "ADVICE_LEAD": {
        "anonymous": LOGIN,
        "practitioner_a": 403,
        "lead_a": OK,
        "auditor_a": 403,
        **_NOBODY,
    },
}
for _name in ("ADVICE_READ", "ADVICE_ASKER", "ADVICE_LEAD"):
    EXPECTED[f"API_{_name}"] = {**EXPECTED[_name], "anonymous": 401}


def build(world: Any) -> dict[str, str]:
    people = world.people
    draft = advice_request_create(
        user=people.practitioner_a,
        decision=world.draft,
        text=f"{world.person.full_name} has bruises again. Should I share without consent?",
    )
    sent = advice_request_send(
        user=people.practitioner_a, advice_request=draft, reviewed_text=draft.redacted_text
    )
    world.extra["advice"] = sent
    return {"advice_id": str(sent.pk)}


# Well-formed bodies: an allowed write stops at a 400 that changes nothing (an empty text,
# a request already sent, advice not given yet), so the redaction never has to run.
API_BODIES = {
    "api_advice_create": lambda world: {"decision_id": world.draft.pk, "text": ""},
    "api_advice_review": lambda world: {"text": ""},
    "api_advice_send": lambda world: {"reviewed_text": ""},
    "api_advice_answer": lambda world: {"answer": ""},
    "api_advice_outcome": lambda world: {"outcome": "followed", "reason": ""},
    "api_advice_copy_to_decision": lambda world: None,
}
