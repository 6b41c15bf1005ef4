"""First run: the owner chooses a PIN (twice), the key pair is created, the recovery code is shown once.

The flow only emits intents: `pin_chosen` (the window runs `OwnerAccount.set_up` on a
worker) and `finished` once the owner confirms the code is written down. The code is
wiped from the screen on `finished`; it is never stored in clear anywhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.i18n import Retranslating
from kiosk.ui.views.keypad import make_button, scaled_font
from kiosk.ui.views.pin_pad import PinPad, PinPadMode


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
        self.welcome = QLabel(pin_page)
        self.welcome.setObjectName("firstRunText")
        self.welcome.setWordWrap(True)
        self.welcome.setFont(scaled_font(self.welcome, 1.5))
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_pad = PinPad(PinPadMode.SET, pin_page)
        self.pin_pad.set_cancel_visible(False)
        self.pin_pad.pin_entered.connect(self._on_pin)
        pin_layout.addWidget(self.welcome)
        pin_layout.addWidget(self.pin_pad, 1)

        self.working = working = QLabel(self)
        working.setObjectName("firstRunHeading")
        working.setAlignment(Qt.AlignmentFlag.AlignCenter)
        working.setFont(scaled_font(working, 2.0))

        code_page = QWidget(self)
        code_layout = QVBoxLayout(code_page)
        self.heading = heading = QLabel(code_page)
        heading.setObjectName("firstRunHeading")
        heading.setFont(scaled_font(heading, 2.2, bold=True))
        self.explain = explain = QLabel(code_page)
        explain.setObjectName("firstRunText")
        explain.setWordWrap(True)
        explain.setFont(scaled_font(explain, 1.5))
        self.code_label = QLabel(code_page)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 10) * 3)
        mono.setBold(True)
        self.code_label.setFont(mono)
        self.written_down = QCheckBox(code_page)
        self.written_down.setMinimumHeight(64)
        self.written_down.setFont(scaled_font(self.written_down, 1.6))
        # The default tick box is ~13 px: too small to hit on a touch screen.
        self.written_down.setStyleSheet("QCheckBox::indicator { width: 40px; height: 40px; }")
        self.done_button = make_button("", "primary", code_page)
        self.done_button.setObjectName("firstRunDone")
        self.done_button.setEnabled(False)
        self.written_down.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self._done)
        code_layout.addWidget(heading)
        code_layout.addWidget(explain)
        code_layout.addStretch(1)
        code_layout.addWidget(self.code_label)
        code_layout.addStretch(1)
        code_layout.addWidget(self.written_down)
        code_layout.addWidget(self.done_button)

        self.pages.addWidget(pin_page)
        self.pages.addWidget(working)
        self.pages.addWidget(code_page)
        self.retranslate()

    def retranslate(self) -> None:
        self.welcome.setText(
            self.tr(
                "Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor "
                "contact details that only you can read."
            )
        )
        self.working.setText(self.tr("Creating the owner key…"))
        self.heading.setText(self.tr("Your recovery code"))
        self.explain.setText(
            self.tr(
                "Write this code on paper and keep it away from the kiosk. It is shown only "
                "this once. If you forget the PIN, this code sets a new one."
            )
        )
        self.written_down.setText(self.tr("I have written it down"))
        self.done_button.setText(self.tr("Done"))

    # --- the window's side ---

    def show_recovery_code(self, code: str) -> None:
        """Set-up succeeded: show the code (groups of four, two lines) until the owner confirms."""
        groups = code.split("-")
        half = (len(groups) + 1) // 2
        self.code_label.setText("-".join(groups[:half]) + "\n" + "-".join(groups[half:]))
        self.written_down.setChecked(False)
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
        self.code_label.clear()
        self.written_down.setChecked(False)
        self.pages.setCurrentIndex(self.PAGE_PIN)
        self.finished.emit()
