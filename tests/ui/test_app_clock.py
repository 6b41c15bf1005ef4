"""The app's clock reaches the screen: verdicts clear and the wedge times its keys by it.

Real parts: a KioskApp on a real SQLite file with real widgets offscreen, offline (no
upstream), with the project's ManualClock as the injected clock; no camera.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.clock import ManualClock
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from tests.ui.conftest import make_context, provision_owner


def no_camera():  # type: ignore[no-untyped-def]
    raise CameraUnavailableError("No camera found at index 0.")


def test_the_verdict_clears_by_the_apps_clock_not_the_machines(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = make_context(tmp_path, "[ui]\nverdict_seconds = 1\n")
    provision_owner(ctx)
    clock = ManualClock()
    app = KioskApp(ctx, clock=clock, camera=no_camera, status_interval_ms=100, camera_retry_s=0.2)
    qtbot.addWidget(app.window)
    try:
        app.start()
        qtbot.waitExposed(app.window)
        qtbot.keyClicks(app.window, "https://menu.example/today")
        qtbot.keyClick(app.window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: app.controller.state.screen is Screen.VERDICT, timeout=15000)
        # Longer than verdict_seconds on the machine's clock; the app's clock has not moved.
        qtbot.wait(1500)
        assert app.controller.state.screen is Screen.VERDICT
        clock.advance(1.0)
        qtbot.waitUntil(lambda: app.controller.state.screen is Screen.IDLE, timeout=15000)
    finally:
        app.shutdown()
