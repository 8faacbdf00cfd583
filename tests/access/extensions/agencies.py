"""The agencies' settings pages in the access matrix: partnership administrators only."""

from __future__ import annotations

from typing import Any

from tests.access.routes import World

OK, LOGIN = "allowed", "sent to sign in"

EXPECTED: dict[str, dict[str, Any]] = {
    "PARTNERSHIP_ADMIN": {
        "anonymous": LOGIN,
        "admin": OK,
        **dict.fromkeys(
            ("practitioner_a", "lead_a", "manager_a", "auditor_a", "practitioner_b", "outsider"),
            403,
        ),
    },
}


def build(world: World) -> dict[str, str]:
    return {"agency_id": str(world.people.agency_a.pk)}
