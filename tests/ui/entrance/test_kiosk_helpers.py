"""Kiosk-mode helpers: the idle cursor, keeping the screen awake, the language toggle."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.clock import ManualClock
from kiosk.ui.controller import Controller
from kiosk.ui.desktop.awake import ScreenAwake
from kiosk.ui.entrance.kiosk_mode import IdleCursor
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.model import UiSettings


def test_the_cursor_hides_when_idle_and_returns_on_movement(qtbot: QtBot) -> None:
    window = MainWindow(ManualClock())
    qtbot.addWidget(window)
    window.show()
    cursor = IdleCursor(window, idle_ms=50)
    try:
        qtbot.waitUntil(lambda: cursor.hidden, timeout=15000)
        assert QApplication.overrideCursor() is not None
        assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
        qtbot.mouseMove(window, QPoint(10, 10))
        qtbot.mouseMove(window, QPoint(40, 40))
        qtbot.waitUntil(lambda: not cursor.hidden, timeout=15000)
        assert QApplication.overrideCursor() is None
    finally:
        cursor.stop()


def test_screen_awake_is_silent_without_a_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test machine has no desktop session: nothing to inhibit, and no error either.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    awake = ScreenAwake()
    assert awake.inhibit() is False
    assert not awake.active
    awake.release()


def test_the_language_button_asks_for_the_other_language(qtbot: QtBot) -> None:
    clock = ManualClock()
    window = MainWindow(clock)
    qtbot.addWidget(window)
    controller = Controller(window, clock, settings=UiSettings(), language="ko")
    button = window.status_bar.language_button
    assert button.text() == "English"
    with qtbot.waitSignal(controller.language_requested) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args == ["en"] and controller.state.language == "en"
    assert button.text() == "한국어"
    with qtbot.waitSignal(controller.language_requested) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args == ["ko"]
    controller.stop()
