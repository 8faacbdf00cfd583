"""Fixtures shared by the whole suite.

Some tests need what the README's two commands do not install (a PostgreSQL server now,
Chromium later). They skip, saying what they need, where it is missing, so `uv run pytest`
passes on a fresh machine. `.ci/run` sets SHAREWISE_REQUIRE (for example
`SHAREWISE_REQUIRE=postgres`) and there such a test fails instead of skipping, so CI cannot
pass without having run it.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

# Under CI the property tests and the API fuzzing generate the same examples on every run,
# so that CI never fails by chance; a developer's run explores new ones each time (issue 16).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def require(what: str, available: bool, reason: str) -> None:
    """Skip the calling test unless `available`; fail it instead when CI requires `what`."""
    if available:
        return
    required = {w.strip() for w in os.environ.get("SHAREWISE_REQUIRE", "").split(",")}
    if what in required:
        pytest.fail(f"SHAREWISE_REQUIRE includes {what}, but {reason}")
    pytest.skip(reason)


POSTGRES_MISSING = "needs PostgreSQL: set DATABASE_URL to a server (.ci/run uses 127.0.0.1:5432)"


def require_postgres() -> None:
    """Skip the calling test unless its database is PostgreSQL (fail it under CI's
    SHAREWISE_REQUIRE=postgres); for tests that cannot take the `postgres` fixture, such
    as those outside the test transaction."""
    from django.db import connection

    require("postgres", connection.vendor == "postgresql", POSTGRES_MISSING)


@pytest.fixture
def postgres(db: None) -> None:
    """The test database is PostgreSQL (DATABASE_URL is set), or the test skips."""
    require_postgres()


def _mfa_mark(client, user) -> None:
    """Give `user` an authenticator app and record in the client's session that they
    entered its code, which is what RequireMFAMiddleware asks of anyone whose role shows
    them identifiable data (tests/accounts tests the real sign-in)."""
    from sharewise.accounts.mfa_session import ENROLLED_IN_SESSION_KEY
    from tests.factories import give_authenticator

    give_authenticator(user)
    session = client.session
    session[ENROLLED_IN_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture
def sign_in():
    """Sign a test client in as a user, as if they had passed multi-factor authentication.

    The MFA flow itself is tested in tests/accounts; elsewhere a signed-in user is one who
    has completed it."""

    def sign(client, user) -> None:
        client.force_login(user)
        mark = globals().get("_mfa_mark")
        if mark is not None:
            mark(client, user)

    return sign


@pytest.fixture(scope="session", autouse=True)
def collected_static() -> None:
    # The tests run with DEBUG off, as the service does, so pages refer to the hashed
    # names in the manifest that collectstatic writes, and WhiteNoise serves from it.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _audit_triggers_allow_flush():
    """Let a transactional test's flush empty the audit log and the sealed records on SQLite.

    The triggers refuse DELETE on the audit log, signed decisions, acknowledged disclosures,
    protocols in force and imported decisions (the migrations below), and on SQLite Django
    empties tables with DELETE, so the flush drops the triggers first and makes them again
    after, in the same transaction. (PostgreSQL flushes with TRUNCATE, which row triggers
    do not see.)"""
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseOperations

    migrations = [
        importlib.import_module(f"sharewise.{name}")
        for name in (
            "audit.migrations.0002_refuse_changes_to_audit_and_signed_decisions",
            "audit.migrations.0004_refuse_replacing_audit_entries",
            "decisions.migrations.0007_refuse_replacing_signed_decisions",
            "disclosures.migrations.0002_acknowledged_disclosure_never_changed",
            "disclosures.migrations.0004_disclosure_readers",
            "protocols.migrations.0002_protocol_in_force_never_changed",
            "rights.migrations.0003_imported_decision_never_changed",
        )
    ]
    drop = [statement for m in migrations for statement in m.SQLITE_DROP]
    create = [statement for m in migrations for statement in m.SQLITE_CREATE]

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        return [*drop, *statements, *create]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
