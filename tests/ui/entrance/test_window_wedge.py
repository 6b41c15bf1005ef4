"""A keyboard-wedge scanner at the window: each way it can type a pass gives the camera's verdict.

Real parts: a KioskApp on a real SQLite file, offline against a trust list holding the
test signer, widgets offscreen, Qt key events at scanner speed (4 ms apart by the
app's ManualClock). The Korean input method is simulated by the jamo and syllables it
would commit (a real one was not available to test).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.clock import ManualClock
from kiosk.decision import Verdict
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.store.audit import audit_entries
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import list_visits
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from kiosk.ui.wedge_input import FLOOD_SCANS
from tests.passes.conftest import HCERT_V
from tests.passes.test_keyboard_layout import composed, typed_in_korean
from tests.ui.conftest import make_context, provision_owner

KEY_S = 0.004
T0 = 1_700_000_000.0
TOKEN = "KP1:Ab3_x-Yz0qWeRtYuIoPaSdFgHjKlZxCv"


def no_camera():  # type: ignore[no-untyped-def]
    raise CameraUnavailableError("No camera found at index 0.")


class Sounds:
    def __init__(self) -> None:
        self.played: list[Verdict] = []

    def play(self, verdict: Verdict) -> None:
        self.played.append(verdict)


class Door:
    def __init__(self, app: KioskApp, clock: ManualClock, sounds: Sounds, dcc: str) -> None:
        self.app, self.clock, self.sounds, self.dcc = app, clock, sounds, dcc

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return self.app.controller.state

    def key(self, key: int, text: str = "") -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            QApplication.sendEvent(self.app.window, event)
        self.clock.advance(KEY_S)

    def type(self, text: str) -> None:
        for char in text:
            code = ord(char.upper()) if char.isascii() else Qt.Key.Key_unknown
            self.key(code, char)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return, "\r")

    def verdict(self, qtbot: QtBot) -> tuple[Verdict, object]:
        qtbot.waitUntil(lambda: self.state.screen is Screen.VERDICT, timeout=15000)
        shown = self.state.shown
        return shown.verdict, shown.reason

    def camera_verdict(self, qtbot: QtBot, text: str) -> tuple[Verdict, object]:
        """The same text as the camera reads it, once the screen and the cooldown are clear."""
        self.clock.advance(30.0)
        qtbot.waitUntil(lambda: self.state.screen is Screen.IDLE, timeout=15000)
        self.app.controller.on_scanned(text, self.clock.monotonic())
        return self.verdict(qtbot)


@pytest.fixture
def door(qtbot: QtBot, tmp_path: Path) -> Iterator[Door]:
    key, der = make_signer("ES256", "DE", "DSC wedge", None, T0 - 365 * 86_400, T0 + 365 * 86_400)
    dcc = issue_dcc(HCERT_V, private_key=key, kid=load_signer_cert(der).kid, issuer="DE",
                    issued_at=T0 - 86_400, expires_at=T0 + 300 * 86_400)
    ctx = make_context(tmp_path, "[ui]\nstaff_pin = false\n")
    provision_owner(ctx)
    TrustStore(ctx.db()).add(load_signer_cert(der), T0)
    clock, sounds = ManualClock(T0), Sounds()
    app = KioskApp(ctx, clock=clock, camera=no_camera, sound=sounds, status_interval_ms=100)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitExposed(app.window)
    yield Door(app, clock, sounds, dcc)
    app.shutdown()


def assert_the_cameras_verdict(qtbot: QtBot, door: Door) -> None:
    wedge = door.verdict(qtbot)
    assert wedge[0] is Verdict.ADMIT, wedge  # the test pass is valid: never refused
    assert door.camera_verdict(qtbot, door.dcc) == wedge
    assert len(list_visits(door.app.db)) == 2  # one for the wedge scan, one for the camera's


def test_a_pass_typed_by_the_korean_input_method(qtbot: QtBot, door: Door) -> None:
    typed = composed(typed_in_korean(door.dcc))
    assert typed.startswith("ㅗㅊ1:")
    door.type(typed)
    door.enter()
    assert_the_cameras_verdict(qtbot, door)


def test_a_pass_typed_with_caps_lock(qtbot: QtBot, door: Door) -> None:
    door.type(door.dcc.swapcase())
    door.enter()
    assert_the_cameras_verdict(qtbot, door)


def test_a_pass_ended_by_tab(qtbot: QtBot, door: Door) -> None:
    door.type(door.dcc)
    door.key(Qt.Key.Key_Tab, "\t")
    assert_the_cameras_verdict(qtbot, door)


def test_a_pass_with_nothing_after_it(qtbot: QtBot, door: Door) -> None:
    door.type(door.dcc)
    qtbot.wait(200)
    assert door.state.screen is Screen.IDLE  # no time has passed by the app's clock
    door.clock.advance(0.2)
    assert_the_cameras_verdict(qtbot, door)


def test_a_scanner_stalling_mid_pass(qtbot: QtBot, door: Door) -> None:
    half = len(door.dcc) // 2
    door.type(door.dcc[:half])
    door.clock.advance(0.6)  # a Bluetooth scanner's stall
    qtbot.wait(150)  # the window's wedge ticks meanwhile
    assert door.state.screen is Screen.IDLE and not list_visits(door.app.db)
    door.type(door.dcc[half:])
    door.enter()
    assert_the_cameras_verdict(qtbot, door)


def test_a_slow_typist_is_not_a_scan(qtbot: QtBot, door: Door) -> None:
    for digit in "12345678":
        door.type(digit)
        door.clock.advance(0.3)
        qtbot.wait(40)
    door.enter()
    qtbot.wait(300)
    assert door.state.screen is Screen.IDLE
    assert not list_visits(door.app.db) and not door.sounds.played


@pytest.mark.parametrize("typed", [typed_in_korean(TOKEN), TOKEN.swapcase()], ids=["korean", "caps"])
def test_a_token_in_the_wrong_mode_is_a_notice_for_staff_not_a_refusal(
    qtbot: QtBot, door: Door, typed: str
) -> None:
    door.type(typed)
    door.enter()
    notice = door.app.window.preview.card_notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert "Scanner is in Korean or Caps mode" in notice.text()
    assert door.state.screen is Screen.IDLE
    assert not list_visits(door.app.db) and not door.sounds.played
    door.clock.advance(5.0)  # the notice goes after a few seconds
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=5000)


def test_a_garbage_flood_is_one_notice_one_logged_event_and_at_most_a_few_visits(
    qtbot: QtBot, door: Door, caplog: pytest.LogCaptureFixture
) -> None:
    notices: list[str] = []
    door.app.window.wedge_notice.connect(notices.append)
    with caplog.at_level(logging.WARNING):
        for i in range(2000):
            door.type(f"#{i:05d}!garbage")
            door.enter()
            if i % 200 == 0:
                qtbot.wait(1)  # let the verifier and the screen keep up, as a real event loop would
    notice = door.app.window.preview.card_notice
    qtbot.waitUntil(lambda: "keeps sending unreadable input" in notice.text(), timeout=5000)
    qtbot.waitUntil(lambda: door.state.verifying is None, timeout=15000)
    assert 1 <= len(list_visits(door.app.db)) <= FLOOD_SCANS
    assert set(notices) == {"garbage"}
    flood = [r for r in caplog.records if r.levelno >= logging.WARNING and "scanner" in r.getMessage()]
    assert len(flood) == 1 and "garbage" not in flood[0].getMessage()

    def audited() -> list[dict[str, object]]:
        return [e.detail for e in audit_entries(door.app.db) if e.action == "wedge.garbage"]

    qtbot.waitUntil(lambda: bool(audited()), timeout=5000)
    assert audited() == [{"scans": FLOOD_SCANS + 1, "within_s": 10.0}]
    # Quiet again: a pass verifies as ever (passes within a flood: tests/ui/test_wedge.py).
    door.clock.advance(30.0)
    qtbot.waitUntil(lambda: door.state.screen is Screen.IDLE, timeout=15000)
    door.type(door.dcc)
    door.enter()
    assert door.verdict(qtbot)[0] is Verdict.ADMIT
