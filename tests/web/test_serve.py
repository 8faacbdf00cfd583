"""`sharewise serve` end to end: a real gunicorn in a separate process, on a free port,
with a data directory of its own."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sharewise.guidance.packs import SHIPPED_PACKS_DIR, pack_get

STARTUP_TIMEOUT = 60
STOP_TIMEOUT = 30
# The worker waits a moment at start and looks at the queue every few seconds.
JOB_TIMEOUT = 60


def sharewise_command() -> str:
    # The project's own virtual environment first, so the test never runs another
    # installation of Sharewise that happens to be on PATH.
    beside_python = Path(sys.executable).parent / "sharewise"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("sharewise")
    assert found, "the sharewise command is not installed"
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["terminate", "ctrl-c"]
)
def test_serve_answers_and_stops(tmp_path: Path, stop_signal: signal.Signals) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SHAREWISE_DATA_DIR"] = str(data_dir)
    # Files rather than pipes: nobody reads a pipe while the server runs, and a full pipe
    # would block the access log.
    stdout_path, stderr_path = tmp_path / "stdout", tmp_path / "stderr"
    with stdout_path.open("w") as stdout, stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sharewise_command(), "serve", "--port", str(port)],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert process.poll() is None, f"serve exited early:\n{stderr_path.read_text()}"
            try:
                if fetch(f"{base}/healthz") == (200, "ok"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline, (
                f"no answer in {STARTUP_TIMEOUT} s:\n{stderr_path.read_text()}"
            )
            time.sleep(0.2)

        status, html = fetch(f"{base}/packs/hmg-2018/")
        assert status == 200
        assert pack_get("hmg-2018").title in html

        assert (
            stdout_path.read_text().splitlines()[0].startswith(f"Sharewise is serving on {base}/")
        )
        # Migrated on first start, and the secret key made private.
        assert (data_dir / "sharewise.sqlite3").is_file()
        assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
        assert (data_dir / "static" / "staticfiles.json").is_file()
    finally:
        process.send_signal(stop_signal)
        try:
            returncode = process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    log = stderr_path.read_text()
    assert returncode == 0, log
    assert "Traceback" not in log
    # Said once, by the master: the workers it forked end quietly.
    assert log.count("Sharewise has stopped.") == 1
    assert log.rstrip().endswith("Sharewise has stopped.")
    # The access log goes to stderr with everything else (read once the server has
    # stopped, because a line is written only after its response is sent).
    assert '"GET /packs/hmg-2018/ HTTP/1.1" 200' in log


def test_a_broken_pack_stops_the_app_from_starting(tmp_path: Path) -> None:
    # A copy of the shipped packs with one citation that resolves nowhere.
    packs_copy = tmp_path / "packs"
    shutil.copytree(SHIPPED_PACKS_DIR, packs_copy)
    flow = packs_copy / "hmg-2018" / "flow.toml"
    flow.write_text(flow.read_text().replace('cite = ["when"]', 'cite = ["nowhere"]', 1))
    code = (
        "import sharewise.guidance.packs as p, pathlib, sys, django;"
        f"p.SHIPPED_PACKS_DIR = pathlib.Path({str(packs_copy)!r});"
        "django.setup()"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharewise.settings",
        "SHAREWISE_DATA_DIR": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "The policy packs have problems" in proc.stderr
    assert "hmg-2018: flow.toml: nodes.purpose: cites 'nowhere'" in proc.stderr


def test_serve_runs_the_background_jobs_and_stops_them(tmp_path: Path) -> None:
    """The job worker runs beside the server: a job queued from another process is done,
    the daily sweeps are waiting for the morning, and the worker ends with the server."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SHAREWISE_DATA_DIR"] = str(tmp_path / "data")
    stderr_path = tmp_path / "stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sharewise_command(), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    database = tmp_path / "data" / "sharewise.sqlite3"

    def tasks() -> list[tuple[str, str]]:
        with sqlite3.connect(database, timeout=10) as db:
            rows = db.execute(
                "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
            ).fetchall()
        return sorted((path.rsplit(".", 1)[-1], status) for path, status in rows)

    def children() -> list[int]:
        path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert process.poll() is None, f"serve exited early:\n{stderr_path.read_text()}"
            try:
                if fetch(f"http://127.0.0.1:{port}/healthz") == (200, "ok"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline, stderr_path.read_text()
            time.sleep(0.2)
        # Queued by the server at start, for the morning.
        assert tasks() == [("sweeps_daily", "READY")]
        workers = [
            pid for pid in children() if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(workers) == 1, children()

        queued = subprocess.run(
            [sharewise_command(), "manage", "sweeps"],
            env=env,
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT,
            check=True,
        )
        assert "are queued" in queued.stdout
        deadline = time.monotonic() + JOB_TIMEOUT
        while ("sweeps_daily", "SUCCESSFUL") not in tasks():
            assert time.monotonic() < deadline, f"{tasks()}\n{stderr_path.read_text()}"
            time.sleep(0.5)
        # The one queued for the morning is still waiting.
        assert ("sweeps_daily", "READY") in tasks()
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=STOP_TIMEOUT)
    log = stderr_path.read_text()
    assert returncode == 0, log
    assert "Traceback" not in log
    assert log.rstrip().endswith("Sharewise has stopped.")
    # The worker went with the server.
    assert (
        not Path(f"/proc/{workers[0]}").exists()
        or b"db_worker" not in Path(f"/proc/{workers[0]}/cmdline").read_bytes()
    )
