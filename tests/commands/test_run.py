"""`kiosk run` as a user starts it: clear refusals (no display, second instance), daily purge."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.commands.run import display_problem
from kiosk.config import parse_config
from kiosk.owner_tools.daily import DailyJobs
from kiosk.store.audit import audit_entries
from kiosk.store.opening import open_database
from kiosk.ui.desktop.instance import LOCK_FILE, acquire_instance_lock
from kiosk.ui.workers import StatusReader

REPO = Path(__file__).resolve().parents[2]


def run_kiosk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=REPO,
    )


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    return env


def test_without_a_display_it_says_so_and_exits_2(tmp_path: Path) -> None:
    result = run_kiosk(["--data", str(tmp_path / "data")], base_env())
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "Traceback" not in result.stderr


def test_display_checks() -> None:
    assert display_problem({}) is not None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert "not running" in (display_problem({"DISPLAY": ":987"}) or "")


def test_a_second_instance_on_the_same_data_folder_exits_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    lock = acquire_instance_lock(data)
    try:
        env = base_env() | {"QT_QPA_PLATFORM": "offscreen"}
        result = run_kiosk(["--data", str(data), "--camera", str(tmp_path / "nothing-here")], env)
    finally:
        lock.unlock()
    assert result.returncode == 2
    assert "already running" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows keeps nothing here")
def test_the_window_lock_and_its_folder_are_the_kiosk_users_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous = os.umask(0o022)
    try:
        lock = acquire_instance_lock(data)
    finally:
        os.umask(previous)
    try:
        modes = [stat.S_IMODE(p.stat().st_mode) for p in (data, data / LOCK_FILE)]
    finally:
        lock.unlock()
    assert modes == [0o700, 0o600]


def test_retention_purge_runs_at_start_then_once_a_day(tmp_path: Path) -> None:
    clock = ManualClock(1_790_000_000.0)
    with open_database(tmp_path / "kiosk.db") as db:
        jobs = DailyJobs(db, parse_config("[privacy]\nretention_days = 28\n"), UTC)
        reader = StatusReader(
            db, clock, breaker=None, tz=UTC, warn_age_s=86_400, stale_age_s=3 * 86_400, daily_jobs=jobs
        )
        assert reader.daily_if_due()
        clock.advance(3600)
        assert not reader.daily_if_due()
        clock.advance(23 * 3600)
        assert reader.daily_if_due()
        assert [e.action for e in audit_entries(db)].count("purge") == 2
        snapshot = reader.snapshot()
        assert snapshot.online_configured is False and snapshot.trust_level == "missing"


def test_a_stop_signal_ends_even_a_kiosk_mode_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A service manager stops the kiosk with SIGTERM; kiosk mode refuses window closes,
    # which must not keep the process running.
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.commands.run import stop_on_signals
    from kiosk.ui.entrance.main_window import MainWindow

    app = QApplication.instance()
    window = MainWindow(ManualClock())
    qtbot.addWidget(window)
    window.enter_kiosk_mode()
    saved = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)}
    try:
        timer = stop_on_signals(app)
        QTimer.singleShot(100, lambda: os.kill(os.getpid(), signal.SIGTERM))
        # The safety net: never hang the suite. Stopped afterwards, or it would end the event
        # loop of whichever test runs five seconds later.
        safety = QTimer()
        safety.setSingleShot(True)
        safety.timeout.connect(lambda: app.exit(1))
        safety.start(5000)
        code = app.exec()
        safety.stop()
        timer.stop()
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
        window.allow_close()
    assert code == 0
