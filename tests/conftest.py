"""Suite-wide fixtures: no test may touch the real per-user folders of whoever runs it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# pytest-qt aborts without a display unless this is set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_XDG_DIRS = {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
    "XDG_RUNTIME_DIR": "runtime",
}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME and XDG_* per test, so config.toml and kiosk.db of the real user stay untouched."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for var, name in _XDG_DIRS.items():
        folder = home / name
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    return home
