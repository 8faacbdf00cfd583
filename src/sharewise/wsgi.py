"""The WSGI application, for `sharewise serve` (gunicorn embedded) or any WSGI server
pointed at `sharewise.wsgi:application`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

# `sharewise serve` has already chosen sharewise.settings; another WSGI server may name a
# settings module that wraps ours.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharewise.settings")

application = get_wsgi_application()
