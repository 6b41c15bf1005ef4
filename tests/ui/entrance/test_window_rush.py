"""The outage rush in the real window: tokens faster than staff answer, every check answered by taps.

Real parts: the project's simulator on 127.0.0.1 (down), a real SQLite file, the real
window offscreen, real scrypt. A keyboard-wedge scan stands in for the handheld scanner.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.clock import SystemClock
from kiosk.decision import Verdict, VerifiedBy
from kiosk.owner.staff_pin import StaffPin
from kiosk.owner_tools.outage_report import build_outage_report
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.visits import list_visits
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from tests.owner.support import FAST_SCRYPT
from tests.ui.conftest import make_context, provision_owner

STAFF_PIN = "4826"
TOKENS = 10


def camera_absent():  # type: ignore[no-untyped-def]
    raise CameraUnavailableError("No camera found at index 0.")


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, fresh_sim: Simulator) -> Iterator[KioskApp]:
    ctx = make_context(tmp_path, url=fresh_sim.url)
    provision_owner(ctx)
    StaffPin(ctx.db(), SystemClock(), scrypt=FAST_SCRYPT).set_pin(STAFF_PIN)
    kiosk = KioskApp(ctx, camera=camera_absent, status_interval_ms=100, camera_retry_s=0.2)
    qtbot.addWidget(kiosk.window)
    kiosk.start()
    qtbot.waitExposed(kiosk.window)
    yield kiosk
    kiosk.shutdown()


def tap(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def visible_admit(app: KioskApp) -> QPushButton:
    """What staff see to answer: the check on the verdict, else the strip's oldest row."""
    if app.window.verdict.admit_button.isVisible():
        return app.window.verdict.admit_button
    rows = [row for row in app.window.staff_strip.rows if row.isVisible()]
    assert rows, "checks wait but none is on screen"
    return rows[0].admit


def test_ten_tokens_in_an_outage_wait_for_staff_and_every_one_is_answered_by_taps(
    qtbot: QtBot, app: KioskApp, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(error_rate=1.0))  # upstream is down at lunchtime
    window, state = app.window, lambda: app.controller.state
    window.resize(1280, 800)  # a tablet lying down
    for i in range(TOKENS):
        app.window.scan_entered.emit(fresh_sim.state.issue_token().token)
        qtbot.waitUntil(lambda i=i: len(state().checks) == i + 1, timeout=15000)
        # Each verdict shows at once, without wiping the checks before it.
        assert state().screen is Screen.VERDICT and window.verdict.admit_button.isVisible()
        if i == 0:
            # The first fallback turns the status bar to degraded, before the breaker counts 3.
            assert window.status_bar.health.text() == "DEGRADED"
    assert window.staff_strip.waiting.text() == f"{TOKENS} staff check(s) waiting"
    # A lying window lists the oldest; the count says the rest (all but the one on the verdict).
    assert sum(row.isVisible() for row in window.staff_strip.rows) == 1
    assert window.staff_strip.more.text() == f"{TOKENS - 2} more after these"

    # Staff answer afterwards: the PIN once, then one tap per visitor, the last one set aside.
    tap(qtbot, visible_admit(app))
    type_pin(qtbot, app, STAFF_PIN)
    taps = 1
    qtbot.waitUntil(lambda: len(state().checks) == TOKENS - 1, timeout=15000)
    while len(state().checks) > 1:
        waiting = len(state().checks)
        tap(qtbot, visible_admit(app))
        taps += 1
        qtbot.waitUntil(lambda waiting=waiting: len(state().checks) == waiting - 1, timeout=15000)
    # A check still on its verdict joins the strip's rows once that verdict clears.
    rows = window.staff_strip.rows
    qtbot.waitUntil(lambda: any(r.isVisible() for r in rows), timeout=15000)
    tap(qtbot, next(r for r in rows if r.isVisible()).set_aside)
    assert len(state().checks) == 0 and taps == TOKENS - 1
    assert not window.staff_strip.waiting.isVisible()

    visits = list_visits(app.db)
    assert len(visits) == TOKENS
    answered = [v for v in visits if v.verified_by is VerifiedBy.STAFF]
    assert len(answered) == TOKENS - 1 and all(v.decision is Verdict.ADMIT for v in answered)
    # The outage report tells staff answers from the check nobody answered.
    qtbot.waitUntil(lambda: build_report(app).periods != (), timeout=15000)
    [period] = build_report(app).periods
    assert (period.logged_manually, period.unanswered) == (TOKENS - 1, 1)

    # Back at the idle screen the outage is said to the queue.
    qtbot.waitUntil(lambda: state().screen is Screen.IDLE, timeout=15000)
    assert window.preview.outage.isVisible()
    assert window.preview.outage.text().startswith("Service down: staff check tokens")


def build_report(app: KioskApp):  # type: ignore[no-untyped-def]
    seoul = ZoneInfo("Asia/Seoul")
    return build_outage_report(app.ctx.db_path, now=time.time() + 1, tz=seoul, with_days=False)


def type_pin(qtbot: QtBot, app: KioskApp, pin: str) -> None:
    assert app.window.pages.currentWidget() is app.owner.staff_pad
    for digit in pin:
        qtbot.mouseClick(app.owner.staff_pad.keypad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(app.owner.staff_pad.keypad.action_button, Qt.MouseButton.LeftButton)
