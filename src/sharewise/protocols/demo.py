"""The demo partnership's protocols: one in force between the school and the GP practice,
and one whose review date has passed, so the register, the administrators' banner and the
supporting information on a decision can all be seen at work.

Made through the services, as an administrator and the two agencies' safeguarding leads
would make them. Idempotent: a protocol already in the register (by title) is left alone,
and nothing is made unless the demo agencies and accounts exist.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sharewise.accounts.demo import GP, SCHOOL
from sharewise.agencies.models import Agency

from .models import Protocol
from .services import ProtocolTerms, protocol_create, protocol_sign, protocol_submit

logger = logging.getLogger(__name__)

IN_FORCE_TITLE = "Safeguarding children: Oakfield Primary School and Riverside GP Practice"
PAST_REVIEW_TITLE = "Children missing school for health reasons"

# The demo accounts that manage and sign (accounts.demo.DEMO_USERS).
ADMIN, SCHOOL_LEAD, GP_LEAD = "admin", "dsl", "namednurse"
SIGNATORIES = {
    SCHOOL_LEAD: "Designated safeguarding lead",
    GP_LEAD: "Named nurse for safeguarding",
}


def _terms(
    title: str, party_ids: list[int], purposes: list[str], items: list[str], review: dt.date
) -> ProtocolTerms:
    return ProtocolTerms(
        title=title,
        party_ids=party_ids,
        purposes=purposes,
        data_items=items,
        article6_bases=["public_task", "legal_obligation"],
        special_category_conditions=["safeguarding"],
        legal_powers="Children Act 1989 sections 17 and 47; Children Act 2004 section 11",
        retention="Kept on the child's record in each agency; reviewed when the child is 25 "
        "and then deleted unless a review or proceedings need it.",
        security="Shared through Sharewise, secure email or by telephone to a known "
        "professional; never by ordinary email or text message.",
        individuals_rights="Families are told about this sharing in each agency's privacy "
        "notice. Requests for access or objections go to the agency holding the record.",
        review_date=review,
    )


def demo_protocols_load() -> list[Protocol]:
    """Add the demo protocols that are missing; returns those added."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[ADMIN, SCHOOL_LEAD, GP_LEAD])
    }
    agencies = {a.name: a for a in Agency.objects.filter(name__in=[SCHOOL, GP])}
    if len(users) < 3 or len(agencies) < 2:
        logger.info("The demo agencies and accounts are not loaded; no demo protocols made")
        return []
    today = timezone.localdate()
    parties = [agencies[SCHOOL].pk, agencies[GP].pk]
    wanted = [
        (
            _terms(
                IN_FORCE_TITLE,
                parties,
                [
                    "Referring safeguarding concerns about children between the school and the GP",
                    "Sharing health needs that affect a child's safety or welfare at school",
                ],
                [
                    "The child's name, date of birth, address and NHS number",
                    "The concern: what was seen or said, when, and by whom",
                    "Relevant health information and attendance",
                ],
                today + dt.timedelta(days=300),
            ),
            today - dt.timedelta(days=60),
        ),
        (
            _terms(
                PAST_REVIEW_TITLE,
                parties,
                ["Following up children absent from school for health reasons"],
                ["The child's name and date of birth", "Dates of absence"],
                today - dt.timedelta(days=30),
            ),
            today - dt.timedelta(days=400),
        ),
    ]
    made = []
    for terms, signed_on in wanted:
        with transaction.atomic():
            if Protocol.objects.filter(title=terms.title).exists():
                continue
            protocol = protocol_create(user=users[ADMIN], terms=terms)
            protocol_submit(user=users[ADMIN], protocol=protocol)
            for username, role in SIGNATORIES.items():
                protocol_sign(
                    user=users[username],
                    protocol=protocol,
                    signatory_name=users[username].get_full_name() or username,
                    signatory_role=role,
                    signed_on=signed_on,
                )
            made.append(protocol)
    return made
