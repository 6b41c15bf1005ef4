"""Glue on the GUI thread between the owner widgets, the controller and the owner worker.

- Staff answers: a tap on a waiting check's Admit/Deny (or on the no-pass row) and the
  manual-log panel's answer are stored by the worker (`ManualRecorder`), then the
  controller hears `staff_answered`, so the visit is durable before its verdict is
  painted; a refused one comes back as `answer_failed` (or on the panel).
- Staff unlock: the staff PIN pad (`unlock_staff`: the staff PIN, or the owner's when
  none is set or the staff PIN is locked); the owner sets the staff PIN in the menu.
- Leaving kiosk mode: the corner long press opens the PIN pad; the worker checks the
  PIN (`OwnerAccount.check_pin`, lockout and audit included); a right PIN opens the
  owner menu (Admin / Leave kiosk mode / Back).
- Forgotten PIN: the recovery code sets a new PIN and is replaced; the new code is
  shown once on the owner page, then the owner menu opens.
- First run: with no owner yet, the screen belongs to the set-up wizard (`setup`, which
  holds `FirstRunFlow` as its PIN step) until the owner starts the kiosk at its end;
  without one, to `FirstRunFlow` until the recovery code is confirmed written down.

No scrypt, no SQLite write here: only widgets and queued signals.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot

from kiosk.owner.account import OwnerStatus, PinCheck, PinOutcome
from kiosk.ui.controller import Controller
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.entrance.manual_log import ManualLogPanel
from kiosk.ui.model import Screen, ScreenState
from kiosk.ui.owner.first_run import FirstRunFlow
from kiosk.ui.owner.menu import OwnerPage
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.owner.worker import OwnerWorker
from kiosk.ui.setup.wizard import SetupWizard

log = logging.getLogger(__name__)

# Error keys from the owner domain -> plain words (translated at display time).
ERROR_TEXTS: dict[str, str] = {
    "manual.no_owner_key": QT_TRANSLATE_NOOP(
        "OwnerFlow", "No owner key on this kiosk yet: record the answer without a phone number."
    ),
    "manual.phone.invalid": QT_TRANSLATE_NOOP(
        "OwnerFlow", "Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits."
    ),
    "store.unknown_visit": QT_TRANSLATE_NOOP("OwnerFlow", "This visit was already answered."),
    "owner.recovery.wrong": QT_TRANSLATE_NOOP("OwnerFlow", "This recovery code does not match this kiosk."),
    "owner.already_set_up": QT_TRANSLATE_NOOP("OwnerFlow", "The owner PIN is already set on this kiosk."),
    "owner.pin.trivial": QT_TRANSLATE_NOOP(
        "OwnerFlow", "This PIN is too easy to guess. Avoid repeated or sequential digits."
    ),
    "owner.pin.not_installer": QT_TRANSLATE_NOOP(
        "OwnerFlow", "This is not the PIN the installer set for this kiosk."
    ),
    "staff.pin.length": QT_TRANSLATE_NOOP("OwnerFlow", "A staff PIN has 4 to 6 digits."),
}
NO_STAFF_PIN = QT_TRANSLATE_NOOP(
    "OwnerFlow", "No staff PIN is set yet: the owner PIN unlocks. The owner sets one in the owner menu."
)
FALLBACK_TEXT = QT_TRANSLATE_NOOP(
    "OwnerFlow", "This could not be saved. Nothing was recorded: please try again."
)


def error_text(key: str) -> str:
    """The words for an error key; never the exception's own message (it may hold data)."""
    return QCoreApplication.translate("OwnerFlow", ERROR_TEXTS.get(key, FALLBACK_TEXT))


class OwnerFlow(QObject):
    """Installs the manual-log panel, the owner page and the first-run flow into the window."""

    admin_requested = Signal()  # the owner passed the PIN and chose "Admin"
    # Requests to the worker (queued: it lives on its own thread).
    _check = Signal(str)
    _set_up = Signal(str)
    _record = Signal(bool, object, str)
    _status = Signal()
    _check_staff = Signal(str)
    _staff_status = Signal()
    _set_staff_pin = Signal(str)
    _leave = Signal()
    _recover = Signal(str, str)

    def __init__(
        self,
        window: MainWindow,
        controller: Controller,
        worker: OwnerWorker,
        *,
        set_up: bool,
        can_seal: bool,
        kiosk_mode: Callable[[], bool] = lambda: True,
        retention_days: int = 28,
        setup: Callable[[FirstRunFlow], SetupWizard] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._worker = worker
        self._can_seal = can_seal
        self._kiosk_mode = kiosk_mode
        self._manual_visit_id = ""
        # Where each answer sent to the worker came from ("panel" or "tap"): it answers in order.
        self._answers: deque[str] = deque()
        self.panel = ManualLogPanel()
        self.panel.set_retention_days(retention_days)
        self.staff_pad = PinPad(PinPadMode.VERIFY, staff=True)
        self.owner_page = OwnerPage()
        self.owner_page.menu.set_admin_available(False)  # until an admin screen hooks in
        self.first_run = FirstRunFlow()
        self.setup = setup(self.first_run) if setup is not None else None
        window.set_manual_log_panel(self.panel)
        window.set_staff_pin_pad(self.staff_pad)
        window.set_pin_pad(self.owner_page)
        window.set_first_run(self.setup or self.first_run)
        self._wire()
        if not set_up:
            controller.first_run_required()

    def connect_admin(self, slot: Callable[[], None]) -> None:
        """For the admin screen: show the menu's Admin button and call `slot` when it is chosen."""
        self.admin_requested.connect(slot)
        self.owner_page.menu.set_admin_available(True)

    # Worker signals go to methods of this GUI-thread object, never to lambdas: a lambda has
    # no thread of its own, so Qt would run it on the worker's thread and touch widgets there.
    def _wire(self) -> None:
        c, w, pad, menu = self._controller, self._worker, self.owner_page.pin_pad, self.owner_page.menu
        self._check.connect(w.check_pin)
        self._set_up.connect(w.set_up)
        self._record.connect(w.record)
        self._status.connect(w.read_status)
        self._leave.connect(w.leave)
        self._recover.connect(w.recover)
        self._check_staff.connect(w.check_staff_pin)
        self._staff_status.connect(w.read_staff_status)
        self._set_staff_pin.connect(w.set_staff_pin)
        w.staff_pin_checked.connect(self._on_staff_checked)
        w.staff_pin_failed.connect(self._on_staff_failed)
        w.staff_status_read.connect(self._on_staff_status)
        w.staff_pin_set.connect(self._on_staff_pin_set)
        w.staff_pin_set_failed.connect(self._on_staff_pin_set_failed)
        w.recovered.connect(self._on_recovered)
        w.recovery_failed.connect(self._on_recovery_failed)
        self.owner_page.recovery.recovery_entered.connect(self._recover.emit)
        w.pin_checked.connect(self._on_pin_checked)
        w.pin_failed.connect(self._on_pin_failed)
        w.status_read.connect(self._on_status)
        w.set_up_done.connect(self._on_set_up)
        w.set_up_failed.connect(self._on_set_up_failed)
        w.recorded.connect(self._on_recorded)
        w.record_failed.connect(self._on_record_failed)
        w.left.connect(c.pin_accepted)

        c.manual_log_opened.connect(self._open_manual_log)
        c.answer_record_requested.connect(self._record_tap)
        c.staff_pin_requested.connect(self._open_staff_pin)
        c.pin_requested.connect(self._open_pin)
        c.state_changed.connect(self._on_state)
        self.panel.answered.connect(self._answer)
        self.panel.cancelled.connect(c.panel_closed)
        pad.pin_entered.connect(self._check.emit)
        pad.cancelled.connect(c.panel_closed)
        self.staff_pad.pin_entered.connect(self._check_staff.emit)
        self.staff_pad.cancelled.connect(c.panel_closed)
        self.owner_page.staff_pin_setup.pin_entered.connect(self._set_staff_pin.emit)
        menu.leave_requested.connect(self._leave.emit)
        menu.back_requested.connect(c.panel_closed)
        menu.admin_requested.connect(self.admin_requested)
        self.first_run.pin_chosen.connect(self._set_up.emit)
        (self.setup.done if self.setup is not None else self.first_run.finished).connect(c.first_run_done)

    # --- manual log ---

    @Slot(str)
    def _open_manual_log(self, visit_id: str) -> None:
        self._manual_visit_id = visit_id
        self.panel.set_phone_allowed(self._can_seal)
        self._set_panel_busy(False)
        self.panel.setFocus()

    def _answer(self, admit: bool, phone: object) -> None:
        self._set_panel_busy(True)  # one answer per visit: no double tap while it is stored
        self._answers.append("panel")
        self._record.emit(admit, phone, self._manual_visit_id)

    @Slot(str, bool)
    def _record_tap(self, visit_id: str, admit: bool) -> None:
        """A tap on Admit/Deny (a waiting check, or a visitor with no pass: ""), no phone."""
        self._answers.append("tap")
        self._record.emit(admit, None, visit_id)

    def _source(self) -> str:
        return self._answers.popleft() if self._answers else "tap"

    @Slot(bool, str, str)
    def _on_recorded(self, admitted: bool, visit_id: str, asked: str) -> None:
        if self._source() == "panel":
            self._set_panel_busy(False)
            self._manual_visit_id = ""
        self._controller.staff_answered(admitted, visit_id, not asked)

    @Slot(str, str)
    def _on_record_failed(self, key: str, asked: str) -> None:
        if self._source() == "tap":
            self._controller.answer_failed(asked, key)
            return
        self._set_panel_busy(False)
        if key == "manual.no_owner_key":
            self._can_seal = False
            self.panel.set_phone_allowed(False)
        self.panel.show_error(error_text(key))

    def _set_panel_busy(self, busy: bool) -> None:
        for button in (self.panel.admit_button, self.panel.deny_button, self.panel.cancel_button):
            button.setEnabled(not busy)

    # --- staff PIN ---

    @Slot()
    def _open_staff_pin(self) -> None:
        self.staff_pad.reset()
        self.staff_pad.setFocus()
        self._staff_status.emit()  # no staff PIN yet, or a lock running: said before any try

    @Slot(bool, float)
    def _on_staff_status(self, is_set: bool, locked_for_s: float) -> None:
        if self._controller.state.screen is not Screen.STAFF_PIN:
            return
        if not is_set:
            self.staff_pad.show_error(lambda: QCoreApplication.translate("OwnerFlow", NO_STAFF_PIN))
        elif locked_for_s > 0:
            self.staff_pad.show_check(PinCheck(PinOutcome.LOCKED, 1, locked_for_s))

    @Slot(object)
    def _on_staff_checked(self, check: PinCheck) -> None:
        if self._controller.state.screen is not Screen.STAFF_PIN:
            return  # the pad was closed while the worker checked
        self.staff_pad.show_check(check)
        if check.ok:
            self._controller.staff_unlocked()

    @Slot(str)
    def _on_staff_failed(self, key: str) -> None:
        self.staff_pad.show_error(lambda: error_text(key))

    @Slot()
    def _on_staff_pin_set(self) -> None:
        self.owner_page.show_menu(staff_pin_saved=True)

    @Slot(str)
    def _on_staff_pin_set_failed(self, key: str) -> None:
        self.owner_page.staff_pin_setup.show_error(lambda: error_text(key))

    # --- owner PIN and menu ---

    @Slot()
    def _open_pin(self) -> None:
        self.owner_page.ask_pin()
        self.owner_page.menu.set_leave_available(self._kiosk_mode())
        self._status.emit()  # a lockout still running shows at once, before any try

    @Slot(object)
    def _on_status(self, status: OwnerStatus) -> None:
        self._can_seal = self._can_seal or status.set_up
        if status.locked_for_s > 0 and self.owner_page.asking_pin:
            self.owner_page.pin_pad.show_locked(status.locked_for_s)

    @Slot(object)
    def _on_pin_checked(self, check: PinCheck) -> None:
        if self._controller.state.screen is not Screen.PIN:
            return  # the page was closed while the worker checked
        if check.ok:
            self.owner_page.show_menu()
        else:
            self.owner_page.pin_pad.show_check(check)

    @Slot(str)
    def _on_pin_failed(self, key: str) -> None:
        self.owner_page.pin_pad.show_error(lambda: error_text(key))  # said again after a switch

    @Slot(str)
    def _on_recovery_failed(self, key: str) -> None:
        self.owner_page.recovery.show_error(error_text(key))

    @Slot(str)
    def _on_recovered(self, new_code: str) -> None:
        # The used code no longer works: this one must reach the owner, so the owner page is
        # brought back if it was closed meanwhile. The menu follows once it is written down.
        if self._controller.state.screen is not Screen.PIN:
            self._controller.request_leave()
        if self._controller.state.screen is Screen.PIN:
            self.owner_page.show_new_code(new_code)
        else:
            log.error("the new recovery code could not be shown (screen %s)", self._controller.state.screen)

    @Slot(object)
    def _on_state(self, state: ScreenState) -> None:
        if state.screen is not Screen.PIN and not self.owner_page.asking_pin:
            self.owner_page.ask_pin()  # the menu never stays open behind the entrance screen

    # --- first run ---

    @Slot(str)
    def _on_set_up_failed(self, key: str) -> None:
        self.first_run.show_error(error_text(key))

    @Slot(str)
    def _on_set_up(self, code: str) -> None:
        self._can_seal = True
        self.first_run.show_recovery_code(code)
