"""The manual-log panel: staff admit or deny by eye, with an optional visitor phone number.

The number is typed on an on-screen keypad, shown formatted while typed, validated
as a Korean mobile number, then handed over once in `answered` and wiped from the
panel: the window seals it to the owner's key on a worker (`ManualRecorder`) and it
is never shown on the kiosk again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.owner.phone import MAX_DIGITS, PhoneNumberError, format_as_typed, normalize_korean_mobile
from kiosk.ui.owner.keypad import NumericKeypad, digit_of_key, make_button, scaled_font
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import follow_aspect

ANSWER_MIN_H = 96  # the two answers are the biggest targets on the panel


class ManualLogPanel(Retranslating, QWidget):
    answered = Signal(bool, object)  # (admit, normalised phone "010-1234-5678" or None)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualLogPanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._digits = ""
        self._phone_allowed = True

        self.title = QLabel(self)
        self.title.setObjectName("manualTitle")
        self.title.setFont(scaled_font(self.title, 2.2, bold=True))
        self.hint = QLabel(self)
        self.hint.setObjectName("manualHint")
        self.hint.setWordWrap(True)
        self.hint.setFont(scaled_font(self.hint, 1.5))
        self.phone_label = QLabel(self)
        self.phone_label.setObjectName("manualPhoneLabel")
        self.phone_label.setFont(scaled_font(self.phone_label, 1.5))
        self.phone_display = QLabel(self)
        self.phone_display.setObjectName("manualPhone")
        self.phone_display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phone_display.setFont(scaled_font(self.phone_display, 2.6))
        self.error = QLabel(self)
        self.error.setObjectName("manualError")
        self.error.setProperty("state", "error")
        self.error.setWordWrap(True)
        self.error.setFont(scaled_font(self.error, 1.4, bold=True))
        self.keypad = NumericKeypad("", "neutral", self)
        self.keypad.digit_pressed.connect(self._add_digit)
        self.keypad.back_pressed.connect(self._back)
        self.keypad.action_pressed.connect(self._clear_phone)

        self.admit_button = make_button("", "primary", self)
        self.admit_button.setObjectName("manualAdmit")
        self.deny_button = make_button("", "danger", self)
        self.deny_button.setObjectName("manualDeny")
        self.cancel_button = make_button("", "neutral", self)
        self.cancel_button.setObjectName("manualCancel")
        for button in (self.admit_button, self.deny_button):
            button.setMinimumHeight(ANSWER_MIN_H)
        self.admit_button.clicked.connect(lambda: self._answer(True))
        self.deny_button.clicked.connect(lambda: self._answer(False))
        self.cancel_button.clicked.connect(self._cancel)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addStretch(1)
        left.addWidget(self.admit_button)
        left.addWidget(self.deny_button)
        left.addWidget(self.cancel_button)
        right = QVBoxLayout()
        right.addWidget(self.phone_label)
        right.addWidget(self.phone_display)
        right.addWidget(self.error)
        right.addWidget(self.keypad, 1)
        layout = QHBoxLayout(self)
        layout.setSpacing(24)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        follow_aspect(self, layout)  # standing screens: the answers above the keypad
        self.retranslate()
        self._render()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Manual log"))
        self.hint.setText(self.tr("Check the visitor's pass by eye, then choose."))
        self.phone_label.setText(self.tr("Phone number (optional)"))
        self.keypad.action_button.setText(self.tr("Clear"))
        # The marks say admit/deny without relying on the theme's green and red.
        self.admit_button.setText("✓  " + self.tr("Checked, admit"))
        self.deny_button.setText("✕  " + self.tr("Deny"))
        self.cancel_button.setText(self.tr("Cancel"))

    # --- the window's side ---

    def clear(self) -> None:
        """Forget the typed number and any message (called after each use and on cancel)."""
        self._digits = ""
        self.error.setText("")
        self._render()

    def set_phone_allowed(self, allowed: bool) -> None:
        """Hide the phone entry when there is no owner key to seal it to."""
        self._phone_allowed = allowed
        for widget in (self.phone_label, self.phone_display, self.keypad):
            widget.setVisible(allowed)
        self.clear()

    def show_error(self, text: str) -> None:
        """A failure reported by the window (already translated), e.g. the answer could not be stored."""
        self.error.setText(text)

    # --- input ---

    def keyPressEvent(self, event: QKeyEvent) -> None:
        digit = digit_of_key(event.key())
        if digit is not None:
            self._add_digit(digit)
        elif event.key() == Qt.Key.Key_Backspace:
            self._back()
        elif event.key() == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)

    def _add_digit(self, digit: str) -> None:
        if self._phone_allowed and len(self._digits) < MAX_DIGITS:
            self._digits += digit
            self.error.setText("")
            self._render()

    def _back(self) -> None:
        self._digits = self._digits[:-1]
        self.error.setText("")
        self._render()

    def _clear_phone(self) -> None:
        self._digits = ""
        self.error.setText("")
        self._render()

    def _answer(self, admit: bool) -> None:
        phone: str | None = None
        if self._digits:
            try:
                phone = normalize_korean_mobile(self._digits)
            except PhoneNumberError:
                self.error.setText(
                    self.tr("Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.")
                )
                return
        self.clear()
        self.answered.emit(admit, phone)

    def _cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def _render(self) -> None:
        self.phone_display.setText(format_as_typed(self._digits) if self._digits else "010-____-____")
        self.keypad.back_button.setEnabled(bool(self._digits))
