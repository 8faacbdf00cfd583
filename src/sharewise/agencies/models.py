"""Agencies, their teams, and the roles their users hold.

Information about a person is confidential to the agency as a whole, not to the individual
practitioner (003 3.15), so the agency is the unit of access: every record about a person
belongs to one agency, and a user sees the records of the agencies they are a member of.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AgencyKind(models.TextChoices):
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years"
    GP_PRACTICE = "gp_practice", "GP practice"
    HOSPITAL_TRUST = "hospital_trust", "Hospital trust"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    YOUTH_OFFENDING = "youth_offending", "Youth offending service"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary organisation"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    MANAGER = "manager", "Manager"
    AUDITOR = "auditor", "Auditor"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"


class LeadTitle(models.TextChoices):
    """What a safeguarding lead is called in their agency (DESIGN.md, "Who uses it")."""

    DSL = "dsl", "Designated safeguarding lead"
    NAMED_NURSE = "named_nurse", "Named nurse"
    CALDICOTT_GUARDIAN = "caldicott_guardian", "Caldicott Guardian"
    IG_LEAD = "ig_lead", "Information governance lead"


# The roles whose work shows them identifiable data about people, and who must therefore
# use multi-factor authentication (DESIGN.md capability 12). A partnership administrator
# manages agencies, users and protocols, not case records.
ROLES_SEEING_IDENTIFIABLE_DATA = frozenset(
    {Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, Role.MANAGER, Role.AUDITOR}
)


class Country(models.TextChoices):
    """Where an agency works, which decides the law that applies to it: the duty to share
    of the Children Act 2004 s16LA binds agencies in England (guidance/choice.py)."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    # Organisation codes used in the field: an ODS code (NHS), a URN (schools), a force code.
    code = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=20, choices=Country.choices, default=Country.ENGLAND)
    # The pack the agency's decisions use, set by a partnership administrator; empty for
    # the law in force on each decision's date (guidance.choice.pack_choose).
    pack_id = models.CharField("policy pack", max_length=60, blank=True)
    # Whether the agency is a public authority performing its tasks, which may not rely on
    # the recognised legitimate interest (UK GDPR Article 6(1), closing words). Most
    # safeguarding agencies are; voluntary organisations and private providers are not.
    public_authority = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Membership(models.Model):
    """A user's role in an agency. A user may hold several roles, in one or more agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True)
    role = models.CharField(max_length=40, choices=Role.choices)
    lead_title = models.CharField(max_length=40, choices=LeadTitle.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_one_role_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} at {self.agency}"
