"""Each test of field encryption gets a keyring file of its own, so that a rotation here
never changes the keys the rest of the suite encrypts with."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def keys_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "field_keys.json"
    monkeypatch.setenv("SHAREWISE_FIELD_KEYS_FILE", str(path))
    return path
