"""The manual-log panel as a real widget, and the flow end to end into a real data file."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import ManualClock
from kiosk.decision import Verdict, VerifiedBy
from kiosk.owner.account import OwnerAccount
from kiosk.owner.manual_entry import ManualAnswer, ManualRecorder, open_contact
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.sealing import get_manual_entry
from kiosk.store.visits import get_visit
from kiosk.ui.entrance.manual_log import ManualLogPanel
from tests.owner.support import FAST_SCRYPT, GOOD_PIN
from tests.ui.conftest import speak
from tests.ui.slot_errors import fail_on_slot_errors


@pytest.fixture(autouse=True)
def _slot_errors() -> Iterator[None]:
    with fail_on_slot_errors():
        yield


@pytest.fixture
def panel(qtbot: QtBot) -> ManualLogPanel:
    widget = ManualLogPanel()
    qtbot.addWidget(widget)
    return widget


def _type(qtbot: QtBot, panel: ManualLogPanel, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(panel.keypad.digit_buttons[d], Qt.MouseButton.LeftButton)


def test_number_is_shown_while_typed_then_only_its_last_four(qtbot: QtBot, panel: ManualLogPanel) -> None:
    _type(qtbot, panel, "0101234")
    assert panel.phone_display.text() == "010-1234"
    _type(qtbot, panel, "56789")  # one digit too many is ignored
    # A whole number: the queue sees only its end.
    assert panel.phone_display.text() == "•••-••••-5678"
    qtbot.mouseClick(panel.keypad.back_button, Qt.MouseButton.LeftButton)
    assert panel.phone_display.text() == "010-1234-567"  # not whole again: shown to correct it


def test_the_panel_says_why_the_number_is_kept_and_when_it_is_deleted(panel: ManualLogPanel) -> None:
    panel.set_retention_days(21)
    assert "21 days" in panel.privacy.text() and "deleted" in panel.privacy.text()


def test_admit_without_phone_emits_none_and_deny_by_click(qtbot: QtBot, panel: ManualLogPanel) -> None:
    with qtbot.waitSignal(panel.answered) as admit:
        qtbot.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)
    assert admit.args == [True, None]
    with qtbot.waitSignal(panel.answered) as deny:
        qtbot.mouseClick(panel.deny_button, Qt.MouseButton.LeftButton)
    assert deny.args == [False, None]


def test_invalid_number_shows_an_inline_error_and_emits_nothing(qtbot: QtBot, panel: ManualLogPanel) -> None:
    with qtbot.assertNotEmitted(panel.answered):
        _type(qtbot, panel, "0123456789")
        qtbot.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)
    assert "Not a mobile number" in panel.error.text()
    assert "012" not in panel.error.text()
    assert panel.phone_display.text() == "012-345-6789"  # kept so staff can correct it
    qtbot.mouseClick(panel.keypad.back_button, Qt.MouseButton.LeftButton)
    assert panel.error.text() == ""


def test_valid_number_is_handed_over_once_and_wiped(qtbot: QtBot, panel: ManualLogPanel) -> None:
    qtbot.keyClicks(panel, "01698765432")
    with qtbot.waitSignal(panel.answered) as signal:
        qtbot.mouseClick(panel.deny_button, Qt.MouseButton.LeftButton)
    assert signal.args == [False, "016-9876-5432"]
    assert "9876" not in panel.phone_display.text()


def test_cancel_clears_and_emits(qtbot: QtBot, panel: ManualLogPanel) -> None:
    _type(qtbot, panel, "010")
    with qtbot.waitSignal(panel.cancelled), qtbot.assertNotEmitted(panel.answered):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert "010-" in panel.phone_display.text() and "_" in panel.phone_display.text()


def test_no_owner_key_hides_the_phone_entry(qtbot: QtBot, panel: ManualLogPanel) -> None:
    panel.set_phone_allowed(False)
    qtbot.keyClicks(panel, "01012345678")
    with qtbot.waitSignal(panel.answered) as signal:
        qtbot.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)
    assert signal.args == [True, None]


def test_manual_log_end_to_end_phone_sealed_to_the_owner(
    qtbot: QtBot, panel: ManualLogPanel, tmp_path: Path
) -> None:
    clock = ManualClock(start=1_780_000_000.0)
    db: Database = open_database(tmp_path / "kiosk.db")
    try:
        account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
        account.set_up(GOOD_PIN)
        recorder = ManualRecorder(
            db, clock=clock, rng=random.Random(3), kiosk_id="kiosk-1", sealing_key=account.sealing_key
        )
        stored: list[str] = []
        panel.answered.connect(
            lambda admit, phone: stored.append(recorder.record_manual(ManualAnswer(admit, phone)))
        )
        _type(qtbot, panel, "01055512345")
        qtbot.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)

        assert len(stored) == 1
        visit = get_visit(db, stored[0])
        assert visit is not None
        assert (visit.decision, visit.verified_by) == (Verdict.ADMIT, VerifiedBy.STAFF)
        blob = get_manual_entry(db, stored[0])
        assert blob is not None and b"55512345" not in blob and b"555-1234" not in blob
        assert open_contact(account.unlock_private_key(GOOD_PIN), blob) == {"phone": "010-5551-2345"}
    finally:
        db.close()


@pytest.mark.parametrize(
    ("lang", "name", "admit"),
    [("ko", "마지막 숫자 지우기", "입장 허용"), ("en", "Delete the last digit", "Checked, admit")],
)
def test_the_erase_key_is_a_symbol_in_every_language(qapp, english_after, lang, name, admit) -> None:
    # "Back" (뒤로) on a keypad reads as "go back a screen": the key shows ⌫ and names itself.
    panel = ManualLogPanel()
    speak(qapp, lang)
    assert panel.keypad.back_button.text() == "⌫"
    assert panel.keypad.back_button.accessibleName() == name == panel.keypad.back_button.toolTip()
    assert panel.admit_button.text().endswith(admit)
    panel.deleteLater()
