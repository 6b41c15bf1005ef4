"""The owner's parts inside the running window: manual log, leaving kiosk mode, lockout, first run, language.

Real parts: the project's simulator over 127.0.0.1, a real SQLite file, real widgets
offscreen, real scrypt and sealing. No camera is needed (a keyboard-wedge scan stands
in for the handheld scanner).
"""

from __future__ import annotations

import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.clock import SystemClock
from kiosk.decision import PassKind, Verdict, VerifiedBy
from kiosk.owner.account import OwnerAccount
from kiosk.owner.manual_entry import open_contact
from kiosk.owner.pin import hash_secret
from kiosk.owner.staff_pin import StaffPin
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.audit import audit_entries
from kiosk.store.manual import resolve_manual
from kiosk.store.sealing import get_manual_entry
from kiosk.store.visits import get_visit, list_visits
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN
from tests.ui.conftest import make_context, pass_setup, provision_owner, started_app
from tests.ui.resources.ts_edit import set_translation

REPO = Path(__file__).resolve().parents[3]
STAFF_PIN = "4826"
MARK = "⟦"  # every translated text in the test language starts with it


StartKiosk = Callable[..., KioskApp]


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path, fresh_sim: Simulator) -> Iterator[StartKiosk]:
    running: list[KioskApp] = []
    codes: list[str] = []

    def _start(
        *, provision: bool = True, fullscreen: bool = False, i18n_dir: Path | None = None, extra: str = ""
    ) -> KioskApp:
        ctx = make_context(tmp_path, extra, url=fresh_sim.url)
        if provision:
            codes.append(provision_owner(ctx))
        return started_app(qtbot, running, ctx, fullscreen=fullscreen, i18n_dir=i18n_dir)

    _start.recovery_codes = codes  # type: ignore[attr-defined]
    yield _start
    for app in running:
        app.shutdown()


class Painted:
    """Each verdict paint, with what the database said about its visit at that moment."""

    def __init__(self, app: KioskApp) -> None:
        self.seen: list[tuple[str, VerifiedBy | None]] = []
        self._db = app.db
        app.window.verdict.painted.connect(self._on)

    def _on(self, visit_id: str) -> None:
        record = get_visit(self._db, visit_id) if visit_id else None
        self.seen.append((visit_id, record.verified_by if record else None))


def actions(app: KioskApp) -> list[str]:
    return [entry.action for entry in audit_entries(app.db)]


def type_pin(qtbot: QtBot, pad, pin: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(pad, pin)
    qtbot.keyClick(pad, Qt.Key.Key_Return)


# --- manual log ---


def unlock(qtbot: QtBot, app: KioskApp, pin: str = GOOD_PIN) -> None:
    """The staff PIN pad is up (a staff action asked for it): type the PIN, wait for the unlock."""
    assert app.controller.state.screen is Screen.STAFF_PIN
    assert app.window.pages.currentWidget() is app.owner.staff_pad
    type_pin(qtbot, app.owner.staff_pad, pin)
    qtbot.waitUntil(lambda: app.controller.state.staff_open, timeout=15000)


def test_a_check_is_answered_with_one_tap_on_its_verdict_after_the_staff_pin(
    qtbot: QtBot, start: StartKiosk, fresh_sim: Simulator
) -> None:
    app = start()
    StaffPin(app.db, SystemClock(), scrypt=FAST_SCRYPT).set_pin(STAFF_PIN)
    painted = Painted(app)
    fresh_sim.set_faults(Faults(error_rate=1.0))  # upstream is down: a token cannot be checked
    app.window.scan_entered.emit(fresh_sim.state.issue_token().token)
    qtbot.waitUntil(lambda: app.controller.state.screen is Screen.VERDICT, timeout=15000)
    shown = app.controller.state.shown
    assert shown is not None and shown.verdict is Verdict.MANUAL and shown.visit_id
    check_id = shown.visit_id
    assert app.window.verdict.admit_button.isVisible()
    assert ":" in app.window.verdict.admit_button.text()  # names the visitor: the time, the token's end

    qtbot.mouseClick(app.window.verdict.admit_button, Qt.MouseButton.LeftButton)
    assert get_visit(app.db, check_id).decision is Verdict.MANUAL  # type: ignore[union-attr]
    type_pin(qtbot, app.owner.staff_pad, "1357")  # wrong: still locked, nothing answered
    qtbot.waitUntil(lambda: "Wrong PIN" in app.owner.staff_pad.message.text(), timeout=15000)
    before = len(painted.seen)
    unlock(qtbot, app, STAFF_PIN)
    qtbot.waitUntil(lambda: len(painted.seen) > before, timeout=15000)
    # The staff verdict was painted only once its visit said verified_by=staff on disk.
    assert painted.seen[before] == (check_id, VerifiedBy.STAFF)
    assert get_visit(app.db, check_id).decision is Verdict.ADMIT  # type: ignore[union-attr]
    assert app.window.verdict.title.text() == "Admitted"
    assert len(app.controller.state.checks) == 0
    assert {"manual.entry_stored", "staff.pin_failed", "staff.pin_ok"} <= set(actions(app))


def test_a_visitor_with_no_pass_leaves_a_phone_number_sealed_for_the_owner(
    qtbot: QtBot, start: StartKiosk
) -> None:
    app = start()
    painted = Painted(app)
    qtbot.mouseClick(app.window.status_bar.staff_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, app)  # no staff PIN set yet: the owner's opens the staff tools
    assert app.window.status_bar.staff_button.isHidden()  # one entry point: the no-pass row
    strip = app.window.staff_strip
    qtbot.mouseClick(strip.no_pass_phone, Qt.MouseButton.LeftButton)
    panel = app.owner.panel
    assert app.controller.state.screen is Screen.MANUAL_LOG and app.window.pages.currentWidget() is panel
    assert panel.keypad.isVisible()  # the owner key exists: the number can be sealed
    for digit in "01055512345":
        qtbot.mouseClick(panel.keypad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    assert "5551" not in panel.phone_display.text()  # a whole number: only its end shows
    qtbot.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(painted.seen), timeout=15000)
    visit_id, verified_by = painted.seen[0]
    assert verified_by is VerifiedBy.STAFF
    record = get_visit(app.db, visit_id)
    assert record is not None and (record.kind, record.decision) == (PassKind.UNKNOWN, Verdict.ADMIT)
    blob = get_manual_entry(app.db, visit_id)
    assert blob is not None and b"5551" not in blob and b"01055512345" not in blob
    key = OwnerAccount(app.db, SystemClock()).unlock_private_key(GOOD_PIN)
    assert open_contact(key, blob) == {"phone": "010-5551-2345"}


def test_without_a_staff_pin_a_paper_certificate_is_one_tap(qtbot: QtBot, start: StartKiosk) -> None:
    app = start(extra="[ui]\nstaff_pin = false\n")
    painted = Painted(app)
    strip = app.window.staff_strip
    assert strip.no_pass.isVisible() and app.window.status_bar.staff_button.isHidden()
    assert strip.lock_button.isHidden()  # nothing to lock
    qtbot.mouseClick(strip.no_pass_deny, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(painted.seen), timeout=15000)
    visit_id, verified_by = painted.seen[0]
    assert verified_by is VerifiedBy.STAFF
    record = get_visit(app.db, visit_id)
    assert record is not None
    assert (record.kind, record.decision) == (PassKind.UNKNOWN, Verdict.DENY)
    assert get_manual_entry(app.db, visit_id) is None  # no number typed, nothing sealed


def test_an_answer_the_store_refuses_is_said_on_the_strip(
    qtbot: QtBot, start: StartKiosk, fresh_sim: Simulator
) -> None:
    app = start(extra="[ui]\nstaff_pin = false\n")
    fresh_sim.set_faults(Faults(error_rate=1.0))
    app.window.scan_entered.emit(fresh_sim.state.issue_token().token)
    qtbot.waitUntil(lambda: app.controller.state.screen is Screen.VERDICT, timeout=15000)
    check_id = app.controller.state.shown.visit_id  # type: ignore[union-attr]
    # Another till answered this visit meanwhile: the store refuses a second answer.
    resolve_manual(app.db, check_id, admitted=False, at=time.time(), actor="staff")
    qtbot.mouseClick(app.window.verdict.admit_button, Qt.MouseButton.LeftButton)
    strip = app.window.staff_strip
    qtbot.waitUntil(lambda: strip.error.text() != "", timeout=15000)
    assert strip.error.text() == "That visitor was already answered."
    assert len(app.controller.state.checks) == 0  # nothing left to answer for it
    assert get_visit(app.db, check_id).decision is Verdict.DENY  # type: ignore[union-attr]


def test_the_owner_sets_the_staff_pin_in_the_owner_menu(qtbot: QtBot, start: StartKiosk) -> None:
    app = start()
    page = app.owner.owner_page
    app.window.leave_requested.emit()
    type_pin(qtbot, page.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: page.unlocked, timeout=15000)
    qtbot.mouseClick(page.menu.staff_pin_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, page.staff_pin_setup, "1234")  # too easy
    assert "too easy" in page.staff_pin_setup.message.text()
    type_pin(qtbot, page.staff_pin_setup, STAFF_PIN)
    type_pin(qtbot, page.staff_pin_setup, STAFF_PIN)
    qtbot.waitUntil(lambda: page.unlocked, timeout=15000)
    assert "staff PIN is saved" in page.menu.note.text()
    assert StaffPin(app.db, SystemClock()).check(STAFF_PIN).ok


# --- leaving kiosk mode ---


def test_leaving_kiosk_mode_needs_the_owner_pin(qtbot: QtBot, start: StartKiosk) -> None:
    app = start(fullscreen=True)
    page = app.owner.owner_page
    app.window.leave_requested.emit()  # the corner's long press (tested in test_views)
    assert app.controller.state.screen is Screen.PIN and page.asking_pin
    assert not app.window.close()  # still kiosk mode

    type_pin(qtbot, page.pin_pad, OTHER_PIN)
    qtbot.waitUntil(lambda: "Wrong PIN" in page.pin_pad.message.text(), timeout=15000)
    assert not page.unlocked and app.window.isVisible()

    type_pin(qtbot, page.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: page.unlocked, timeout=15000)
    assert page.menu.leave_button.isVisible()
    assert page.menu.admin_button.isVisible()  # the admin screen is a page of the window

    qtbot.mouseClick(page.menu.back_button, Qt.MouseButton.LeftButton)  # Back: the entrance again
    assert app.controller.state.screen is Screen.IDLE and not page.unlocked
    app.window.leave_requested.emit()
    assert page.asking_pin  # the menu needs a fresh PIN every time
    type_pin(qtbot, page.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: page.unlocked, timeout=15000)
    qtbot.mouseClick(page.menu.leave_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.window.isVisible(), timeout=15000)
    done = actions(app)
    assert done.count("owner.pin_ok") == 2 and "owner.pin_failed" in done and "owner.kiosk_left" in done


def test_the_admin_screen_hooks_the_owner_menu(qtbot: QtBot, start: StartKiosk) -> None:
    app = start()
    opened: list[bool] = []
    app.owner.connect_admin(lambda: opened.append(True))
    app.window.leave_requested.emit()
    type_pin(qtbot, app.owner.owner_page.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: app.owner.owner_page.unlocked, timeout=15000)
    menu = app.owner.owner_page.menu
    assert menu.admin_button.isVisible() and not menu.leave_button.isVisible()  # not in kiosk mode
    qtbot.mouseClick(menu.admin_button, Qt.MouseButton.LeftButton)
    assert opened == [True]


def test_five_wrong_pins_lock_entry_with_the_wait_shown(qtbot: QtBot, start: StartKiosk) -> None:
    app = start(fullscreen=True)
    pad = app.owner.owner_page.pin_pad
    app.window.leave_requested.emit()
    for left in (4, 3, 2, 1):
        type_pin(qtbot, pad, OTHER_PIN)
        qtbot.waitUntil(lambda left=left: f"{left} tries left" in pad.message.text(), timeout=15000)
    type_pin(qtbot, pad, OTHER_PIN)
    qtbot.waitUntil(lambda: "Too many wrong PINs" in pad.message.text(), timeout=15000)
    assert 25 <= pad.lock_remaining_s() <= 30
    assert not pad.keypad.action_button.isEnabled()
    type_pin(qtbot, pad, GOOD_PIN)  # the right PIN now does nothing: entry is closed
    qtbot.wait(300)
    assert not app.owner.owner_page.unlocked and app.window.isVisible()
    assert "owner.lockout" in actions(app) and actions(app).count("owner.pin_failed") == 5

    # Closing and reopening the pad does not reset the wait: it shows before any try.
    app.window.panel_closed.emit()
    app.window.leave_requested.emit()
    qtbot.waitUntil(lambda: "Too many wrong PINs" in pad.message.text(), timeout=15000)
    assert pad.lock_remaining_s() > 0


def test_a_forgotten_pin_is_reset_with_the_recovery_code_even_during_a_lockout(
    qtbot: QtBot, start: StartKiosk
) -> None:
    app = start(fullscreen=True)
    recovery_code = start.recovery_codes[-1]  # type: ignore[attr-defined]
    page = app.owner.owner_page
    app.window.leave_requested.emit()
    for _ in range(5):
        type_pin(qtbot, page.pin_pad, OTHER_PIN)
        qtbot.waitUntil(lambda: page.pin_pad.message.text() not in ("", "Checking…"), timeout=15000)
    qtbot.waitUntil(lambda: page.pin_pad.lock_remaining_s() > 0, timeout=15000)
    qtbot.mouseClick(page.forgot_button, Qt.MouseButton.LeftButton)
    flow = page.recovery
    qtbot.keyClicks(flow.code_edit, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")  # well-formed, not this kiosk's
    qtbot.keyClick(flow.code_edit, Qt.Key.Key_Return)
    type_pin(qtbot, flow.pin_pad, "582946")
    type_pin(qtbot, flow.pin_pad, "582946")
    qtbot.waitUntil(lambda: flow.error.text() != "", timeout=15000)
    assert flow.error.text() == "This recovery code does not match this kiosk." and not page.unlocked

    qtbot.keyClicks(flow.code_edit, recovery_code.lower())  # typed as it comes: case is forgiven
    qtbot.keyClick(flow.code_edit, Qt.Key.Key_Return)
    type_pin(qtbot, flow.pin_pad, "582946")
    type_pin(qtbot, flow.pin_pad, "582946")
    new_code = confirm_new_code(qtbot, page)
    assert new_code.replace("-", "") != recovery_code.replace("-", "")
    account = OwnerAccount(app.db, SystemClock())
    assert account.status().locked_for_s == 0 and account.check_pin("582946").ok
    assert {"owner.recovery_failed", "owner.recovery_used"} <= set(actions(app))


def confirm_new_code(qtbot: QtBot, page) -> str:  # type: ignore[no-untyped-def]
    """After a right recovery code: the new code page, then (ticked and confirmed) the owner menu."""
    qtbot.waitUntil(lambda: page.showing_new_code, timeout=15000)
    shown = page.new_code.code_label.text()
    assert not page.unlocked and not page.new_code.done_button.isEnabled()
    tick = page.new_code.written_down
    # On the tick box itself: the row is as wide as the window, the box and its words are at its left.
    qtbot.mouseClick(tick, Qt.MouseButton.LeftButton, pos=QPoint(20, tick.height() // 2))
    assert page.new_code.done_button.isEnabled()
    qtbot.mouseClick(page.new_code.done_button, Qt.MouseButton.LeftButton)
    assert page.unlocked and page.new_code.code_label.text() == ""  # off the screen once confirmed
    code = shown.replace("\n", "-")
    assert len(code.replace("-", "")) == 24
    return code


def recover(qtbot: QtBot, page, code: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.forgot_button, Qt.MouseButton.LeftButton)
    page.recovery.code_edit.setText(code)
    qtbot.keyClick(page.recovery.code_edit, Qt.Key.Key_Return)
    type_pin(qtbot, page.recovery.pin_pad, pin)
    type_pin(qtbot, page.recovery.pin_pad, pin)


def test_a_used_recovery_code_is_replaced_by_the_one_shown_in_the_window(
    qtbot: QtBot, start: StartKiosk, caplog: pytest.LogCaptureFixture
) -> None:
    app = start(fullscreen=True)
    first_code = start.recovery_codes[-1]  # type: ignore[attr-defined]
    page = app.owner.owner_page
    app.window.leave_requested.emit()
    recover(qtbot, page, first_code, "582946")
    assert app.controller.state.screen is Screen.PIN
    second_code = confirm_new_code(qtbot, page)
    qtbot.mouseClick(page.menu.back_button, Qt.MouseButton.LeftButton)
    assert app.controller.state.screen is Screen.IDLE

    # The paper the owner just threw away is refused; the code the window showed works.
    app.window.leave_requested.emit()
    recover(qtbot, page, first_code, "690417")
    qtbot.waitUntil(lambda: page.recovery.error.text() != "", timeout=15000)
    assert page.recovery.error.text() == "This recovery code does not match this kiosk."
    assert not page.showing_new_code and not page.unlocked
    page.recovery.reset()
    recover(qtbot, page, second_code, "690417")
    third_code = confirm_new_code(qtbot, page)
    assert len({first_code, second_code, third_code}) == 3
    assert OwnerAccount(app.db, SystemClock()).check_pin("690417").ok
    for code in (first_code, second_code, third_code):
        assert code not in caplog.text and code.replace("-", "") not in caplog.text


def test_the_new_code_comes_back_on_screen_if_the_owner_page_was_closed_meanwhile(
    qtbot: QtBot, start: StartKiosk
) -> None:
    app = start(fullscreen=True)
    page = app.owner.owner_page
    app.window.leave_requested.emit()
    recover(qtbot, page, start.recovery_codes[-1], "582946")  # type: ignore[attr-defined]
    # The page closes while the worker resets (nothing waits in the event loop yet): the
    # used code is gone on its success, so the one replacing it must still be shown.
    app.window.panel_closed.emit()
    assert app.controller.state.screen is Screen.IDLE
    code = confirm_new_code(qtbot, page)
    assert app.controller.state.screen is Screen.PIN
    OwnerAccount(app.db, SystemClock(), scrypt=FAST_SCRYPT).reset_pin_with_recovery(code, "690417")


# --- first run ---


def test_a_fresh_install_starts_with_the_owner_first_run(
    qtbot: QtBot, start: StartKiosk, fresh_sim: Simulator
) -> None:
    app = start(provision=False)
    flow = app.owner.first_run
    assert app.controller.state.screen is Screen.FIRST_RUN
    assert app.window.pages.currentWidget() is app.owner.setup
    assert app.window.status_bar.staff_button.isHidden()  # nothing for staff to log yet
    app.window.scan_entered.emit(fresh_sim.state.issue_token().token)
    assert app.controller.state.verifying is None  # the door opens only after set-up
    app.window.leave_requested.emit()
    app.window.manual_log_requested.emit("")
    assert app.controller.state.screen is Screen.FIRST_RUN

    pass_setup(qtbot, app)
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == flow.PAGE_CODE, timeout=10_000)
    code = flow.code_label.text().replace("\n", "-")
    assert len(code.replace("-", "")) == 24
    assert not flow.done_button.isEnabled()
    flow.written_down.setChecked(True)
    qtbot.mouseClick(flow.done_button, Qt.MouseButton.LeftButton)
    assert flow.code_label.text() == ""
    start_button = app.owner.setup.checks_page.start_button  # type: ignore[union-attr]
    qtbot.waitUntil(start_button.isEnabled, timeout=15_000)  # doctor's checks have run
    qtbot.mouseClick(start_button, Qt.MouseButton.LeftButton)
    assert app.controller.state.screen is Screen.IDLE

    account = OwnerAccount(app.db, SystemClock())
    assert account.check_pin(GOOD_PIN).ok
    account.reset_pin_with_recovery(code, OTHER_PIN)  # the code shown was the real one
    assert {"owner.pin_set", "owner.key_created"} <= set(actions(app))
    painted = Painted(app)
    app.window.scan_entered.emit(fresh_sim.state.issue_token().token)
    qtbot.waitUntil(lambda: bool(painted.seen), timeout=15000)
    assert len(list_visits(app.db)) == 1


def test_first_run_refuses_a_pin_other_than_the_installers_and_asks_again(
    qtbot: QtBot, start: StartKiosk
) -> None:
    installer = hash_secret(GOOD_PIN, FAST_SCRYPT)
    app = start(provision=False, extra=f'[admin]\npin_hash = "{installer}"\n')
    flow = app.owner.first_run
    pass_setup(qtbot, app)
    type_pin(qtbot, flow.pin_pad, OTHER_PIN)
    type_pin(qtbot, flow.pin_pad, OTHER_PIN)
    qtbot.waitUntil(lambda: "installer" in flow.pin_pad.message.text(), timeout=15000)
    assert flow.pin_pad.message.text() == "This is not the PIN the installer set for this kiosk."
    assert app.controller.state.screen is Screen.FIRST_RUN
    assert not OwnerAccount(app.db, SystemClock()).is_set_up()
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == flow.PAGE_CODE, timeout=10_000)


# --- language ---


@pytest.fixture
def marked_translations(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """The window's own strings extracted by the project's script, each "translated" as MARK + source."""
    out = tmp_path / "i18n"
    script = REPO / "scripts" / "i18n.py"
    run = [sys.executable, str(script)]
    assert (
        subprocess.run([*run, "update", "--i18n", str(out)], capture_output=True, timeout=120).returncode == 0
    )
    tree = ET.parse(out / "ko.ts")
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        set_translation(translation, MARK + message.findtext("source", ""))
    tree.write(out / "ko.ts", encoding="utf-8", xml_declaration=True)
    assert (
        subprocess.run([*run, "build", "--i18n", str(out)], capture_output=True, timeout=120).returncode == 0
    )
    yield out
    for translator in qapp.findChildren(QTranslator, "kiosk-translator"):
        qapp.removeTranslator(translator)
        translator.setParent(None)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def untranslated(app: KioskApp) -> list[str]:
    """Texts with letters in them that did not come through the translation."""
    found = []
    for widget in app.window.findChildren(QWidget):
        if (
            not isinstance(widget, QLabel | QAbstractButton)
            or widget is app.window.status_bar.language_button
        ):
            continue  # the other language's own name, untranslated on purpose
        text = widget.text()
        if any(ch.isalpha() for ch in text) and MARK not in text:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r}")
    return found


def test_the_language_toggle_retranslates_every_owner_screen(
    qtbot: QtBot, start: StartKiosk, marked_translations: Path
) -> None:
    app = start(fullscreen=True, i18n_dir=marked_translations, extra="[ui]\nstaff_pin = false\n")
    app.window.manual_log_requested.emit("")
    assert app.owner.panel.title.text() == "Visitor with no QR code"
    assert len(untranslated(app)) > 30  # the walk sees the window's texts (all English so far)
    qtbot.mouseClick(app.window.status_bar.language_button, Qt.MouseButton.LeftButton)
    QCoreApplication.processEvents()  # Qt posts LanguageChange; the loop delivers it
    assert app.owner.panel.title.text() == MARK + "Visitor with no QR code"
    app.window.panel_closed.emit()
    app.window.leave_requested.emit()
    type_pin(qtbot, app.owner.owner_page.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: app.owner.owner_page.unlocked, timeout=15000)
    assert untranslated(app) == []
    # And back: the texts follow without a restart.
    qtbot.mouseClick(app.window.status_bar.language_button, Qt.MouseButton.LeftButton)
    QCoreApplication.processEvents()
    assert app.owner.owner_page.menu.leave_button.text() == "Leave kiosk mode"
