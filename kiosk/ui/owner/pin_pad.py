"""The PIN pad: set a new PIN (twice), verify it, or change it; shows lockouts.

The owner's by default; `staff=True` makes it the staff PIN's (4 to 6 digits; when
verifying, the owner's PIN is accepted too, so up to the owner PIN's length).

It never logs or displays the PIN: only dots. It emits the entered PIN as an intent;
the window checks it on a worker (`OwnerAccount`, scrypt) and reports back through
`show_check` / `show_error`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.owner.account import PinCheck, PinOutcome
from kiosk.owner.pin import MAX_PIN_LENGTH, MIN_PIN_LENGTH, PinPolicyError, check_pin_policy
from kiosk.owner.staff_pin import MAX_STAFF_PIN, MIN_STAFF_PIN, check_staff_pin_policy
from kiosk.ui.owner.keypad import NumericKeypad, digit_of_key, make_button, scaled_font

# %1 = seconds until the staff PIN is accepted again.
STAFF_PAUSED = QT_TRANSLATE_NOOP(
    "PinPad", "Too many wrong PINs: the staff PIN is paused for %1 s. The owner PIN works now."
)
DOT = "●"
EMPTY_DOT = "○"


class PinPadMode(StrEnum):
    SET = "set"  # first run or after recovery: new PIN, then confirm
    VERIFY = "verify"  # e.g. leaving kiosk mode
    CHANGE = "change"  # current PIN, new PIN, confirm


class _Step(StrEnum):
    CURRENT = "current"
    NEW = "new"
    CONFIRM = "confirm"


_STEPS = {
    PinPadMode.SET: (_Step.NEW, _Step.CONFIRM),
    PinPadMode.VERIFY: (_Step.CURRENT,),
    PinPadMode.CHANGE: (_Step.CURRENT, _Step.NEW, _Step.CONFIRM),
}


class PinPad(QWidget):
    pin_entered = Signal(str)  # SET: the confirmed new PIN; VERIFY: the PIN to check
    change_entered = Signal(str, str)  # CHANGE: (current PIN, confirmed new PIN)
    cancelled = Signal()

    def __init__(
        self, mode: PinPadMode = PinPadMode.VERIFY, parent: QWidget | None = None, *, staff: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffPinPad" if staff else "pinPad")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._staff = staff
        self._min_len = MIN_STAFF_PIN if staff else MIN_PIN_LENGTH
        self._mode = mode
        self._step_index = 0
        self._digits = ""
        self._entered: dict[_Step, str] = {}
        self._busy = False
        # How the message line was made, so a language switch says the same message again.
        self._message_render: Callable[[], str] = str
        self._lock_ms = 0
        self._lock_clock = QElapsedTimer()
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(250)
        self._lock_timer.timeout.connect(self._tick_lockout)

        self.prompt = QLabel(self)
        self.prompt.setObjectName("pinPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.dots = QLabel(self)
        self.dots.setObjectName("pinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setFont(scaled_font(self.dots, 2.4))
        self.prompt.setFont(scaled_font(self.prompt, 1.8, bold=True))
        self.message = QLabel(self)
        self.message.setObjectName("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setProperty("state", "info")
        self.message.setFont(scaled_font(self.message, 1.5, bold=True))
        self.keypad = NumericKeypad(self.tr("OK"), "primary", self)
        self.keypad.digit_pressed.connect(self._add_digit)
        self.keypad.back_pressed.connect(self._back)
        self.keypad.action_pressed.connect(self._submit)
        self.cancel_button = make_button(self.tr("Cancel"), "neutral", self)
        self.cancel_button.setObjectName("pinCancel")
        self.cancel_button.clicked.connect(self._cancel)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)  # a short screen (960×540 at scale 2) needs the height for the keys
        layout.addWidget(self.prompt)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addWidget(self.keypad, 1)
        layout.addWidget(self.cancel_button)
        self._render()

    # --- the window's side ---

    @property
    def mode(self) -> PinPadMode:
        return self._mode

    def set_mode(self, mode: PinPadMode) -> None:
        self._mode = mode
        self.reset()

    def reset(self) -> None:
        """Forget everything typed and start at the first step (the lockout display stays)."""
        self._digits = ""
        self._entered.clear()
        self._step_index = 0
        self._busy = False
        self._set_message("")
        self._render()

    def set_cancel_visible(self, visible: bool) -> None:
        """First run has nothing to go back to."""
        self.cancel_button.setVisible(visible)

    def show_error(self, text: str | Callable[[], str]) -> None:
        """A failure reported by the window (a translated text, or a render that translates at each
        call, which follows a language switch); the pad starts over."""
        self.reset()
        self._set_message(text, "error")

    def show_check(self, check: PinCheck) -> None:
        """Render the outcome of a PIN check done by the window's worker."""
        if check.outcome is PinOutcome.OK:
            self.reset()
        elif check.locked_for_s > 0 and not self._staff:
            self.reset()
            self.show_locked(check.locked_for_s)
        elif check.locked_for_s > 0 and self._staff:
            # Typing stays open: the owner's PIN lifts a staff lock at once.
            seconds = max(1, round(check.locked_for_s))
            self.show_error(lambda: self.tr(STAFF_PAUSED).replace("%1", str(seconds)))
        elif check.outcome is PinOutcome.WRONG:
            tries = check.tries_left
            self.show_error(lambda: self.tr("Wrong PIN. %n tries left before a pause.", "", tries))
        else:
            self.show_error(lambda: self.tr("No owner PIN is set on this kiosk yet."))

    def show_locked(self, seconds: float) -> None:
        """Close PIN entry for `seconds`, with a countdown."""
        self._lock_ms = int(seconds * 1000)
        self._lock_clock.start()
        self._lock_timer.start()
        self._tick_lockout()

    def lock_remaining_s(self) -> int:
        if not self._lock_timer.isActive():
            return 0
        return max(0, -(-(self._lock_ms - self._lock_clock.elapsed()) // 1000))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.keypad.action_button.setText(self.tr("OK"))
            self.cancel_button.setText(self.tr("Cancel"))
            if self._lock_timer.isActive():
                self._tick_lockout()
            else:
                self._set_message(self._message_render, str(self.message.property("state")))
            self._render()
        super().changeEvent(event)

    # --- input ---

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        digit = digit_of_key(key)
        if digit is not None:
            self._add_digit(digit)
        elif key == Qt.Key.Key_Backspace:
            self._back()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif key == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)

    def _accepting(self) -> bool:
        return not self._busy and not self._lock_timer.isActive()

    def _max_len(self) -> int:
        setting_staff = self._staff and _STEPS[self._mode][self._step_index] is not _Step.CURRENT
        return MAX_STAFF_PIN if setting_staff else MAX_PIN_LENGTH

    def _add_digit(self, digit: str) -> None:
        if self._accepting() and len(self._digits) < self._max_len():
            self._digits += digit
            self._render()

    def _back(self) -> None:
        if self._accepting() and self._digits:
            self._digits = self._digits[:-1]
            self._render()

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def _submit(self) -> None:
        if not self._accepting():
            return
        step = _STEPS[self._mode][self._step_index]
        pin, self._digits = self._digits, ""
        if len(pin) < self._min_len:
            self._render()
            self._set_message(lambda: self.tr("Enter at least %n digits.", "", self._min_len), "error")
            return
        if step is _Step.NEW:
            try:
                (check_staff_pin_policy if self._staff else check_pin_policy)(pin)
            except PinPolicyError as exc:
                self._render()
                key = exc.key
                self._set_message(lambda: self._policy_text(key), "error")
                return
        if step is _Step.CONFIRM and pin != self._entered[_Step.NEW]:
            self._entered.pop(_Step.NEW, None)
            self._step_index = _STEPS[self._mode].index(_Step.NEW)
            self._render()
            self._set_message(
                lambda: self.tr("The two PINs were different. Enter the new PIN again."), "error"
            )
            return
        self._entered[step] = pin
        if self._step_index + 1 < len(_STEPS[self._mode]):
            self._step_index += 1
            self._set_message("")
            self._render()
            return
        self._finish()

    def _finish(self) -> None:
        self._busy = True
        self._set_message(lambda: self.tr("Checking…"))
        self._render()
        if self._mode is PinPadMode.CHANGE:
            current, new = self._entered[_Step.CURRENT], self._entered[_Step.NEW]
            self._entered.clear()
            self.change_entered.emit(current, new)
        else:
            pin = self._entered[_Step.NEW if self._mode is PinPadMode.SET else _Step.CURRENT]
            self._entered.clear()
            self.pin_entered.emit(pin)

    # --- drawing ---

    def _tick_lockout(self) -> None:
        if self._lock_clock.elapsed() >= self._lock_ms:
            self._lock_timer.stop()
            self._set_message("")
        else:
            remaining = self.lock_remaining_s()
            self._set_message(
                self.tr("Too many wrong PINs. Try again in %n seconds.", "", remaining), "locked"
            )
        self._render()

    def _policy_text(self, key: str) -> str:
        if key == "staff.pin.length":
            return self.tr("A staff PIN has %1 to %2 digits.").replace("%1", str(MIN_STAFF_PIN)).replace(
                "%2", str(MAX_STAFF_PIN)
            )
        if key == "owner.pin.too_long":
            return self.tr("A PIN has at most %n digits.", "", MAX_PIN_LENGTH)
        if key == "owner.pin.trivial":
            return self.tr("This PIN is too easy to guess. Avoid repeated or sequential digits.")
        if key == "owner.pin.not_installer":
            return self.tr("This is not the PIN the installer set for this kiosk.")
        return self.tr("Use digits only, at least %n.", "", MIN_PIN_LENGTH)

    def _prompt_text(self) -> str:
        step = _STEPS[self._mode][self._step_index]
        if self._staff and step is _Step.CURRENT:
            return self.tr("Staff PIN (or the owner PIN)")
        if self._staff and step is _Step.NEW:
            return self.tr("Choose a staff PIN (%1 to %2 digits)").replace("%1", str(MIN_STAFF_PIN)).replace(
                "%2", str(MAX_STAFF_PIN)
            )
        if step is _Step.CURRENT:
            return (
                self.tr("Enter the current owner PIN")
                if self._mode is PinPadMode.CHANGE
                else self.tr("Enter the owner PIN")
            )
        if step is _Step.NEW:
            return self.tr("Choose a new owner PIN (at least %n digits)", "", MIN_PIN_LENGTH)
        return self.tr("Enter the new PIN again to confirm")

    def _set_message(self, text: str | Callable[[], str], state: str = "info") -> None:
        # A plain string is already in the language of now; a render is kept to say it again.
        self._message_render = text if callable(text) else (lambda: text)
        self.message.setText(self._message_render())
        if self.message.property("state") != state:
            self.message.setProperty("state", state)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    def _render(self) -> None:
        self.prompt.setText(self._prompt_text())
        shown = max(self._min_len, len(self._digits))
        self.dots.setText(" ".join(DOT * len(self._digits) + EMPTY_DOT * (shown - len(self._digits))))
        self.dots.setAccessibleName(self.tr("%n digits entered", "", len(self._digits)))
        self.keypad.set_keys_enabled(self._accepting())
