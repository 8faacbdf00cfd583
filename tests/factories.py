"""Factories and personas for tests of the apps.

Personas, as the house style asks: practitioner A and lead A work in agency A (a GP
practice), manager A and auditor A too; police officer B works in agency B; the outsider
has an account and no agency, and must see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from sharewise.agencies.models import Agency, AgencyKind, Membership, Role
from sharewise.people.models import Person, years_before

User = get_user_model()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.GP_PRACTICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")


def member(agency: Agency, role: str = Role.PRACTITIONER, username: str | None = None) -> Any:
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Helen"
    family_name = factory.Sequence(lambda n: f"Case{n}")
    date_of_birth = factory.LazyFunction(lambda: years_before(timezone.localdate(), 7))
    agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)


@dataclass
class Personas:
    agency_a: Agency
    agency_b: Agency
    practitioner_a: Any
    lead_a: Any
    manager_a: Any
    auditor_a: Any
    practitioner_b: Any
    admin: Any
    outsider: Any


def personas() -> Personas:
    agency_a = AgencyFactory(name="Riverside GP Practice", kind=AgencyKind.GP_PRACTICE)
    agency_b = AgencyFactory(name="Northtown Police", kind=AgencyKind.POLICE)
    return Personas(
        agency_a=agency_a,
        agency_b=agency_b,
        practitioner_a=member(agency_a, Role.PRACTITIONER, "practitioner_a"),
        lead_a=member(agency_a, Role.SAFEGUARDING_LEAD, "lead_a"),
        manager_a=member(agency_a, Role.MANAGER, "manager_a"),
        auditor_a=member(agency_a, Role.AUDITOR, "auditor_a"),
        practitioner_b=member(agency_b, Role.PRACTITIONER, "practitioner_b"),
        admin=member(agency_a, Role.PARTNERSHIP_ADMIN, "admin"),
        outsider=UserFactory(username="outsider"),
    )


def decisions_about(person: Person, user: Any, count: int) -> Any:
    """`count` decisions about `person`: one started through the service, the rest copies
    of it written in one statement, for tests and benchmarks of a long chronology."""
    from sharewise.decisions import services
    from sharewise.decisions.models import Decision

    first = services.decision_start(user=user, person=person, purpose="First", pack_id="hmg-2008")
    fields = {
        f.name: getattr(first, f.name)
        for f in Decision._meta.concrete_fields
        if f.name not in ("id", "corrects")
    }
    Decision.objects.bulk_create(
        Decision(**{**fields, "purpose": f"Decision {n}"}) for n in range(count - 1)
    )
    return first


def give_authenticator(user: Any) -> Any:
    """Give `user` an authenticator app, as anyone whose role shows identifiable data must
    have before the web or the API serves them (accounts.middleware, api.services)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def api_token_for(user: Any, name: str = "tests") -> str:
    """A working API token of `user`, who has set up two-factor authentication."""
    from sharewise.api.services import api_token_create

    return api_token_create(user=give_authenticator(user), name=name)[1]
