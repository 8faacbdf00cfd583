"""Requests for information in the access matrix.

Practitioner B's agency sends a request through Sharewise to agency A about the world's
person, and agency A matches it to that person. So B and every member of A (but the
administrator) see the request; A answers it (B is refused, 403), B replies (A is refused,
403); the outsider and the administrator find nothing (404).
"""

from __future__ import annotations

from typing import Any

from sharewise.requests.services import RequestDetails, request_match, request_send

OK, LOGIN = "allowed", "sent to sign in"

_A_READERS = {"practitioner_a": OK, "lead_a": OK, "manager_a": OK, "auditor_a": OK}
_NOBODY = {"outsider": 404, "admin": 404}

EXPECTED: dict[str, dict[str, Any]] = {
    "REQUEST_PARTIES": {"anonymous": LOGIN, **_A_READERS, "practitioner_b": OK, **_NOBODY},
    "REQUEST_RECEIVER": {"anonymous": LOGIN, **_A_READERS, "practitioner_b": 403, **_NOBODY},
    "REQUEST_REQUESTER": {
        "anonymous": LOGIN,
        **dict.fromkeys(_A_READERS, 403),
        "practitioner_b": OK,
        **_NOBODY,
    },
}
EXPECTED_WRITE: dict[str, dict[str, Any]] = {
    # An auditor reads a request but neither answers nor closes it.
    "REQUEST_PARTIES": {**EXPECTED["REQUEST_PARTIES"], "auditor_a": 403},
    "REQUEST_RECEIVER": {**EXPECTED["REQUEST_RECEIVER"], "auditor_a": 403},
}
for _name in ("REQUEST_PARTIES", "REQUEST_RECEIVER", "REQUEST_REQUESTER"):
    EXPECTED[f"API_{_name}"] = {**EXPECTED[_name], "anonymous": 401}
    if _name in EXPECTED_WRITE:
        EXPECTED_WRITE[f"API_{_name}"] = {**EXPECTED_WRITE[_name], "anonymous": 401}


def build(world: Any) -> dict[str, str]:
    people = world.people
    sent = request_send(
        user=people.practitioner_b,
        from_agency=people.agency_b,
        to_agency=people.agency_a,
        details=RequestDetails(
            requester_role="Detective constable",
            subject_name=world.person.full_name,
            subject_date_of_birth=world.person.date_of_birth,
            information_requested="Attendance at appointments since January",
            purpose="A strategy discussion about bruising reported by the school",
            necessity="To know whether injuries were seen before",
            lawful_basis="UK GDPR Article 6(1)(e); Children Act 2004 section 16H",
            statutory=True,
        ),
    )
    request_match(user=people.practitioner_a, info_request=sent, person=world.person)
    world.extra["requests"] = sent
    return {"info_request_id": str(sent.pk)}


# Well-formed bodies: an allowed write either succeeds or stops at a 400 that changes
# nothing (an empty reason, no signed decision yet).
API_BODIES = {
    "api_info_request_send": lambda world: {
        "from_agency_id": world.people.agency_a.pk,
        "to_agency_id": world.people.agency_b.pk,
        "requester_role": "GP",
        "subject_name": "Helen",
        "information_requested": "Any reports of missing episodes",
        "purpose": "A referral",
        "necessity": "To assess risk",
        "lawful_basis": "Public task",
    },
    "api_info_request_record": lambda world: {
        "agency_id": world.people.agency_a.pk,
        "channel": "phone",
        "requester_name": "DC Smith",
        "requester_role": "Detective constable",
        "requester_agency_name": "Northtown Police",
        "subject_name": "Helen",
        "information_requested": "Attendance",
        "purpose": "A strategy discussion",
        "necessity": "To assess risk",
    },
    "api_info_request_match": lambda world: {"person_id": world.person.pk},
    "api_info_request_decision": lambda world: {"pack": "hmg-2008"},
    "api_info_request_respond": lambda world: {"outcome": "not_shared", "reasons": ""},
    "api_info_request_reply": lambda world: {"information": ""},
    "api_info_request_close": lambda world: {"reason": ""},
}

WEB_FORMS = {
    "info_request_match": lambda world: {"person_id": str(world.person.pk)},
    "info_request_respond": lambda world: {"outcome": "not_shared", "reasons": ""},
    "info_request_reply": lambda world: {"information": ""},
    "info_request_close": lambda world: {"reason": ""},
    "info_request_decision": lambda world: {"pack_id": "hmg-2008"},
}
