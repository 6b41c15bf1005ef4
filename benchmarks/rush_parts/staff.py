"""The member of staff at the door: taps on what the window shows, nothing else.

Every answer is a QTest click on a visible, enabled button found by its objectName:
the check's own verdict (`verdictAdmit` / `verdictDeny`, which name the visitor) or its
row in the staff strip (`staffCheck`: `stripAdmit` / `stripDeny`), and for a visitor
with no scannable pass the entrance's `noPassAdmit` / `noPassDeny`. While locked, the
status bar's `staffUnlock` (or the first answer) brings the `staffPinPad`, typed key by
key. Staff tell the waiting visitors apart as a person would: by the label's text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

PIN_KEY_S = 0.5  # a human's time per key of the staff PIN (5 keys with OK)
T = TypeVar("T")


def pump_until(found: Callable[[], T | None], timeout_s: float, step_ms: int = 2) -> T | None:
    """Let the window run (events, workers' signals, paints) until `found()` gives something."""
    end = time.perf_counter() + timeout_s
    while True:
        value = found()
        if value is not None or time.perf_counter() >= end:
            return value
        QTest.qWait(step_ms)


class Staff:
    def __init__(self, window: QWidget, pin: str, *, reach_s: float = 10.0) -> None:
        """`reach_s`: how long (real) a button may take to appear before staff give up on it."""
        self._window = window
        self._pin = pin
        self._reach_s = reach_s
        self.taps = 0
        self.pin_keys = 0  # of those taps, the PIN's

    def answer_check(self, who: str, admit: bool) -> bool:
        """Answer the waiting check whose label shows `who` ("…" + the token's last 4, or the
        masked name). False when no visible button answers it."""
        button = pump_until(lambda: self._check_button(who, admit), self._reach_s)
        if button is None:
            return False
        self._tap(button)
        self._pin_if_asked()
        return True

    def log_no_pass(self, admit: bool) -> bool:
        """One tap on the entrance's row for a visitor with no scannable pass (unlocking first);
        while the last one is being stored its buttons wait, and so do staff."""
        name = "noPassAdmit" if admit else "noPassDeny"
        if not any(b.isVisible() for b in self._window.findChildren(QPushButton, name)):
            unlock = self._visible("staffUnlock")
            if unlock:
                self._tap(unlock[0])
                self._pin_if_asked()
        button = pump_until(lambda: next(iter(self._visible(name)), None), self._reach_s)
        if button is None:
            return False
        self._tap(button)
        return True

    def _check_button(self, who: str, admit: bool) -> QPushButton | None:
        for button in self._visible("verdictAdmit" if admit else "verdictDeny"):
            if who in button.text():
                return button
        for row in self._window.findChildren(QWidget, "staffCheck"):
            label = row.findChild(QLabel, "staffCheckVisitor")
            if row.isVisible() and label is not None and label.text().endswith(who):
                button = row.findChild(QPushButton, "stripAdmit" if admit else "stripDeny")
                if button is not None and button.isVisible() and button.isEnabled():
                    return button
        return None

    def _pin_if_asked(self) -> None:
        pad = self._window.findChild(QWidget, "staffPinPad")
        if pad is None or not pad.isVisible():
            return
        for digit in self._pin:
            self._tap(pad.findChild(QPushButton, f"key{digit}"))
        self._tap(pad.findChild(QPushButton, "keyAction"))
        self.pin_keys += len(self._pin) + 1

    def _visible(self, name: str) -> list[QPushButton]:
        buttons = self._window.findChildren(QPushButton, name)
        return [b for b in buttons if b.isVisible() and b.isEnabled()]

    def _tap(self, button: QPushButton | None) -> None:
        if button is None or not (button.isVisible() and button.isEnabled()):
            raise RuntimeError("staff tapped a button that is not on screen")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.taps += 1
