"""Settings for the test suite: Sharewise's own, with a data directory of the run's own.

pytest-django imports the settings before any conftest.py runs, so the directories are
chosen here: tests must never read or write a practitioner's real database, secret key or
pack cache, and two test runs at once must not share them. (Tests of `serve` start a
separate process and give it a directory of its own.)
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_run_dir = tempfile.mkdtemp(prefix="sharewise-test-")
atexit.register(shutil.rmtree, _run_dir, ignore_errors=True)
os.environ["SHAREWISE_DATA_DIR"] = os.path.join(_run_dir, "data")
os.environ["SHAREWISE_CACHE_DIR"] = os.path.join(_run_dir, "cache")

from sharewise.settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; tests create many users, so they hash with a fast hasher.
# The production list (Argon2 first) is checked by reading sharewise.settings itself.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
