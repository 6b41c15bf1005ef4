"""First run: the owner chooses a PIN (twice), the key pair is created, the recovery code is shown once.

The flow only emits intents: `pin_chosen` (the window runs `OwnerAccount.set_up` on a
worker) and `finished` once the owner confirms the code is written down. The code is
wiped from the screen on `finished`; it is never stored in clear anywhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.owner.keypad import owner_heading, owner_text
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.owner.recovery_code import CodeOccasion, RecoveryCodePage
from kiosk.ui.resources.i18n import Retranslating


class FirstRunFlow(Retranslating, QWidget):
    pin_chosen = Signal(str)
    finished = Signal()

    PAGE_PIN, PAGE_WORKING, PAGE_CODE = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunFlow")
        self.pages = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        pin_page = QWidget(self)
        pin_layout = QVBoxLayout(pin_page)
        self.welcome = owner_text(pin_page)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_pad = PinPad(PinPadMode.SET, pin_page)
        self.pin_pad.set_cancel_visible(False)
        self.pin_pad.pin_entered.connect(self._on_pin)
        pin_layout.addWidget(self.welcome)
        pin_layout.addWidget(self.pin_pad, 1)

        self.working = working = owner_heading(self, 2.0, bold=False)
        working.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.code_page = RecoveryCodePage(CodeOccasion.FIRST_RUN, self)
        self.code_page.confirmed.connect(self._done)
        # The page's parts under their old names: the window and its tests reach them here.
        self.code_label = self.code_page.code_label
        self.written_down = self.code_page.written_down
        self.done_button = self.code_page.done_button

        self.pages.addWidget(pin_page)
        self.pages.addWidget(working)
        self.pages.addWidget(self.code_page)
        self.retranslate()

    def retranslate(self) -> None:
        self.welcome.setText(
            self.tr(
                "Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor "
                "contact details that only you can read."
            )
        )
        self.working.setText(self.tr("Creating the owner key…"))

    # --- the window's side ---

    def show_recovery_code(self, code: str) -> None:
        """Set-up succeeded: show the code (groups of four, two lines) until the owner confirms."""
        self.code_page.show_code(code)
        self.pages.setCurrentIndex(self.PAGE_CODE)

    def show_error(self, text: str) -> None:
        """Set-up failed (already translated): back to choosing the PIN."""
        self.pages.setCurrentIndex(self.PAGE_PIN)
        self.pin_pad.show_error(text)

    # --- internals ---

    def _on_pin(self, pin: str) -> None:
        self.pages.setCurrentIndex(self.PAGE_WORKING)
        self.pin_pad.reset()
        self.pin_chosen.emit(pin)

    def _done(self) -> None:
        # The code page has already taken the code off the screen.
        self.pages.setCurrentIndex(self.PAGE_PIN)
        self.finished.emit()
