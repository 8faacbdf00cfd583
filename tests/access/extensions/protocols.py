"""The protocol register's part of the access matrix.

The protocols are between agency A and a third agency C, so practitioner B's agency is not
a party: for B each protocol does not exist (404), as for the outsider. The administrator
manages them all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sharewise.agencies.models import AgencyKind, Role
from sharewise.protocols.services import (
    ProtocolTerms,
    protocol_create,
    protocol_sign,
    protocol_submit,
)
from tests.factories import AgencyFactory, member

OK, LOGIN = "allowed", "sent to sign in"

_PARTY_A = {"practitioner_a": OK, "lead_a": OK, "manager_a": OK, "auditor_a": OK}

EXPECTED: dict[str, dict[str, Any]] = {
    "PROTOCOL_READ": {
        "anonymous": LOGIN,
        **_PARTY_A,
        "admin": OK,
        "practitioner_b": 404,
        "outsider": 404,
    },
    "PROTOCOL_SIGN": {
        "anonymous": LOGIN,
        "lead_a": OK,
        "manager_a": OK,
        "practitioner_a": 403,
        "auditor_a": 403,
        "admin": 403,
        "practitioner_b": 404,
        "outsider": 404,
    },
    "PROTOCOL_ADMIN": {
        "anonymous": LOGIN,
        "admin": OK,
        **dict.fromkeys(
            ("practitioner_a", "lead_a", "manager_a", "auditor_a", "practitioner_b", "outsider"),
            403,
        ),
    },
}
EXPECTED["API_PROTOCOL_READ"] = {**EXPECTED["PROTOCOL_READ"], "anonymous": 401}
EXPECTED["API_PROTOCOL_SIGN"] = {**EXPECTED["PROTOCOL_SIGN"], "anonymous": 401}
EXPECTED["API_PROTOCOL_ADMIN"] = {**EXPECTED["PROTOCOL_ADMIN"], "anonymous": 401}


def _terms(party_ids: list[int]) -> ProtocolTerms:
    return ProtocolTerms(
        title="Safeguarding children: referrals between health and social care",
        party_ids=party_ids,
        purposes=["Referring safeguarding concerns about children to children's social care"],
        data_items=["Name, date of birth and address", "The concern and what was seen"],
        article6_bases=["public_task"],
        special_category_conditions=["safeguarding"],
        retention="Kept with the child's record; reviewed at the child's 25th birthday",
        security="Sent through Sharewise or secure email only",
        individuals_rights="Requests for access go to each agency's data protection officer",
        review_date=timezone.localdate() + dt.timedelta(days=365),
    )


def build(world: Any) -> dict[str, str]:
    people = world.people
    agency_c = AgencyFactory(
        name="Access Matrix Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    lead_c = member(agency_c, Role.SAFEGUARDING_LEAD, "protocols_lead_c")
    parties = [people.agency_a.pk, agency_c.pk]
    admin = people.admin

    in_force = protocol_create(user=admin, terms=_terms(parties))
    protocol_submit(user=admin, protocol=in_force)
    protocol_sign(user=people.lead_a, protocol=in_force, signatory_name="A", signatory_role="Lead")
    protocol_sign(user=lead_c, protocol=in_force, signatory_name="C", signatory_role="Lead")
    awaiting = protocol_create(user=admin, terms=_terms(parties))
    protocol_submit(user=admin, protocol=awaiting)
    draft = protocol_create(user=admin, terms=_terms(parties))
    world.extra["protocols"] = {"in_force": in_force, "awaiting": awaiting, "draft": draft}
    return {"protocol_id": str(in_force.pk)}


def _awaiting(world: Any) -> dict[str, str]:
    return {"protocol_id": str(world.extra["protocols"]["awaiting"].pk)}


def _draft(world: Any) -> dict[str, str]:
    return {"protocol_id": str(world.extra["protocols"]["draft"].pk)}


# The sign pages need a protocol awaiting sign-off, the draft pages a draft; the rest read
# or act on the protocol in force.
SAMPLES_BY_VIEW = {
    "protocol_sign_page": _awaiting,
    "protocol_sign_endpoint": _awaiting,
    "protocol_edit": _draft,
    "protocol_submit_page": _draft,
    "protocol_submit_endpoint": _draft,
}

API_BODIES = {
    "protocol_create_endpoint": lambda world: {
        "title": "A protocol",
        "parties": [world.people.agency_a.pk],
    },
    "protocol_sign_endpoint": lambda world: {
        "signatory_name": "Pat Lead",
        "signatory_role": "Designated safeguarding lead",
    },
    "protocol_submit_endpoint": lambda world: None,
}

# Forms that reach the service's checks; an allowed write stops at a form error (400) or
# succeeds inside the test's savepoint, which is rolled back.
WEB_FORMS = {
    "protocol_new": lambda world: {"title": ""},
    "protocol_edit": lambda world: {"title": ""},
    "protocol_sign_page": lambda world: {"signatory_name": "", "signatory_role": ""},
    "protocol_withdraw": lambda world: {"reason": ""},
}
