"""The demo partnership: five agencies of the fictional town of Northtown and an account
for each role, so that someone trying Sharewise can sign in and see it at work within
minutes of `sharewise serve`.

Loaded only in demo mode (SHAREWISE_DEMO), and only into a database with no agencies, so it
can never mix with a real partnership's records. Every account shares one published
password and is flagged `Profile.is_demo`.
"""

from __future__ import annotations

import importlib
import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse

from sharewise.agencies.models import Agency, AgencyKind, LeadTitle, Role

from .selectors import demo_accounts_list, demo_mode_is_on
from .services import account_create

logger = logging.getLogger(__name__)

# The people's records belong to the people app; its loader runs after the agencies and
# accounts exist, if it has one.
PEOPLE_DEMO_MODULE = "sharewise.people.demo"

SCHOOL = "Oakfield Primary School"
GP = "Riverside GP Practice"
HEALTH_VISITING = "Northtown Health Visiting Team"
CHILDRENS_SOCIAL_CARE = "Northtown Children's Social Care"
POLICE = "Northtown Police"
# A charity, not a public authority: it may rely on the recognised legitimate interest
# (UK GDPR Article 6(1)(ea)), which the public agencies above may not.
YOUTH_PROJECT = "Northtown Youth Project"

DEMO_AGENCIES = (
    (SCHOOL, AgencyKind.SCHOOL),
    (GP, AgencyKind.GP_PRACTICE),
    (HEALTH_VISITING, AgencyKind.HEALTH_VISITING),
    (CHILDRENS_SOCIAL_CARE, AgencyKind.CHILDRENS_SOCIAL_CARE),
    (POLICE, AgencyKind.POLICE),
    (YOUTH_PROJECT, AgencyKind.VOLUNTARY),
)
# Agencies that are not public authorities performing their tasks.
NOT_PUBLIC_AUTHORITIES = frozenset({YOUTH_PROJECT})


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    agency: str
    role: Role
    lead_title: str = ""


DEMO_USERS = (
    DemoUser("teacher", "Priya", "Shah", SCHOOL, Role.PRACTITIONER),
    DemoUser("dsl", "Joanne", "Okafor", SCHOOL, Role.SAFEGUARDING_LEAD, LeadTitle.DSL),
    DemoUser("head", "Martin", "Hughes", SCHOOL, Role.MANAGER),
    DemoUser("auditor", "Sam", "Whitfield", SCHOOL, Role.AUDITOR),
    DemoUser("gp", "Aisha", "Rahman", GP, Role.PRACTITIONER),
    DemoUser("namednurse", "Claire", "Donovan", GP, Role.SAFEGUARDING_LEAD, LeadTitle.NAMED_NURSE),
    DemoUser("hv", "Beth", "Morgan", HEALTH_VISITING, Role.PRACTITIONER),
    DemoUser("socialworker", "Daniel", "Price", CHILDRENS_SOCIAL_CARE, Role.PRACTITIONER),
    DemoUser("police", "Lewis", "Grant", POLICE, Role.PRACTITIONER),
    DemoUser("youthworker", "Rosa", "Bianchi", YOUTH_PROJECT, Role.PRACTITIONER),
    # A membership needs an agency. The partnership's business unit is usually hosted by
    # the local authority, so the administrator's role is held there; it shows them no
    # case records (agencies.selectors.agency_ids_for_user).
    DemoUser("admin", "Helen", "Carter", CHILDRENS_SOCIAL_CARE, Role.PARTNERSHIP_ADMIN),
)

# The accounts `sharewise serve` and the sign-in page suggest: one who meets a child every
# day, the lead they ask for advice, and the administrator who sees no case records.
# `gp` first: Helen Carter (case example 6) is at the GP practice, the first decision to try.
DEMO_SIGN_IN_EXAMPLES = ("gp", "teacher", "dsl", "admin")


def demo_load_if_empty() -> bool:
    """Load the demo partnership if demo mode is on and the database has no agencies.
    Returns whether it loaded anything; calling it again does nothing."""
    if not demo_mode_is_on():
        return False
    try:
        with transaction.atomic():
            if Agency.objects.exists():
                return False
            _demo_load()
    except IntegrityError:
        # Another process (a second `sharewise serve` starting at the same moment) loaded
        # it first; its copy stands.
        return False
    logger.info("Loaded the demo partnership: %d accounts", len(DEMO_USERS))
    return True


def _demo_load() -> None:
    agencies = {
        name: Agency.objects.create(
            name=name, kind=kind, public_authority=name not in NOT_PUBLIC_AUTHORITIES
        )
        for name, kind in DEMO_AGENCIES
    }
    # Every demo account has the same published password, so it is hashed once: Argon2 is
    # slow on purpose, and ten hashes of one password protect nothing that one does not.
    password_hash = make_password(settings.SHAREWISE_DEMO_PASSWORD)
    for user in DEMO_USERS:
        account_create(
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            agency=agencies[user.agency],
            role=user.role,
            lead_title=user.lead_title,
            password_hash=password_hash,
            is_demo=True,
        )
    try:
        people_demo = importlib.import_module(PEOPLE_DEMO_MODULE)
    except ModuleNotFoundError as exc:
        # Only the module's own absence is expected; a missing import inside it is a bug.
        if exc.name != PEOPLE_DEMO_MODULE:
            raise
        return
    people_demo.demo_people_load()
    # Agreements between the demo agencies: one in force, one past its review date.
    from sharewise.protocols.demo import demo_protocols_load

    demo_protocols_load()


def demo_sign_in_help(base_url: str) -> str:
    """What `sharewise serve` prints under "serving on": how to sign in to the demo. Empty
    when demo mode is off or the database holds no demo accounts."""
    if not demo_mode_is_on():
        return ""
    accounts = demo_accounts_list()
    if not accounts:
        return ""
    examples = [a for a in accounts if a.username in DEMO_SIGN_IN_EXAMPLES]
    lines = [
        "Demo mode: the people and records are fictional.",
        f"Sign in at {base_url.rstrip('/')}{reverse('account_login')} as, for example:",
        *(f"  {a.username:<10} {a.role_label.lower()}, {a.agency}" for a in examples),
        f"with the password {settings.SHAREWISE_DEMO_PASSWORD}",
        "`sharewise demo users` lists every demo account.",
    ]
    return "\n".join(lines)
