"""What the robustness tests share: a signed decision made through the real services, and
the way to run the `sharewise` command as a separate process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from sharewise.decisions import services
from sharewise.decisions.models import Decision
from sharewise.people.models import Person

# Helen (003 Appendix 3, case 6) under the 2008 seven key questions: every answer of a path
# that ends in sharing without consent, in the public interest, and referring now.
HELEN_2008_ANSWERS: dict[str, Any] = {
    "purpose": "yes",
    "legal_requirement": "none",
    "identifiable": "yes",
    "confidential": "yes",
    "consent": "refused",
    "child_harm": "reasonable_cause",
    "reasons_not_to_seek_consent": [],
}

SIGNING_DETAILS: dict[str, Any] = {
    "article6_basis": "public_task",
    "special_category_condition": "safeguarding",
    "paragraph18_reason": "would_prejudice_protection",
    "person_told": "yes",
}


def signed_decision(*, user: Any, person: Person) -> Decision:
    """A decision about `person` taken from start to signature by `user`, as the web and
    the API take one."""
    decision = services.decision_start(
        user=user,
        person=person,
        purpose="Refer concerns about bruising to children's social care",
        recipient="Children's social care",
        information=["bruising seen on 3 November"],
        pack_id="hmg-2008",
    )
    decision = services.decision_answer(user=user, decision=decision, answers=HELEN_2008_ANSWERS)
    decision = services.decision_details_update(
        user=user, decision=decision, details=SIGNING_DETAILS
    )
    return services.decision_sign(user=user, decision=decision)


def sharewise_command() -> str:
    # The project's own virtual environment first, so a test never runs another
    # installation of Sharewise that happens to be on PATH.
    beside_python = Path(sys.executable).parent / "sharewise"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("sharewise")
    assert found, "the sharewise command is not installed"
    return found
