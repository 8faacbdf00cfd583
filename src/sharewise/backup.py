"""`sharewise backup FILE` and `sharewise restore FILE`: the whole database in one file.

A backup is a tar archive holding two members: `manifest.json` (when it was made, the
database vendor, the Sharewise version and the migrations applied) and the database
itself, `database.sqlite3` or `database.pgdump`. One file, so the manifest cannot be
separated from the data it describes.

- SQLite is copied with sqlite3's online backup API, which gives a consistent copy while
  `sharewise serve` goes on reading and writing, and is restored with the same API, page
  by page inside one transaction, so a reader never sees half a database.
- PostgreSQL is dumped with `pg_dump --format=custom` and restored with `pg_restore
  --clean --if-exists --single-transaction`: the restore replaces every table or, if
  anything fails, changes nothing.

Restore refuses a backup of the other vendor, or one made by a newer Sharewise (with
migrations this one does not have), with exit status 2 before touching anything; after a
restore the migrations bring an older backup up to date.

Django is imported inside the functions, as in server.py, so `sharewise decide` never
pays for it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from sharewise.server import django_setup

EXIT_REFUSED = 2
FORMAT = "sharewise-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Debian's package with pg_dump and pg_restore, named in the message when they are missing.
POSTGRES_CLIENT_PACKAGE = "postgresql-client"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason for the person at the
    terminal."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _database() -> Mapping[str, Any]:
    from django.db import connection

    return connection.settings_dict


def _vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


def _applied_migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sharewise_version() -> str:
    try:
        return metadata.version("sharewise")
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest_now() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": _vendor(),
        "sharewise_version": _sharewise_version(),
        "migrations": _applied_migrations(),
    }


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed; on Debian or Ubuntu install it with "
            f"`apt-get install {POSTGRES_CLIENT_PACKAGE}`"
        )
    return found


def _postgres_arguments_and_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore. The password goes in the
    environment, never on the command line, where other users could read it."""
    database = _database()
    arguments = ["--dbname", str(database["NAME"])]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, env


def _run_tool(command: list[str], env: Mapping[str, str]) -> None:
    finished = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {finished.stderr.strip() or finished.returncode}")


def _dump_database(target: Path) -> None:
    vendor = _vendor()
    if vendor == "sqlite":
        source = sqlite3.connect(str(_database()["NAME"]))
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while the server runs.
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif vendor == "postgresql":
        arguments, env = _postgres_arguments_and_env()
        _run_tool(
            [_postgres_tool("pg_dump"), "--format=custom", "--file", str(target), *arguments],
            env,
        )
    else:
        raise BackupError(f"Backing up a {vendor} database is not supported")


def backup(path: Path) -> dict[str, Any]:
    """Write a backup of the configured database to `path`. Returns its manifest."""
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name")
    manifest = manifest_now()
    member = DATABASE_MEMBER.get(manifest["vendor"], "database")
    with tempfile.TemporaryDirectory(prefix="sharewise-backup-") as work:
        dump = Path(work) / member
        _dump_database(dump)
        # Written beside the target and renamed into place, so a backup interrupted
        # half-way never leaves a file that looks complete. The backup holds personal
        # data, so only its owner may read it.
        partial = path.with_name(f".{path.name}.partial")
        with tarfile.open(partial, "w") as archive:
            document = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(document)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(document))
            archive.add(dump, arcname=member)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    return manifest


def read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(member.read().decode("utf-8"))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a Sharewise backup (no readable manifest)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Sharewise backup")
    return manifest


def restore_problems(manifest: Mapping[str, Any]) -> str | None:
    """Why this backup must not be restored into the configured database, or None."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if manifest.get("format_version") != FORMAT_VERSION:
        return (
            f"The backup is in format version {manifest.get('format_version')}; this "
            f"Sharewise reads version {FORMAT_VERSION}"
        )
    vendor = _vendor()
    if manifest.get("vendor") != vendor:
        return (
            f"The backup is of a {manifest.get('vendor')} database, but Sharewise is set up "
            f"with {vendor}; restore it into a {manifest.get('vendor')} database"
        )
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    migrations = manifest.get("migrations") or {}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        return (
            f"The backup was made by a newer Sharewise ({manifest.get('sharewise_version')}, "
            f"with migrations this one does not have: {', '.join(unknown[:5])}"
            f"{' and more' if len(unknown) > 5 else ''}); upgrade Sharewise, then restore"
        )
    return None


def _restore_database(dump: Path) -> None:
    from django.db import connections

    # Sharewise's own connection is closed first, so it holds no lock on what is replaced.
    connections.close_all()
    vendor = _vendor()
    if vendor == "sqlite":
        source = sqlite3.connect(dump)
        live = sqlite3.connect(str(_database()["NAME"]), timeout=20)
        try:
            # The backup API again, in the other direction: the live file is replaced
            # inside one transaction, so a running server sees the old database or the
            # restored one, never a mixture.
            with live:
                source.backup(live)
        finally:
            live.close()
            source.close()
    else:
        arguments, env = _postgres_arguments_and_env()
        _run_tool(
            [
                _postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *arguments,
                str(dump),
            ],
            env,
        )


def _open_backup(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}")
    try:
        return tarfile.open(path, "r")
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not a Sharewise backup") from exc


def backup_check(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    """The manifest of a backup that may be restored here; BackupError saying why not."""
    manifest = read_manifest(archive, path)
    problem = restore_problems(manifest)
    if problem:
        raise BackupError(problem)
    return manifest


def restore(path: Path) -> dict[str, Any]:
    """Replace the configured database with the backup at `path`, then bring it up to
    date with the migrations. Returns the backup's manifest."""
    from django.core.management import call_command

    with (
        _open_backup(path) as archive,
        tempfile.TemporaryDirectory(prefix="sharewise-restore-") as work,
    ):
        manifest = backup_check(archive, path)
        member_name = DATABASE_MEMBER[manifest["vendor"]]
        member = archive.extractfile(member_name)
        if member is None:
            raise BackupError(f"{path} has no {member_name}")
        dump = Path(work) / member_name
        with member, dump.open("wb") as out:
            shutil.copyfileobj(member, out)
        _restore_database(dump)
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _confirmed(path: Path, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise BackupError(
            "restore replaces the whole database; with no terminal to ask, run it again with --yes"
        )
    where = _database()["NAME"]
    answer = input(
        f"This replaces everything in the database {where} with the backup {path}.\n"
        "Anything recorded since the backup was made will be lost. Type yes to go on: "
    )
    return answer.strip().lower() == "yes"


def run_backup(file: str) -> int:
    path = Path(file)
    if path.exists():
        # Said before Django starts, which takes longer than the mistake deserves.
        print(f"sharewise: {path} already exists; choose a new file name", file=sys.stderr)
        return EXIT_REFUSED
    django_setup()
    try:
        manifest = backup(path)
    except BackupError as exc:
        print(f"sharewise: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"Backed up the {manifest['vendor']} database to {path} "
        f"({path.stat().st_size} bytes, {manifest['created_at']})"
    )
    return 0


def run_restore(file: str, assume_yes: bool) -> int:
    django_setup()
    path = Path(file)
    try:
        # A backup that cannot be restored here is refused before anyone is asked.
        with _open_backup(path) as archive:
            backup_check(archive, path)
        if not _confirmed(path, assume_yes):
            print("sharewise: nothing was restored", file=sys.stderr)
            return EXIT_REFUSED
        manifest = restore(path)
    except BackupError as exc:
        print(f"sharewise: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Restored the backup made at {manifest['created_at']} from {path}")
    return 0
