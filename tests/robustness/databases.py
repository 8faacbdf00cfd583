"""Throwaway databases for tests that run Sharewise in separate processes: a SQLite data
directory, or a PostgreSQL database created on the server DATABASE_URL names and dropped
afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import POSTGRES_MISSING, require

REPOSITORY = Path(__file__).resolve().parents[2]


def postgres_server_url() -> str:
    """DATABASE_URL when it names a PostgreSQL server, or the test skips (fails under
    SHAREWISE_REQUIRE=postgres)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    require("postgres", url.startswith(("postgres://", "postgresql://")), POSTGRES_MISSING)
    return url


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """The URL of a new, empty database on the DATABASE_URL server, dropped afterwards."""
    import psycopg
    from psycopg import sql

    server = postgres_server_url()
    base, _, _ = server.rpartition("/")
    name = f"sharewise_throwaway_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def isolated_env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    """The environment for a Sharewise process of the test's own: its own data directory,
    the given database (SQLite in the data directory when None), no demo partnership."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SHAREWISE_DATA_DIR"] = str(tmp_path / "data")
    env["SHAREWISE_CACHE_DIR"] = str(tmp_path / "cache")
    env["SHAREWISE_DEMO"] = "off"
    env["PYTHONPATH"] = str(REPOSITORY)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_step(step: str, env: dict[str, str]) -> Any:
    """One step of tests/robustness/dbscript.py; its JSON output."""
    finished = subprocess.run(
        [sys.executable, "-m", "tests.robustness.dbscript", step],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)
