"""SHAREWISE_REPORTS_MINIMUM_COUNT, read in a fresh Python process because the settings
are read once, when the module is imported (as in tests/accounts/test_settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRINT_MINIMUM = "import sharewise.settings as s; print(s.SHAREWISE_REPORTS_MINIMUM_COUNT)"


def settings_in(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_MINIMUM],
        env={**clean, "SHAREWISE_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def minimum_in(tmp_path: Path, **env: str) -> str:
    result = settings_in(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(("configured", "minimum"), [(None, 5), ("10", 10), ("1", 1)])
def test_the_minimum_count_is_5_unless_set(
    tmp_path: Path, configured: str | None, minimum: int
) -> None:
    env = {} if configured is None else {"SHAREWISE_REPORTS_MINIMUM_COUNT": configured}
    assert minimum_in(tmp_path, **env) == str(minimum)


@pytest.mark.parametrize("configured", ["0", "-5", "five", "2.5"])
def test_a_minimum_that_is_not_a_whole_number_of_at_least_1_is_refused(
    tmp_path: Path, configured: str
) -> None:
    result = settings_in(tmp_path, SHAREWISE_REPORTS_MINIMUM_COUNT=configured)
    assert result.returncode != 0
    assert (
        "SHAREWISE_REPORTS_MINIMUM_COUNT must be a whole number of records, at least 1"
        in result.stderr
    )
