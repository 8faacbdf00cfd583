"""Reads of the audit log: who has done what with a person's record."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sharewise.agencies.models import Role
from sharewise.agencies.selectors import user_has_role
from sharewise.common import PermissionDenied
from sharewise.people.models import Person

from .models import AuditEntry

# Who may see who has looked at a record: those who answer for its confidentiality in the
# agency (the safeguarding lead: DSL, Caldicott Guardian, IG lead) and its auditors. A
# practitioner may not: the list would tell them about colleagues' work on other cases.
RECORD_VIEW_ROLES = frozenset({Role.SAFEGUARDING_LEAD, Role.AUDITOR})
RECORD_VIEWS_SHOWN = 500


def user_sees_record_views(*, user: Any, person: Person) -> bool:
    return user_has_role(user=user, roles=RECORD_VIEW_ROLES, agency=person.agency)


def audit_entries_for_person(*, user: Any, person: Person) -> QuerySet[AuditEntry]:
    """The audit entries about `person`, newest first. `person` must come from a selector
    that has checked the user's agency (`person_get_for_user`); this checks the role."""
    if not user_sees_record_views(user=user, person=person):
        raise PermissionDenied(
            "Only the agency's safeguarding leads and auditors can see who has viewed a record"
        )
    return AuditEntry.objects.filter(target_type="person", target_id=str(person.pk)).order_by(
        "-id"
    )[:RECORD_VIEWS_SHOWN]
