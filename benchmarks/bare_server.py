"""The baseline of benchmarks/recording.py: a bare Django view that inserts one row, served
by the same gunicorn configuration as `sharewise serve`.

It is no part of the product. Its settings are this module (no apps, no middleware, one
URL), its database the one DATABASE_URL names, with the connection settings Sharewise
uses; the row goes into a table of its own, `bench_bare_row`, made on start.

    DATABASE_URL=... uv run python benchmarks/bare_server.py PORT
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# --- Django settings: this module is DJANGO_SETTINGS_MODULE ---------------------------------

SECRET_KEY = "bare-baseline-of-benchmarks-recording"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bare_server"
USE_TZ = True
TIME_ZONE = "Europe/London"
DATABASES: dict[str, Any] = {}
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    # The same connection handling as sharewise/settings.py: kept a minute, checked per
    # request.
    DATABASES["default"] = dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )

TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_bare_row "
    "(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL)"
)


def record(request: Any) -> Any:
    """Parse the JSON body and insert it as one row, in a transaction: the least a view
    that records something can do."""
    from django.db import connection, transaction
    from django.http import HttpResponseNotAllowed, JsonResponse

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare_row (body) VALUES (%s) RETURNING id", [json.dumps(body)]
        )
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201)


def _urlpatterns() -> list[Any]:
    from django.urls import path

    return [path("record", record)]


urlpatterns = _urlpatterns() if os.environ.get("DJANGO_SETTINGS_MODULE") == "bare_server" else []


def main() -> int:
    port = int(sys.argv[1])
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare_server"
    import django

    django.setup()
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute(TABLE_SQL)
    connections.close_all()

    from sharewise.server import (
        DEFAULT_WORKERS,
        THREADS_PER_WORKER,
        AccessLogOnStderr,
        SharewiseServer,
    )

    class BareServer(SharewiseServer):  # type: ignore[misc]
        def load(self) -> Any:
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()

    # The options `sharewise serve` gives gunicorn (sharewise/server.py), access log
    # included, so that the two servers differ only in the application.
    BareServer(
        {
            "bind": f"127.0.0.1:{port}",
            "workers": DEFAULT_WORKERS,
            "worker_class": "gthread",
            "threads": THREADS_PER_WORKER,
            "proc_name": "sharewise-bare",
            "accesslog": "-",
            "logger_class": AccessLogOnStderr,
            "loglevel": "warning",
            "control_socket_disable": True,
        }
    ).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
