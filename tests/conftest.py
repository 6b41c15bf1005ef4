"""Suite-wide fixtures: no test may touch the real per-user folders of whoever runs it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles. "ci" (the default) is derandomized: the same examples on every
# run and machine, so a red build reproduces. "fuzz" explores far more, with fresh
# randomness each run: `HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/...`.
# Tests that need more or fewer examples scale `settings.default.max_examples`.
settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, print_blob=True)
settings.register_profile("fuzz", max_examples=2_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
