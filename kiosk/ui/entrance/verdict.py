"""The verdict screen: readable from 2 m, never by colour alone (glyph + words + colour)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.decision import Reason, Verdict
from kiosk.ui.entrance.glyphs import VerdictGlyph
from kiosk.ui.model import Shown
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import follow_aspect
from kiosk.ui.resources.theme import Theme, restyle

_GLYPH = {Verdict.ADMIT: "admit", Verdict.DENY: "deny", Verdict.MANUAL: "check"}


class VerdictView(Retranslating, QFrame):
    """Renders a `Shown`; emits `manual_log_requested(visit_id)` from its CHECK screen.

    `painted(visit_id)` fires from the first paint of each verdict: the moment the
    verdict is on screen (tests check the visit is already committed by then).
    """

    manual_log_requested = Signal(str)
    painted = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._shown: Shown | None = None
        self._announce = False
        self.setProperty("verdict", "")
        self.glyph = VerdictGlyph(self)
        self.title = self._label("verdictTitle")
        self.secondary = self._label("verdictSecondary")
        self.reason = self._label("verdictReason")
        self.holder = self._label("verdictHolder")
        self.source = self._label("verdictSource")
        self.manual_button = QPushButton(self)
        self.manual_button.setObjectName("verdictManual")
        self.manual_button.setProperty("kind", "primary")
        self.manual_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.manual_button.clicked.connect(self._manual)

        words = QVBoxLayout()
        words.setSpacing(12)
        words.addStretch(1)
        for label in (self.title, self.secondary, self.reason, self.holder, self.source):
            words.addWidget(label)
        words.addStretch(1)
        self._buttons = buttons = QHBoxLayout()
        buttons.addStretch(0)  # grows in portrait, where the words are centred under the symbol
        buttons.addWidget(self.manual_button)
        buttons.addStretch(1)
        words.addLayout(buttons)

        row = QHBoxLayout(self)
        row.setContentsMargins(48, 36, 48, 36)
        row.setSpacing(40)
        row.addWidget(self.glyph, 2)
        row.addLayout(words, 3)
        self._row = row
        follow_aspect(self, row, self._turned)  # standing screens: the symbol over the words
        self.retranslate()

    def _turned(self, portrait: bool) -> None:
        # Side by side the words line up on the left; stacked they centre under the symbol,
        # which then takes the top half instead of two fifths of the width.
        align = Qt.AlignmentFlag.AlignHCenter if portrait else Qt.AlignmentFlag.AlignLeft
        for label in (self.title, self.secondary, self.reason, self.holder, self.source):
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self._buttons.setStretch(0, 1 if portrait else 0)
        self._row.setStretch(0, 1 if portrait else 2)
        self._row.setStretch(1, 1 if portrait else 3)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return label

    def render(self, shown: Shown | None) -> None:
        if shown == self._shown:
            return
        self._shown = shown
        self._announce = shown is not None
        self.retranslate()

    def retranslate(self) -> None:
        shown = self._shown
        self.manual_button.setText(QCoreApplication.translate("VerdictView", "Manual log"))
        if shown is None:
            # Nothing personal may stay behind in a hidden widget either.
            for label in (self.title, self.secondary, self.reason, self.holder, self.source):
                label.clear()
            self.setProperty("verdict", "")
            self.manual_button.hide()
            restyle(self)
            return
        title = texts.verdict_title(shown.verdict)
        self.title.setText(title)
        self.secondary.setText(texts.secondary(texts.SECONDARY_TITLES[shown.verdict], title))
        self.secondary.setVisible(bool(self.secondary.text()))
        # The reason is said in plain words when it explains a refusal or a check.
        show_reason = shown.verdict is not Verdict.ADMIT or shown.reason not in (Reason.VALID, None)
        self.reason.setText(texts.reason_text(shown.reason) if show_reason else "")
        self.reason.setVisible(show_reason)
        self.holder.setText(shown.holder_masked or "")
        self.holder.setVisible(bool(shown.holder_masked))
        source = texts.verified_by_text(shown.verified_by)
        if shown.repeat:
            source += " · " + QCoreApplication.translate("VerdictView", "shown again, not logged twice")
        self.source.setText(source)
        self.manual_button.setVisible(shown.verdict is Verdict.MANUAL)
        self.setProperty("verdict", str(shown.verdict))
        p = self._theme.palette
        color = {Verdict.ADMIT: p.admit_text, Verdict.DENY: p.deny_text, Verdict.MANUAL: p.check_text}
        self.glyph.set_shape(_GLYPH[shown.verdict], QColor(color[shown.verdict]))
        restyle(self)

    def _manual(self) -> None:
        if self._shown is not None:
            self.manual_log_requested.emit(self._shown.visit_id or "")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._announce and self._shown is not None:
            self._announce = False
            self.painted.emit(self._shown.visit_id or "")
