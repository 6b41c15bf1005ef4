"""The owner's and staff's slow or writing work, off the GUI thread: PIN checks, first-run set-up,
staff answers, the staff PIN.

Every call here runs scrypt (~60-100 ms each) or writes SQLite, so it lives on its own
QThread; the GUI-thread glue (`kiosk/ui/owner/flow.py`) asks through queued signals
and gets the outcome back the same way. Results carry error *keys*, never messages
with data in them: the view picks the translated words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtCore import Signal, SignalInstance, Slot

from kiosk.clock import Clock
from kiosk.errors import error_key
from kiosk.owner.manual_entry import ManualAnswer
from kiosk.owner.staff_pin import unlock_staff
from kiosk.owner.wiring import OwnerServices
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.ui.worker_thread import ThreadedWorker

T = TypeVar("T")


class OwnerWorker(ThreadedWorker):
    status_read = Signal(object)  # OwnerStatus
    pin_checked = Signal(object)  # PinCheck
    pin_failed = Signal(str)  # error key: the check itself could not be made
    set_up_done = Signal(str)  # the recovery code: shown once, held nowhere else
    set_up_failed = Signal(str)  # error key
    recorded = Signal(bool, str, str)  # admitted, visit id stored, visit id asked for ("" = a new visit)
    record_failed = Signal(str, str)  # error key, visit id asked for
    staff_pin_checked = Signal(object)  # PinCheck of the staff unlock
    staff_pin_failed = Signal(str)  # error key: the check itself could not be made
    staff_status_read = Signal(bool, float)  # a staff PIN is set, its lock's seconds left
    staff_pin_set = Signal()
    staff_pin_set_failed = Signal(str)  # error key
    recovered = Signal(str)  # the code was right, the new PIN is set: the new code, shown once
    recovery_failed = Signal(str)  # error key
    left = Signal()  # the owner's "leave kiosk" is audited: the window may close

    def __init__(self, services: OwnerServices, db: Database, clock: Clock) -> None:
        super().__init__("owner")
        self._services = services
        self._db = db
        self._clock = clock

    @Slot()
    def read_status(self) -> None:
        status = self._attempt("owner status read", self._services.account.status)
        if status is not None:
            self.status_read.emit(status)

    @Slot(int, float)
    def record_wedge_flood(self, scans: int, within_s: float) -> None:
        """The handheld scanner was found sending garbage: audited once, counts only."""
        detail = {"scans": scans, "within_s": within_s}
        audit = partial(record_audit, self._db, self._clock.now(), "system", "wedge.garbage", detail)
        self._attempt("wedge flood audit", audit)

    @Slot(str)
    def check_pin(self, pin: str) -> None:
        # A store error: the try could not be counted, so it is not judged either.
        check = self._attempt("PIN check", lambda: self._services.account.check_pin(pin), self.pin_failed)
        if check is not None:
            self.pin_checked.emit(check)

    def _attempt(
        self, what: str, call: Callable[[], T], failed: SignalInstance | None = None, *about: str
    ) -> T | None:
        """Run one owner action. A refusal reaches the screen (`failed`) as its error key
        (followed by `about`) and anything unexpected as "internal" (`error_key`): never a
        stack trace (nor the PIN or code among its locals)."""
        try:
            return call()
        except Exception as exc:
            key = error_key(exc, what)
            if failed is not None:
                failed.emit(key, *about)
        return None

    @Slot(str)
    def set_up(self, pin: str) -> None:
        result = self._attempt("owner set-up", lambda: self._services.account.set_up(pin), self.set_up_failed)
        if result is not None:
            self.set_up_done.emit(result.recovery_code)

    @Slot(bool, object, str)
    def record(self, admit: bool, phone: object, visit_id: str) -> None:
        answer = ManualAnswer(admit, phone if isinstance(phone, str) else None, visit_id or None)
        # A refused answer wrote nothing (the recorder raises before its transaction): the screen says so.
        stored = self._attempt(
            "manual answer", lambda: self._services.manual.record_manual(answer), self.record_failed, visit_id
        )
        if stored is not None:
            self.recorded.emit(admit, stored, visit_id)

    @Slot(str)
    def check_staff_pin(self, pin: str) -> None:
        services = self._services
        check = self._attempt(
            "staff unlock", lambda: unlock_staff(services.staff, services.account, pin), self.staff_pin_failed
        )
        if check is not None:
            self.staff_pin_checked.emit(check)

    @Slot()
    def read_staff_status(self) -> None:
        staff = self._services.staff
        status = self._attempt("staff PIN status read", lambda: (staff.is_set(), staff.locked_for()))
        if status is not None:
            self.staff_status_read.emit(*status)

    @Slot(str)
    def set_staff_pin(self, pin: str) -> None:
        staff = self._services.staff
        done = self._attempt("staff PIN", lambda: staff.set_pin(pin) or True, self.staff_pin_set_failed)
        if done:
            self.staff_pin_set.emit()

    @Slot(str, str)
    def recover(self, code: str, new_pin: str) -> None:
        result = self._attempt(
            "PIN recovery",  # the account audits a wrong code itself
            lambda: self._services.account.reset_pin_with_recovery(code, new_pin),
            self.recovery_failed,
        )
        if result is not None:
            self.recovered.emit(result.recovery_code)

    @Slot()
    def leave(self) -> None:
        def audit() -> None:
            record_audit(self._db, self._clock.now(), "owner", "owner.kiosk_left")

        # Audited or not, the owner whose PIN was accepted is let out.
        self._attempt("leave-kiosk audit", audit)
        self.left.emit()
