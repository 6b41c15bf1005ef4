"""Earlier verdicts kept in view in a rush: the history strip and the verdict beside.

- `HistoryStrip`: the last five verdicts, newest first (symbol, time, masked holder),
  so a visitor whose verdict was replaced by the next one can still read it.
- `BesideCard`: a refusal or staff check that had been up for less than
  `[ui] min_verdict_s` when the next visitor's verdict arrived, kept beside it.

Marks and words, never colour alone. Rendering only; the rules are in `kiosk.ui.model`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.decision import Verdict, VerifiedBy
from kiosk.ui.model import Shown
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.theme import restyle
from kiosk.ui.staff_queue import HISTORY_SIZE, Past

MARKS = {Verdict.ADMIT: "✓", Verdict.DENY: "✕", Verdict.MANUAL: "!"}


class HistoryStrip(Retranslating, QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._history: tuple[Past, ...] = ()
        self.title = QLabel(self)
        self.title.setObjectName("historyTitle")
        self.entries = [QLabel(self) for _ in range(HISTORY_SIZE)]
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 2, 16, 2)
        row.setSpacing(18)
        row.addWidget(self.title)
        for label in self.entries:
            label.setObjectName("historyEntry")
            # Shrinks before it pushes the window wider than a small screen.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            row.addWidget(label, 1)
        self.retranslate()

    def render(self, history: tuple[Past, ...]) -> None:
        if history == self._history:
            return
        self._history = history
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Last:"))
        for label, past in zip(self.entries, (*self._history, *([None] * HISTORY_SIZE)), strict=False):
            if past is None:
                label.clear()
                label.setProperty("verdict", "")
                continue
            parts = [MARKS[past.verdict], datetime.fromtimestamp(past.wall_at).strftime("%H:%M")]
            if past.holder_masked:
                parts.append(past.holder_masked)
            elif past.verified_by is VerifiedBy.STAFF:
                parts.append(texts.verified_by_text(VerifiedBy.STAFF))
            label.setText(" ".join(parts))
            label.setToolTip(texts.verdict_title(past.verdict))
            label.setProperty("verdict", str(past.verdict))
        restyle(self)
        self.setVisible(bool(self._history))


class BesideCard(Retranslating, QFrame):
    """A compact verdict: mark, title, reason, masked holder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("besideCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setProperty("verdict", "")
        self._shown: Shown | None = None
        self.mark = QLabel(self)
        self.mark.setObjectName("besideMark")
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        self.title.setObjectName("besideTitle")
        self.reason = QLabel(self)
        self.reason.setObjectName("besideReason")
        self.holder = QLabel(self)
        self.holder.setObjectName("besideHolder")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 16, 16, 16)
        box.addStretch(1)
        for label in (self.mark, self.title, self.reason, self.holder):
            label.setWordWrap(True)
            box.addWidget(label)
        box.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.hide()

    def render(self, shown: Shown | None) -> None:
        if shown == self._shown:
            return
        self._shown = shown
        self.retranslate()

    def retranslate(self) -> None:
        shown = self._shown
        self.setVisible(shown is not None)
        if shown is None:
            for label in (self.mark, self.title, self.reason, self.holder):
                label.clear()  # nothing personal stays in a hidden widget
            self.setProperty("verdict", "")
            restyle(self)
            return
        self.mark.setText(MARKS[shown.verdict])
        self.title.setText(texts.verdict_title(shown.verdict))
        self.reason.setText(texts.reason_text(shown.reason))
        self.holder.setText(shown.holder_masked or "")
        self.holder.setVisible(bool(shown.holder_masked))
        self.setProperty("verdict", str(shown.verdict))
        restyle(self)
