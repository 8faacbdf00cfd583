"""Steps run in a separate Python process against a database of the test's own (the
environment says which: SHAREWISE_DATA_DIR for SQLite, DATABASE_URL for PostgreSQL), for
the tests of `sharewise backup`, `restore` and of a server killed mid-write.

    python -m tests.robustness.dbscript setup     migrate; a practitioner, a person and a
                                                  signed decision; prints their ids
    python -m tests.robustness.dbscript token     a practitioner with an API token and a
                                                  person; prints the token and the id
    python -m tests.robustness.dbscript change    changes after a backup: a new person, a
                                                  correction, a renamed person
    python -m tests.robustness.dbscript state     prints every decision and person as JSON
    python -m tests.robustness.dbscript decisions every decision beside the engine's
                                                  evaluation of its stored facts
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sharewise.settings"
    import django

    django.setup()


def _practitioner_and_person() -> tuple[Any, Any]:
    from django.core.management import call_command

    from sharewise.agencies.models import Role
    from tests.factories import AgencyFactory, PersonFactory, member

    call_command("migrate", interactive=False, verbosity=0)
    agency = AgencyFactory(name="Riverside GP Practice")
    practitioner = member(agency, Role.PRACTITIONER, "practitioner_a")
    person = PersonFactory(
        agency=agency, given_name="Siân", family_name="Llŷr", created_by=practitioner
    )
    return practitioner, person


def setup() -> dict[str, Any]:
    from tests.robustness.helpers import signed_decision

    practitioner, person = _practitioner_and_person()
    decision = signed_decision(user=practitioner, person=person)
    return {"decision_id": decision.pk, "person_id": person.pk}


def token() -> dict[str, Any]:
    from tests.factories import api_token_for

    practitioner, person = _practitioner_and_person()
    secret = api_token_for(practitioner, "crash test")
    return {"token": secret, "person_id": person.pk}


def change() -> dict[str, Any]:
    from sharewise.decisions.models import Decision
    from sharewise.decisions.services import decision_correct
    from sharewise.people.models import Person
    from tests.factories import PersonFactory

    decision = Decision.objects.select_related("created_by", "person").get()
    correction = decision_correct(user=decision.created_by, decision=decision)
    newcomer = PersonFactory(
        agency=decision.agency, given_name="Zażółć", created_by=decision.created_by
    )
    Person.objects.filter(pk=decision.person_id).update(given_name="Renamed")
    return {"correction_id": correction.pk, "new_person_id": newcomer.pk, "state": state()}


def state() -> dict[str, Any]:
    from sharewise.decisions.models import Decision
    from sharewise.people.models import Person

    return {
        "decisions": {str(d["id"]): d for d in Decision.objects.order_by("id").values()},
        "people": {str(p["id"]): p for p in Person.objects.order_by("id").values()},
    }


def decisions() -> dict[str, Any]:
    """Every decision as stored, beside the engine's evaluation of its stored facts."""
    from sharewise.decisions.models import Decision
    from sharewise.decisions.services import decision_evaluate

    found = {}
    for decision in Decision.objects.order_by("id"):
        outcome = decision_evaluate(decision)
        # In the form the services store it (decisions.services._store_outcome).
        evaluated = {
            "outcome": outcome.outcome,
            "basis": outcome.basis or "",
            "trace": [step.as_json() for step in outcome.trace],
        }
        found[str(decision.pk)] = {
            "status": decision.status,
            "facts": decision.facts,
            "outcome": decision.outcome,
            "basis": decision.basis,
            "trace": decision.trace,
            "signed_by": decision.signed_by_id,
            "signed_at": decision.signed_at,
            "revision": decision.revision,
            "evaluated": evaluated,
        }
    return found


if __name__ == "__main__":
    _setup_django()
    steps = {"setup": setup, "token": token, "change": change, "state": state}
    steps["decisions"] = decisions
    step = steps[sys.argv[1]]
    print(json.dumps(step(), default=str, ensure_ascii=False))
