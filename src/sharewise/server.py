"""`sharewise serve` and `sharewise manage`: the web app and Django's commands.

Django is imported inside the functions, never at module level, so that importing this
module costs no Django start-up: `sharewise decide` shares the command line with `serve`
and must never import Django (benchmarks/cli.py measures its start-up).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

SETTINGS_MODULE = "sharewise.settings"
DEFAULT_WORKERS = 2
THREADS_PER_WORKER = 4
# What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
EXIT_FAILED = 1


def _use_sharewise_settings() -> None:
    # Overwritten, not defaulted: a DJANGO_SETTINGS_MODULE left in the shell by another
    # project must not point Sharewise at someone else's database.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE


def django_setup() -> None:
    """Set Django up with Sharewise's settings, for commands that read the database
    (`sharewise demo users`) without running one of Django's own commands."""
    _use_sharewise_settings()
    import django

    django.setup()


def serve(
    host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, jobs: bool = True
) -> int:
    """Bring the database up to date, collect the static files and serve the web app with
    gunicorn until stopped (Ctrl-C or SIGTERM). Returns the exit status.

    With `jobs`, a background job worker (`sharewise manage db_worker`) runs beside the
    web server and stops with it, so that what the web app queues (a subject access PDF,
    the daily sweeps) is done on a single machine, the demo included, with no second
    command. Where workers run elsewhere, `--no-jobs` leaves it out (docs/decisions/
    0011-background-jobs.md)."""
    _use_sharewise_settings()
    # Gunicorn forks its workers from inside run(), so a worker ending unwinds through
    # this function too; only this process, the master, reports that Sharewise stopped.
    master = os.getpid()
    try:
        import django
        from django.core.management import call_command
        from django.db import DatabaseError, connections

        django.setup()
        url_host = f"[{host}]" if ":" in host else host
        try:
            # Every start brings the database up to date, so that `sharewise serve` works on
            # a fresh machine with no set-up and after every upgrade.
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            # In demo mode a fresh database gets the fictional demo partnership, so there
            # is someone to sign in as; otherwise this does nothing.
            from sharewise.accounts.demo import demo_load_if_empty, demo_sign_in_help

            demo_load_if_empty()
            sign_in_help = demo_sign_in_help(f"http://{url_host}:{port}")
            if jobs:
                # The daily sweeps (follow-up reminders, retention reviews due) keep their
                # own schedule once queued; queued once, however often the server starts.
                import datetime as dt

                from django.utils import timezone

                from sharewise.followups.tasks import daily_schedule

                daily_schedule(after=timezone.localdate() - dt.timedelta(days=1))
        except DatabaseError as exc:
            print(f"sharewise: cannot prepare the database: {exc}", file=sys.stderr)
            return EXIT_FAILED
        # The workers are forked from this process: a database connection opened for the
        # migrations must not be shared between them.
        connections.close_all()

        job_worker = JobWorker() if jobs else None

        def say_where(arbiter: Any) -> None:
            # Said once the port is bound, so it is never said when the port is taken; the
            # job worker likewise starts only once there is a server for it to serve.
            if job_worker is not None:
                job_worker.start()
            print(
                f"Sharewise is serving on http://{url_host}:{port}/ (Ctrl-C stops it)", flush=True
            )
            if sign_in_help:
                print(sign_in_help, flush=True)

        def stop_job_worker(arbiter: Any) -> None:
            if job_worker is not None:
                job_worker.stop()

        SharewiseServer(
            {
                "bind": f"{url_host}:{port}",
                "workers": workers if workers is not None else DEFAULT_WORKERS,
                "worker_class": "gthread",
                "threads": THREADS_PER_WORKER,
                "proc_name": "sharewise",
                "accesslog": "-",
                "logger_class": AccessLogOnStderr,
                # Gunicorn's own start-up chatter is left out: the line above says where
                # to go, and warnings and errors still reach stderr.
                "loglevel": "warning",
                # Gunicorn 25.1 and later open a control socket at one fixed path per
                # user, so a second `sharewise serve` (another port, a test) would take it
                # from the first. Nothing here uses it.
                "control_socket_disable": True,
                "when_ready": say_where,
                "on_exit": stop_job_worker,
            },
        ).run()
    except KeyboardInterrupt:
        if os.getpid() != master:
            raise
        # Ctrl-C before gunicorn took over its signals, for example during migrations.
        print("Sharewise has stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as exc:
        if os.getpid() != master:
            raise
        # Gunicorn's arbiter ends with sys.exit(): status 0 after Ctrl-C or SIGTERM, and
        # otherwise a failure it has already logged (such as the port being in use).
        status = exc.code if isinstance(exc.code, int) else EXIT_FAILED
        if status == 0:
            print("Sharewise has stopped.", file=sys.stderr)
        return status
    return 0


def manage(arguments: Sequence[str]) -> int:
    """Run one of Django's management commands with Sharewise's settings, for example
    `sharewise manage createsuperuser`. Returns its exit status."""
    _use_sharewise_settings()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["sharewise manage", *arguments])
    except SystemExit as exc:
        # Commands report failure (bad arguments, CommandError) by exiting.
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else EXIT_FAILED
    return 0


class JobWorker:
    """`sharewise manage db_worker` as a child of `sharewise serve`: started when the server
    is ready, stopped (SIGTERM, then killed if it has not finished its job in time) when the
    server stops, its log on the server's stderr."""

    # A job in hand (a subject access PDF of hundreds of pages) is given this long to end
    # before the worker is killed; django-tasks puts a job cut short back in the queue.
    STOP_TIMEOUT = 30.0
    # Seconds between looks at an empty queue: jobs here are minutes-scale (a PDF, the
    # daily sweeps), and SQLite is spared a query a second.
    INTERVAL = 5

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sharewise.cli",
                "manage",
                "db_worker",
                "--no-reload",
                "--interval",
                str(self.INTERVAL),
            ],
            stdout=sys.stderr,
            # Its own process group: Ctrl-C at the terminal reaches the server, which then
            # stops the worker itself, in order, rather than both at once.
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=self.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class AccessLogOnStderr(Logger):  # type: ignore[misc]
    """Gunicorn's logger with the access log on stderr, beside Django's log, leaving
    stdout to the one line that says where Sharewise is serving."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.access_log.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
                handler.setStream(sys.stderr)


class SharewiseServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from inside `sharewise serve` rather than from its own command line,
    so that the server needs no configuration file and shares Sharewise's settings."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        # Imported in each worker after the fork, and after collectstatic, because
        # WhiteNoise lists the static files once, when the application is built.
        from sharewise.wsgi import application

        return application
