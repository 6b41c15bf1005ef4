"""The page that shows a recovery code once, until the owner confirms it is written down.

Shared by the first run (the owner's first code) and the forgotten-PIN flow (a used
code is replaced by a new one), so both look the same. Intent only: `confirmed` once
the tick box and the button were pressed. The code leaves the label on `clear()`: the
flows call it on every way off the page, so it stays on screen no longer than needed.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from kiosk.ui.owner.keypad import make_button, owner_heading, owner_text, scaled_font
from kiosk.ui.resources.i18n import Retranslating


class CodeOccasion(StrEnum):
    FIRST_RUN = "first_run"  # the kiosk was just set up
    REPLACED = "replaced"  # the owner used the code: this one replaces it


class RecoveryCodePage(Retranslating, QWidget):
    confirmed = Signal()  # the owner says the code is on paper

    def __init__(self, occasion: CodeOccasion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryCodePage")
        self._occasion = occasion
        layout = QVBoxLayout(self)
        self.heading = heading = owner_heading(self)
        self.explain = explain = owner_text(self)
        self.code_label = QLabel(self)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # No selection: a copied code would sit on the clipboard after the page is gone.
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 10) * 3)
        mono.setBold(True)
        self.code_label.setFont(mono)
        self.written_down = QCheckBox(self)
        self.written_down.setMinimumHeight(64)
        self.written_down.setFont(scaled_font(self.written_down, 1.6))
        # The default tick box is ~13 px: too small to hit on a touch screen.
        self.written_down.setStyleSheet("QCheckBox::indicator { width: 40px; height: 40px; }")
        self.done_button = make_button("", "primary", self)
        self.done_button.setObjectName("firstRunDone")
        self.done_button.setEnabled(False)
        self.written_down.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self._done)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addStretch(1)
        layout.addWidget(self.code_label)
        layout.addStretch(1)
        layout.addWidget(self.written_down)
        layout.addWidget(self.done_button)
        self.retranslate()

    def retranslate(self) -> None:
        if self._occasion is CodeOccasion.REPLACED:
            self.heading.setText(self.tr("Your new recovery code"))
            self.explain.setText(
                self.tr(
                    "The code you just typed no longer works. Write this new code on paper, keep it "
                    "away from the kiosk and throw the old paper away. It is shown only this once."
                )
            )
        else:
            self.heading.setText(self.tr("Your recovery code"))
            self.explain.setText(
                self.tr(
                    "Write this code on paper and keep it away from the kiosk. It is shown only "
                    "this once. If you forget the PIN, this code sets a new one."
                )
            )
        self.written_down.setText(self.tr("I have written it down"))
        self.done_button.setText(self.tr("Done"))

    def show_code(self, code: str) -> None:
        """Show the code in groups of four on two lines; the owner must tick the box again."""
        groups = code.split("-")
        half = (len(groups) + 1) // 2
        self.code_label.setText("-".join(groups[:half]) + "\n" + "-".join(groups[half:]))
        self.written_down.setChecked(False)

    def clear(self) -> None:
        """Take the code off the page (it is held nowhere else in the window)."""
        self.code_label.clear()
        self.written_down.setChecked(False)

    def _done(self) -> None:
        self.clear()
        self.confirmed.emit()
