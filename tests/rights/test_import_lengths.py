"""An imported decision's source is recorded in full or not at all: an agency name or a
signer longer than the record keeps is refused, where it used to be cut short and so name
someone else as the source (issue 16)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from sharewise.audit.models import AuditEntry
from sharewise.common import ServiceError
from sharewise.decisions.models import Decision
from sharewise.people.services import person_create
from sharewise.rights import services
from sharewise.rights.models import ImportedDecision
from tests.factories import api_token_for, personas
from tests.rights.conftest import signed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return personas()


@pytest.fixture
def exported(world: Any) -> dict[str, Any]:
    helen = person_create(
        user=world.practitioner_a, agency=world.agency_a, given_name="Helen", family_name="Marsh"
    )
    decision = signed_decision(world.practitioner_a, helen, purpose="Refer bruising")
    return services.decision_export(user=world.lead_a, decision=decision)


@pytest.fixture
def their_person(world: Any) -> Any:
    return person_create(
        user=world.practitioner_b, agency=world.agency_b, given_name="Helen", family_name="M"
    )


def _with(exported: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    document = copy.deepcopy(exported)
    if field == "agency.name":
        document["agency"]["name"] = value
    else:
        document[field] = value
    return document


@pytest.mark.parametrize("field", ["agency.name", "signed_by"])
def test_a_name_longer_than_is_kept_is_refused_not_cut(
    world: Any, exported: dict, their_person: Any, field: str
) -> None:
    before = Decision.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.decision_import(
            user=world.practitioner_b,
            person=their_person,
            document=_with(exported, field, "x" * 201),
        )
    assert refused.value.field == field
    assert f"('{field}') is 201 characters long, and at most 200" in refused.value.message
    assert Decision.objects.count() == before
    assert not ImportedDecision.objects.exists()
    assert not AuditEntry.objects.filter(verb="decision.import").exists()


@pytest.mark.parametrize("field", ["agency.name", "signed_by"])
def test_a_name_of_exactly_the_length_kept_is_kept_whole(
    world: Any, exported: dict, their_person: Any, field: str
) -> None:
    value = "y" * 200
    decision = services.decision_import(
        user=world.practitioner_b, person=their_person, document=_with(exported, field, value)
    )
    record = ImportedDecision.objects.get(decision=decision)
    kept = record.source_agency if field == "agency.name" else record.source_signed_by
    assert kept == value


def test_the_api_says_which_field_is_too_long(
    world: Any, exported: dict, their_person: Any
) -> None:
    token = api_token_for(world.practitioner_b, "t")
    refused = Client().post(
        f"/api/v1/people/{their_person.pk}/decisions/import",
        data=json.dumps(_with(exported, "agency.name", "z" * 250)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "agency.name"
    assert "250 characters long" in refused.json()["error"]
