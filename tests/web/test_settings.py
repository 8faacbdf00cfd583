"""The settings read from the environment, each checked in a fresh Python process because
the settings are read once, when the module is imported."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PRINT_SETTINGS = """
import json, sharewise.settings as s
print(json.dumps({
    "data_dir": str(s.DATA_DIR),
    "secret_key": s.SECRET_KEY,
    "database": {k: str(v) for k, v in s.DATABASES["default"].items() if k in ("ENGINE", "NAME")},
    "options": s.DATABASES["default"].get("OPTIONS", {}),
    "debug": s.DEBUG,
    "allowed_hosts": s.ALLOWED_HOSTS,
    "session_cookie_secure": s.SESSION_COOKIE_SECURE if hasattr(s, "SESSION_COOKIE_SECURE") else False,
    "hsts": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "proxy_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "storage": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(env: dict[str, str]) -> dict:
    result = settings_in(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_keep_everything_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    found = read_settings({"SHAREWISE_DATA_DIR": str(data_dir)})
    assert found["data_dir"] == str(data_dir)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert found["database"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["database"]["NAME"] == str(data_dir / "sharewise.sqlite3")
    assert "journal_mode=WAL" in found["options"]["init_command"]
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["debug"] is False
    assert found["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert found["storage"] == "sharewise.web.storage.GzipManifestStaticFilesStorage"


def test_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = read_settings({"SHAREWISE_DATA_DIR": str(tmp_path)})
    second = read_settings({"SHAREWISE_DATA_DIR": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["secret_key"] == second["secret_key"] == key_file.read_text().strip()
    assert len(first["secret_key"]) >= 50
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_secret_key_from_the_environment_writes_no_file(tmp_path: Path) -> None:
    found = read_settings({"SHAREWISE_DATA_DIR": str(tmp_path), "SHAREWISE_SECRET_KEY": "k" * 60})
    assert found["secret_key"] == "k" * 60
    assert not (tmp_path / "secret_key").exists()


def test_xdg_data_home_is_the_default_home(tmp_path: Path) -> None:
    found = read_settings({"XDG_DATA_HOME": str(tmp_path)})
    assert found["data_dir"] == str(tmp_path / "sharewise")


def test_database_url_chooses_postgresql(tmp_path: Path) -> None:
    found = read_settings(
        {
            "SHAREWISE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://sharewise:secret@db.example:5432/sharewise",
        }
    )
    assert found["database"] == {"ENGINE": "django.db.backends.postgresql", "NAME": "sharewise"}


def test_https_makes_cookies_secure_and_trusts_the_proxy(tmp_path: Path) -> None:
    found = read_settings(
        {
            "SHAREWISE_DATA_DIR": str(tmp_path),
            "SHAREWISE_HTTPS": "on",
            "SHAREWISE_ALLOWED_HOSTS": "sharewise.example.org, other.example.org",
        }
    )
    assert found["session_cookie_secure"] is True
    assert found["hsts"] >= 31536000
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["allowed_hosts"] == ["sharewise.example.org", "other.example.org"]


@pytest.mark.parametrize("name", ["SHAREWISE_HTTPS", "SHAREWISE_DEBUG"])
def test_a_mistyped_switch_is_refused(tmp_path: Path, name: str) -> None:
    result = settings_in({"SHAREWISE_DATA_DIR": str(tmp_path), name: "onn"})
    assert result.returncode != 0
    assert f"{name} must be on or off" in result.stderr


def test_importing_the_server_module_does_not_import_django() -> None:
    # `sharewise decide` must never pay for Django.
    check = "import sys, sharewise.server; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr
