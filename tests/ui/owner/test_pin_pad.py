"""The PIN pad and the first-run flow as real widgets (offscreen), driven by clicks and key presses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import ManualClock
from kiosk.owner.account import OwnerAccount, PinCheck, PinOutcome
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.ui.owner.first_run import FirstRunFlow
from kiosk.ui.owner.pin_pad import DOT, PinPad, PinPadMode
from kiosk.ui.owner.recovery import RecoveryFlow
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN
from tests.ui.slot_errors import fail_on_slot_errors


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_780_000_000.0)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "kiosk.db")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _slot_errors() -> Iterator[None]:
    with fail_on_slot_errors():
        yield


def _click(qtbot: QtBot, pad: PinPad, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(pad.keypad.digit_buttons[d], Qt.MouseButton.LeftButton)


def _ok(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.mouseClick(pad.keypad.action_button, Qt.MouseButton.LeftButton)


def test_verify_by_clicks_shows_only_dots_and_emits_the_pin(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.VERIFY)
    qtbot.addWidget(pad)
    _click(qtbot, pad, "4803179")
    qtbot.mouseClick(pad.keypad.back_button, Qt.MouseButton.LeftButton)
    assert pad.dots.text().count(DOT) == 6
    assert not any(ch.isdigit() for ch in pad.dots.text() + pad.prompt.text() + pad.message.text())
    with qtbot.waitSignal(pad.pin_entered) as signal:
        _ok(qtbot, pad)
    assert signal.args == [GOOD_PIN]
    assert pad.dots.text().count(DOT) == 0


def test_key_events_type_digits_and_escape_cancels(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.VERIFY)
    qtbot.addWidget(pad)
    qtbot.keyClicks(pad, GOOD_PIN)
    with qtbot.waitSignal(pad.pin_entered) as signal:
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert signal.args == [GOOD_PIN]
    pad.reset()
    qtbot.keyClicks(pad, "12")
    with qtbot.waitSignal(pad.cancelled):
        qtbot.keyClick(pad, Qt.Key.Key_Escape)
    assert pad.dots.text().count(DOT) == 0


def test_too_short_pin_is_not_emitted(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.VERIFY)
    qtbot.addWidget(pad)
    with qtbot.assertNotEmitted(pad.pin_entered):
        _click(qtbot, pad, "4803")
        _ok(qtbot, pad)
    assert "6" in pad.message.text()


def test_set_mode_needs_a_good_pin_twice(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.SET)
    qtbot.addWidget(pad)
    with qtbot.assertNotEmitted(pad.pin_entered):
        _click(qtbot, pad, "123456")
        _ok(qtbot, pad)
        assert "easy to guess" in pad.message.text()
        _click(qtbot, pad, GOOD_PIN)
        _ok(qtbot, pad)
        assert "again" in pad.prompt.text()
        _click(qtbot, pad, OTHER_PIN)
        _ok(qtbot, pad)
        assert "different" in pad.message.text()
    _click(qtbot, pad, GOOD_PIN)
    _ok(qtbot, pad)
    with qtbot.waitSignal(pad.pin_entered) as signal:
        _click(qtbot, pad, GOOD_PIN)
        _ok(qtbot, pad)
    assert signal.args == [GOOD_PIN]


def test_change_mode_emits_current_and_new(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.CHANGE)
    qtbot.addWidget(pad)
    with qtbot.waitSignal(pad.change_entered) as signal:
        for pin in (GOOD_PIN, OTHER_PIN, OTHER_PIN):
            _click(qtbot, pad, pin)
            _ok(qtbot, pad)
    assert signal.args == [GOOD_PIN, OTHER_PIN]


def test_five_wrong_pins_lock_the_pad_with_a_countdown(
    qtbot: QtBot, db: Database, clock: ManualClock
) -> None:
    """The window's loop, done inline: pad → OwnerAccount.check_pin → pad.show_check."""
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    pad = PinPad(PinPadMode.VERIFY)
    qtbot.addWidget(pad)
    pad.pin_entered.connect(lambda pin: pad.show_check(account.check_pin(pin)))
    for left in (4, 3, 2, 1):
        _click(qtbot, pad, OTHER_PIN)
        _ok(qtbot, pad)
        assert f"{left} tries left" in pad.message.text()
    _click(qtbot, pad, OTHER_PIN)
    _ok(qtbot, pad)
    assert pad.lock_remaining_s() == 30
    assert "Try again in 30 seconds" in pad.message.text()
    assert not pad.keypad.digit_buttons["4"].isEnabled()
    with qtbot.assertNotEmitted(pad.pin_entered):
        qtbot.keyClicks(pad, GOOD_PIN)
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.dots.text().count(DOT) == 0


def test_lockout_countdown_ends_and_reopens_entry(qtbot: QtBot) -> None:
    pad = PinPad(PinPadMode.VERIFY)
    qtbot.addWidget(pad)
    pad.show_check(PinCheck(PinOutcome.WRONG, tries_left=1, locked_for_s=1))
    assert not pad.keypad.digit_buttons["1"].isEnabled()
    qtbot.waitUntil(lambda: pad.keypad.digit_buttons["1"].isEnabled(), timeout=15000)
    assert pad.message.text() == ""


def test_first_run_flow_sets_up_the_owner_and_shows_the_code_once(
    qtbot: QtBot, db: Database, clock: ManualClock
) -> None:
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    flow = FirstRunFlow()
    qtbot.addWidget(flow)
    flow.pin_chosen.connect(lambda pin: flow.show_recovery_code(account.set_up(pin).recovery_code))
    for _ in range(2):
        _click(qtbot, flow.pin_pad, GOOD_PIN)
        _ok(qtbot, flow.pin_pad)
    assert account.is_set_up()
    assert flow.pages.currentIndex() == FirstRunFlow.PAGE_CODE
    code_text = flow.code_label.text()
    assert len(code_text.replace("-", "").replace("\n", "")) == 24
    assert not flow.done_button.isEnabled()
    qtbot.mouseClick(flow.written_down, Qt.MouseButton.LeftButton, pos=flow.written_down.rect().center())
    assert flow.done_button.isEnabled()
    with qtbot.waitSignal(flow.finished):
        qtbot.mouseClick(flow.done_button, Qt.MouseButton.LeftButton)
    assert flow.code_label.text() == ""
    code = code_text.replace("\n", "-")
    account.reset_pin_with_recovery(code, "905172")  # what was shown is the working code
    assert account.check_pin("905172").ok


def test_recovery_flow_sets_a_new_pin_with_the_written_down_code(
    qtbot: QtBot, db: Database, clock: ManualClock
) -> None:
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    code = account.set_up(GOOD_PIN).recovery_code
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    flow = RecoveryFlow()
    qtbot.addWidget(flow)
    flow.recovery_entered.connect(lambda c, pin: account.reset_pin_with_recovery(c, pin))

    qtbot.keyClicks(flow.code_edit, "not a code")
    qtbot.mouseClick(flow.next_button, Qt.MouseButton.LeftButton)
    assert "24 letters" in flow.error.text()
    assert flow.pages.currentIndex() == RecoveryFlow.PAGE_CODE

    flow.code_edit.clear()
    qtbot.keyClicks(flow.code_edit, code.lower().replace("-", " "))
    qtbot.keyClick(flow.code_edit, Qt.Key.Key_Return)
    assert flow.pages.currentIndex() == RecoveryFlow.PAGE_PIN
    with qtbot.waitSignal(flow.recovery_entered):
        for _ in range(2):
            _click(qtbot, flow.pin_pad, "905172")
            _ok(qtbot, flow.pin_pad)
    assert flow.code_edit.text() == ""
    assert account.status().locked_for_s == 0
    assert account.check_pin("905172").ok


def test_recovery_flow_cannot_be_left_while_the_reset_runs(
    qtbot: QtBot, db: Database, clock: ManualClock
) -> None:
    # A reset that succeeds replaces the code: its answer (the new code) must find the owner here.
    code = OwnerAccount(db, clock, scrypt=FAST_SCRYPT).set_up(GOOD_PIN).recovery_code
    flow = RecoveryFlow()
    qtbot.addWidget(flow)
    sent: list[tuple[str, str]] = []
    flow.recovery_entered.connect(lambda c, pin: sent.append((c, pin)))
    left: list[bool] = []
    flow.cancelled.connect(lambda: left.append(True))
    qtbot.keyClicks(flow.code_edit, code)
    qtbot.keyClick(flow.code_edit, Qt.Key.Key_Return)
    for _ in range(2):
        _click(qtbot, flow.pin_pad, "905172")
        _ok(qtbot, flow.pin_pad)
    assert sent == [(code, "905172")] and flow.waiting
    assert not flow.pin_pad.cancel_button.isEnabled()
    qtbot.keyClick(flow.pin_pad, Qt.Key.Key_Escape)
    assert left == [] and flow.waiting
    flow.show_error("This recovery code does not match this kiosk.")  # the worker said no
    assert not flow.waiting and flow.pin_pad.cancel_button.isEnabled()
    qtbot.mouseClick(flow.cancel_button, Qt.MouseButton.LeftButton)
    assert left == [True]
