"""The training module's part of the access matrix: practitioner A has a course under way
(hmg-2008); only she may open it. Any signed-in user may take the course; managers see
their agency's staff's training."""

from __future__ import annotations

from typing import Any

from sharewise.training.services import training_start
from tests.access.routes import World

OK, LOGIN = "allowed", "sent to sign in"

EXPECTED: dict[str, dict[str, Any]] = {
    "TRAINING_OWN": {
        "anonymous": LOGIN,
        "practitioner_a": OK,
        **dict.fromkeys(
            ("lead_a", "manager_a", "auditor_a", "practitioner_b", "admin", "outsider"), 404
        ),
    },
    "TRAINING_MANAGER": {
        "anonymous": LOGIN,
        "manager_a": OK,
        **dict.fromkeys(
            ("practitioner_a", "lead_a", "auditor_a", "practitioner_b", "admin", "outsider"), 403
        ),
    },
}


def build(world: World) -> dict[str, str]:
    record = training_start(user=world.people.practitioner_a, pack_id="hmg-2008")
    world.extra["training"] = {"record": record}
    return {"training_record_id": str(record.pk), "training_step": "why-it-matters"}
