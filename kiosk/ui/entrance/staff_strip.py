"""The staff strip above the status bar: the staff checks waiting, and the visitor with no pass.

- "N staff checks waiting", then the oldest few, each named (time, masked holder or
  "Token …" and the last 4 characters of the pass digest) with Admit / Deny / Set aside.
  Answering one brings the next into view, so every check is answerable from here. How
  many are listed is the window's to say (`set_rows`): a lying screen keeps its height for
  the verdict and lists one, but the count and one row with its answers always show.
- While the staff tools are unlocked: one tap logs a visitor with no scannable pass
  (paper certificate, sticker, a blank app screen), admitted or refused; "Phone number"
  opens the manual-log panel for one with a number; "Lock" ends the unlock.

It renders a `ScreenState` and emits intents; the rules are in `kiosk.ui.model`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.model import ENTRANCE, NEW_VISIT, ScreenState, no_pass_offered, strip_checks
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.staff_queue import Check

ROWS = 3  # the oldest few, at most


def visitor_label(check: Check) -> str:
    """How staff tell the waiting visitors apart: the time, then the name or the token's end."""
    clock = datetime.fromtimestamp(check.wall_at).strftime("%H:%M")
    if check.holder_masked:
        return f"{clock} · {check.holder_masked}"
    token = QCoreApplication.translate("StaffStrip", "Token")
    return f"{clock} · {token} …{check.pass_tail}"


def _button(parent: QWidget, name: str, kind: str) -> QPushButton:
    button = QPushButton(parent)
    button.setObjectName(name)
    button.setProperty("kind", kind)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a scanner's Enter must never click it
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class CheckRow(QWidget):
    """One waiting check: who, and the three answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffCheck")
        self.check: Check | None = None
        self.label = QLabel(self)
        self.label.setObjectName("staffCheckVisitor")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.admit = _button(self, "stripAdmit", "primary")
        self.deny = _button(self, "stripDeny", "danger")
        self.set_aside = _button(self, "stripSetAside", "neutral")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        for button in (self.admit, self.deny, self.set_aside):
            row.addWidget(button)


class StaffStrip(Retranslating, QFrame):
    answer_requested = Signal(str, bool)  # visit id ("" = a visitor with no pass), admit
    set_aside_requested = Signal(str)
    phone_requested = Signal()  # the manual-log panel, for a visitor who leaves a number
    lock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._state: ScreenState | None = None
        self._error_text = ""
        self._listed = ROWS
        self.waiting = QLabel(self)
        self.waiting.setObjectName("staffChecksWaiting")
        self.more = QLabel(self)
        self.more.setObjectName("staffChecksMore")
        self.error = QLabel(self)
        self.error.setObjectName("staffError")
        self.error.setProperty("state", "error")
        self.error.setWordWrap(True)
        self.rows = [CheckRow(self) for _ in range(ROWS)]
        for row in self.rows:
            row.admit.clicked.connect(lambda _=False, r=row: self._answer(r, True))
            row.deny.clicked.connect(lambda _=False, r=row: self._answer(r, False))
            row.set_aside.clicked.connect(lambda _=False, r=row: self._set_aside(r))

        self.no_pass = QWidget(self)
        self.no_pass.setObjectName("noPassRow")
        self.no_pass_label = QLabel(self.no_pass)
        self.no_pass_label.setObjectName("noPassLabel")
        self.no_pass_label.setWordWrap(True)  # beside four buttons on a narrow standing screen
        self.no_pass_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.no_pass_admit = _button(self.no_pass, "noPassAdmit", "primary")
        self.no_pass_deny = _button(self.no_pass, "noPassDeny", "danger")
        self.no_pass_phone = _button(self.no_pass, "noPassPhone", "neutral")
        self.lock_button = _button(self.no_pass, "staffLock", "neutral")
        self.no_pass_admit.clicked.connect(lambda: self.answer_requested.emit("", True))
        self.no_pass_deny.clicked.connect(lambda: self.answer_requested.emit("", False))
        self.no_pass_phone.clicked.connect(self.phone_requested)
        self.lock_button.clicked.connect(self.lock_requested)
        no_pass_row = QHBoxLayout(self.no_pass)
        no_pass_row.setContentsMargins(0, 0, 0, 0)
        no_pass_row.addWidget(self.no_pass_label, 1)
        for button in (self.no_pass_admit, self.no_pass_deny, self.no_pass_phone, self.lock_button):
            no_pass_row.addWidget(button)

        box = QVBoxLayout(self)
        box.setContentsMargins(16, 2, 16, 2)
        box.setSpacing(2)
        # The count and "N more" share a line: on a short screen every line is the verdict's.
        heading = QHBoxLayout()
        heading.addWidget(self.waiting)
        heading.addStretch(1)
        heading.addWidget(self.more)
        box.addLayout(heading)
        for row in self.rows:
            box.addWidget(row)
        box.addWidget(self.error)
        box.addWidget(self.no_pass)
        self.retranslate()

    def set_rows(self, rows: int) -> None:
        """List at most `rows` waiting checks (1 to ROWS); the rest are counted in "N more"."""
        rows = max(1, min(ROWS, rows))
        if rows != self._listed:
            self._listed = rows
            self.retranslate()

    def render(self, state: ScreenState, error_text: str) -> None:
        self._state = state
        self._error_text = error_text
        self.retranslate()

    def retranslate(self) -> None:
        self.no_pass_label.setText(self.tr("Visitor with no QR code:"))
        self.no_pass_admit.setText("✓  " + self.tr("Admit"))
        self.no_pass_deny.setText("✕  " + self.tr("Deny"))
        self.no_pass_phone.setText(self.tr("With phone number…"))
        self.lock_button.setText(self.tr("Lock"))
        state = self._state
        if state is None:
            self.hide()
            return
        total = len(state.checks)
        waiting = strip_checks(state)
        listed = waiting[: self._listed]
        self.waiting.setText(self.tr("%n staff check(s) waiting", "", total))
        self.waiting.setVisible(total > 0)
        for row, check in zip(self.rows, (*listed, *([None] * ROWS)), strict=False):
            row.check = check
            row.setVisible(check is not None)
            if check is None:
                continue
            row.label.setText(visitor_label(check))
            busy = state.checks.is_answering(check.visit_id)
            row.admit.setText("✓  " + self.tr("Admit"))
            row.deny.setText("✕  " + self.tr("Deny"))
            row.set_aside.setText(self.tr("Set aside"))
            for button in (row.admit, row.deny, row.set_aside):
                button.setEnabled(not busy)
        hidden = len(waiting) - len(listed)
        self.more.setText(self.tr("%n more after these", "", hidden))
        self.more.setVisible(hidden > 0)
        self.error.setText(self._error_text)
        self.error.setVisible(bool(self._error_text))
        offered = no_pass_offered(state)
        self.no_pass.setVisible(offered)
        # While the last one is being stored a tap would be dropped as a double tap: say so.
        for button in (self.no_pass_admit, self.no_pass_deny):
            button.setEnabled(not state.checks.is_answering(NEW_VISIT))
        self.lock_button.setVisible(offered and state.staff_until is not None)
        # Only on the entrance screens: a staff or owner page has the window to itself.
        entrance = state.screen in ENTRANCE
        self.setVisible(entrance and (total > 0 or offered or bool(self._error_text)))

    def _answer(self, row: CheckRow, admit: bool) -> None:
        if row.check is not None:
            self.answer_requested.emit(row.check.visit_id, admit)

    def _set_aside(self, row: CheckRow) -> None:
        if row.check is not None:
            self.set_aside_requested.emit(row.check.visit_id)
