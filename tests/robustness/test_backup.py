"""`sharewise backup` and `sharewise restore`: a signed decision backed up, the data
changed, the backup restored, and the decision is back exactly as it was signed.

Each test runs the real command in separate processes against a database of its own: a
SQLite data directory, or a PostgreSQL database made for the test and dropped after it.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require

from .databases import isolated_env, run_step, throwaway_postgres
from .helpers import sharewise_command


def sharewise(
    env: dict[str, str], *arguments: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sharewise_command(), *arguments],
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )


def audit_command_exists(env: dict[str, str]) -> bool:
    return sharewise(env, "audit", "--help").returncode == 0


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield isolated_env(tmp_path, None)
        return
    require(
        "postgres",
        bool(shutil.which("pg_dump") and shutil.which("pg_restore")),
        "needs pg_dump and pg_restore: apt-get install postgresql-client",
    )
    with throwaway_postgres() as url:
        yield isolated_env(tmp_path, url)


def test_a_restored_backup_brings_back_the_signed_decision_exactly(
    env: dict[str, str], tmp_path: Path
) -> None:
    made = run_step("setup", env)
    before = run_step("state", env)
    signed = before["decisions"][str(made["decision_id"])]
    assert signed["status"] == "signed" and signed["signed_at"]

    backup_file = tmp_path / "sharewise.backup"
    backed_up = sharewise(env, "backup", str(backup_file))
    assert backed_up.returncode == 0, backed_up.stderr
    assert backup_file.stat().st_mode & 0o077 == 0, "a backup of personal data must be private"
    with tarfile.open(backup_file) as archive:
        member = archive.extractfile("manifest.json")
        assert member is not None
        manifest = json.load(member)
    assert manifest["vendor"] == ("postgresql" if "DATABASE_URL" in env else "sqlite")
    assert manifest["created_at"] and manifest["sharewise_version"]
    assert "0001_initial" in manifest["migrations"]["decisions"]

    changed = run_step("change", env)
    after_change = changed["state"]
    assert str(changed["correction_id"]) in after_change["decisions"]
    assert after_change["people"][str(made["person_id"])]["given_name"] == "Renamed"

    # A backup file is never overwritten.
    again = sharewise(env, "backup", str(backup_file))
    assert again.returncode == 2 and "already exists" in again.stderr

    restored = sharewise(env, "restore", "--yes", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert run_step("state", env) == before

    if not audit_command_exists(env):
        pytest.skip("`sharewise audit verify` does not exist yet: the audit chain was not checked")
    verified = sharewise(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def _rewrite_manifest(source: Path, target: Path, **changes: object) -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            content = old.extractfile(member)
            assert content is not None
            data = content.read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                for key, value in changes.items():
                    if key == "extra_migration":
                        manifest["migrations"]["decisions"].append(value)
                    else:
                        manifest[key] = value
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def test_restore_refuses_what_it_must_not_restore(tmp_path: Path) -> None:
    env = isolated_env(tmp_path, None)
    run_step("setup", env)
    good = tmp_path / "good.backup"
    assert sharewise(env, "backup", str(good)).returncode == 0
    before = run_step("state", env)

    other_vendor = tmp_path / "postgres.backup"
    _rewrite_manifest(good, other_vendor, vendor="postgresql")
    refused = sharewise(env, "restore", "--yes", str(other_vendor))
    assert refused.returncode == 2
    assert "The backup is of a postgresql database, but Sharewise is set up with sqlite" in (
        refused.stderr
    )

    newer = tmp_path / "newer.backup"
    _rewrite_manifest(good, newer, extra_migration="9999_from_the_future")
    refused = sharewise(env, "restore", "--yes", str(newer))
    assert refused.returncode == 2
    assert "made by a newer Sharewise" in refused.stderr
    assert "decisions.9999_from_the_future" in refused.stderr

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    refused = sharewise(env, "restore", "--yes", str(not_a_backup))
    assert refused.returncode == 2 and "is not a Sharewise backup" in refused.stderr

    # Without a terminal to ask, restore needs --yes.
    refused = sharewise(env, "restore", str(good))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert "Traceback" not in refused.stderr

    assert run_step("state", env) == before


def test_backup_and_restore_never_import_django_for_decide() -> None:
    # `sharewise decide` shares the command line with backup and restore; building the
    # parser with them must not import Django.
    import sys

    code = (
        "import sys; from sharewise.cli import build_parser; build_parser(); "
        "print('django' in sys.modules)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert finished.stdout.strip() == "False", finished.stderr


def test_missing_postgres_tools_name_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from sharewise import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError) as missing:
        backup._postgres_tool("pg_dump")
    assert missing.value.message == (
        "pg_dump is not installed; on Debian or Ubuntu install it with "
        "`apt-get install postgresql-client`"
    )
