"""Earlier verdicts kept in view in a rush: the history strip and the verdict beside.

- `HistoryStrip`: the last five verdicts, newest first (symbol, time, masked holder),
  so a visitor whose verdict was replaced by the next one can still read it. All five
  always show: on a narrow screen the strip wraps onto a second line.
- `BesideCard`: a refusal or staff check that had been up for less than
  `[ui] min_verdict_s` when the next visitor's verdict arrived, kept beside it (a column
  on a lying screen, a band under the verdict on a standing one: `set_standing`).

Marks and words, never colour alone. Rendering only; the rules are in `kiosk.ui.model`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QSizePolicy, QWidget

from kiosk.decision import Verdict, VerifiedBy
from kiosk.ui.model import Shown
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import FlowLayout
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
        row = FlowLayout(self)
        row.setContentsMargins(16, 2, 16, 2)
        row.setSpacing(18)
        row.setLineSpacing(2)
        row.addWidget(self.title)
        for label in self.entries:
            label.setObjectName("historyEntry")
            row.addWidget(label)
        self.retranslate()

    def render(self, history: tuple[Past, ...]) -> None:
        if history == self._history:
            return
        self._history = history
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Last:"))
        for label, past in zip(self.entries, (*self._history, *([None] * HISTORY_SIZE)), strict=False):
            label.setVisible(past is not None)
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
        self._box = box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        box.setContentsMargins(16, 16, 16, 16)
        box.addStretch(1)
        for label in (self.mark, self.title, self.reason, self.holder):
            label.setWordWrap(True)
            box.addWidget(label)
        box.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.hide()

    def set_standing(self, standing: bool) -> None:
        """A band under the verdict (its parts in a row) on a standing screen, a column beside it
        on a lying one."""
        direction = QBoxLayout.Direction
        self._box.setDirection(direction.LeftToRight if standing else direction.TopToBottom)
        self._box.setStretch(self._box.indexOf(self.reason), 1 if standing else 0)
        vertical = QSizePolicy.Policy.Preferred if standing else QSizePolicy.Policy.Expanding
        self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)

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
