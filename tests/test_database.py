"""The database the suite runs on is the one configured, with the migrations applied."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_configured_database() -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        (applied,) = cursor.fetchone()
    assert applied > 0


def test_postgresql_is_a_supported_server(postgres: None) -> None:
    # Django 5.2 supports PostgreSQL 14 and later.
    assert connection.pg_version >= 140000  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone() == ("UTF8",)
