"""Forgotten PIN: the owner types the recovery code, then chooses a new PIN on the PIN pad.

The code has letters, so it is typed on a keyboard (the owner's, plugged in for this
rare step). Intent only: `recovery_entered(code, new_pin)`; the window runs
`OwnerAccount.reset_pin_with_recovery` on a worker and reports back with `show_error`
or `reset`. While the worker runs there is no way back: a reset that succeeds replaces
the code, so its answer (the new code) must find the owner still on this page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.owner.keys import RecoveryCodeFormatError, normalize_recovery_code
from kiosk.ui.owner.keypad import make_button, owner_heading, owner_text, scaled_font
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.resources.i18n import Retranslating


class RecoveryFlow(Retranslating, QWidget):
    recovery_entered = Signal(str, str)  # (recovery code as typed, confirmed new PIN)
    cancelled = Signal()

    PAGE_CODE, PAGE_PIN = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryFlow")
        self._code = ""
        self._waiting = False  # the worker has the code: cancelling now could lose the new one
        self.pages = QStackedWidget(self)
        QVBoxLayout(self).addWidget(self.pages)

        code_page = QWidget(self)
        layout = QVBoxLayout(code_page)
        self.title = title = owner_heading(code_page)
        self.explain = explain = owner_text(code_page)
        self.code_edit = QLineEdit(code_page)
        self.code_edit.setObjectName("recoveryCodeInput")
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.code_edit.setMaxLength(40)
        self.code_edit.setMinimumHeight(64)
        self.code_edit.setFont(scaled_font(self.code_edit, 2.0))
        self.code_edit.returnPressed.connect(self._next)
        self.error = QLabel(code_page)
        self.error.setObjectName("recoveryError")
        self.error.setProperty("state", "error")
        self.error.setWordWrap(True)
        self.error.setFont(scaled_font(self.error, 1.4, bold=True))
        self.next_button = make_button("", "primary", code_page)
        self.next_button.clicked.connect(self._next)
        self.cancel_button = cancel = make_button("", "neutral", code_page)
        cancel.clicked.connect(self._cancel)
        for widget in (title, explain, self.code_edit, self.error):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.next_button)
        layout.addWidget(cancel)

        self.pin_pad = PinPad(PinPadMode.SET, self)
        self.pin_pad.pin_entered.connect(self._on_new_pin)
        self.pin_pad.cancelled.connect(self._cancel)
        self.pages.addWidget(code_page)
        self.pages.addWidget(self.pin_pad)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Forgotten PIN"))
        self.explain.setText(self.tr("Type the recovery code you wrote down when the kiosk was set up."))
        self.next_button.setText(self.tr("Next"))
        self.cancel_button.setText(self.tr("Cancel"))

    def reset(self) -> None:
        """Back to an empty code field; forget the code typed."""
        self._code = ""
        self._waiting = False
        self.pin_pad.cancel_button.setEnabled(True)
        self.code_edit.clear()
        self.error.setText("")
        self.pin_pad.reset()
        self.pages.setCurrentIndex(self.PAGE_CODE)

    def show_error(self, text: str) -> None:
        """The window's worker refused the code (already translated): type it again."""
        self.reset()
        self.error.setText(text)
        self.code_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next(self) -> None:
        try:
            self._code = normalize_recovery_code(self.code_edit.text())
        except RecoveryCodeFormatError:
            self.error.setText(
                self.tr("A recovery code has 24 letters and digits (2 to 7), in groups of four.")
            )
            return
        self.error.setText("")
        self.pin_pad.reset()
        self.pages.setCurrentIndex(self.PAGE_PIN)
        self.pin_pad.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def waiting(self) -> bool:
        return self._waiting

    def _on_new_pin(self, pin: str) -> None:
        if self._waiting:
            return
        code, self._code = self._code, ""
        self.code_edit.clear()
        self._waiting = True
        self.pin_pad.cancel_button.setEnabled(False)
        self.recovery_entered.emit(code, pin)

    def _cancel(self) -> None:
        if self._waiting:
            return  # Escape while the worker resets: the answer is on its way
        self.reset()
        self.cancelled.emit()
