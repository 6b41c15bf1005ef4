"""Suite-wide fixtures: an isolated home per test, the shared data file, clock and simulator.

Every suite takes `db_path`/`db`/`clock` (a real SQLite file in the test's folder, a
virtual clock) and `sim`/`fresh_sim` (one simulator per test module on 127.0.0.1, reset
around each test) from here; a suite's own conftest may override one (the simulator
suite runs a simulator per test on a virtual clock).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from kiosk.clock import ManualClock
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database

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
    # The machine-wide config an installer writes (/etc/xdg/...): a test's own, empty.
    "XDG_CONFIG_DIRS": "machine",
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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_780_000_000.0)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def fresh_sim(sim: Simulator) -> Iterator[Simulator]:
    sim.reset()
    yield sim
    sim.reset()


_WINDOW_FIXTURES = frozenset({"qtbot", "qapp"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that makes Qt widgets `window`, so `-m "not slow and not window"` is the fast loop."""
    for item in items:
        if _WINDOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.window)


# --- no personal data in any log file (issue 13's "Done when") ---------------------------------

_BASETEMP: list[Path] = []


@pytest.fixture(autouse=True, scope="session")
def _remember_basetemp(tmp_path_factory: pytest.TempPathFactory) -> None:
    _BASETEMP.append(tmp_path_factory.getbasetemp())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """After the whole run, grep every log file the tests left (the demo's, the window's) for the
    names and phone numbers the tests put into passes; fail the run naming the file, never the value."""
    if not _BASETEMP:
        return
    from tests.personal_data import scan_logs

    leaks = scan_logs(_BASETEMP[0])
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
    for path, kinds in sorted(leaks.items()):
        line = f"personal data ({', '.join(sorted(kinds))}) in the log file {path}"
        if reporter is not None:
            reporter.write_line(line, red=True)
        else:
            print(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
