"""The verdict screen: readable from 2 m, never by colour alone (glyph + words + colour).

A staff check carries its own answers ("Admit" / "Deny", naming the visitor: time,
masked holder or the token's last characters), one tap each while staff are unlocked.
A thin bar under the verdict shows the time left before it clears.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from kiosk.decision import Reason, Verdict
from kiosk.ui.entrance.glyphs import VerdictGlyph
from kiosk.ui.entrance.staff_strip import visitor_label
from kiosk.ui.model import Shown
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import follow_aspect
from kiosk.ui.resources.theme import Theme, restyle
from kiosk.ui.staff_queue import Check

_GLYPH = {Verdict.ADMIT: "admit", Verdict.DENY: "deny", Verdict.MANUAL: "check"}
_STEPS = 1000  # the countdown bar's resolution


class VerdictView(Retranslating, QFrame):
    """Renders a `Shown`; emits `answer_requested(visit_id, admit)` from a waiting check.

    `painted(visit_id)` fires from the first paint of each verdict: the moment the
    verdict is on screen (tests check the visit is already committed by then).
    """

    answer_requested = Signal(str, bool)
    painted = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._shown: Shown | None = None
        self._check: Check | None = None
        self._answering = False
        self._announce = False
        self.setProperty("verdict", "")
        self.glyph = VerdictGlyph(self)
        self.title = self._label("verdictTitle")
        self.secondary = self._label("verdictSecondary")
        self.reason = self._label("verdictReason")
        self.reason_secondary = self._label("verdictReasonSecondary")
        self.holder = self._label("verdictHolder")
        self.source = self._label("verdictSource")
        self.admit_button = self._answer_button("verdictAdmit", "primary", True)
        self.deny_button = self._answer_button("verdictDeny", "danger", False)
        self.countdown = QProgressBar(self)
        self.countdown.setObjectName("verdictCountdown")
        self.countdown.setRange(0, _STEPS)
        self.countdown.setTextVisible(False)
        self.countdown.setFixedHeight(6)

        words = QVBoxLayout()
        words.setSpacing(4)  # the lines' own leading parts them; a short screen needs the height
        words.addStretch(1)
        self._lines = (
            self.title, self.secondary, self.reason, self.reason_secondary, self.holder, self.source
        )
        for label in self._lines:
            words.addWidget(label)
        words.addStretch(1)

        row = QHBoxLayout()
        row.setSpacing(40)
        row.addWidget(self.glyph, 1)
        row.addLayout(words, 2)
        self.row = row
        follow_aspect(self, row, self._turned)  # standing screens: the symbol over the words
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 8, 48, 4)
        outer.addLayout(row, 1)
        # The answers span the verdict's width under the symbol and the words: wide enough for
        # the visitor's name on a narrow screen, and no taller than one line of buttons.
        buttons = QHBoxLayout()
        buttons.addWidget(self.admit_button, 1)
        buttons.addWidget(self.deny_button, 1)
        outer.addLayout(buttons)
        outer.addWidget(self.countdown)
        self.retranslate()

    def _turned(self, portrait: bool) -> None:
        # Side by side the words line up on the left; stacked they centre under the symbol,
        # which then takes the top half instead of a third of the width.
        align = Qt.AlignmentFlag.AlignHCenter if portrait else Qt.AlignmentFlag.AlignLeft
        for label in self._lines:
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.row.setStretch(0, 1)
        self.row.setStretch(1, 1 if portrait else 2)

    def _answer_button(self, name: str, kind: str, admit: bool) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setProperty("kind", kind)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self._answer(admit))
        return button

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return label

    def render(
        self,
        shown: Shown | None,
        check: Check | None = None,
        *,
        answering: bool = False,
        left: float | None = None,
    ) -> None:
        """`check`: the waiting check this verdict is (its answers show); `left`: the share of
        the verdict's time left, for the countdown bar."""
        self.countdown.setVisible(left is not None)
        self.countdown.setValue(round((left or 0.0) * _STEPS))
        if (shown, check, answering) == (self._shown, self._check, self._answering):
            return
        if shown != self._shown:
            self._announce = shown is not None
        self._shown, self._check, self._answering = shown, check, answering
        self.retranslate()

    def retranslate(self) -> None:
        shown, check = self._shown, self._check
        who = f"\n{visitor_label(check)}" if check is not None else ""
        self.admit_button.setText("✓  " + QCoreApplication.translate("VerdictView", "Admit") + who)
        self.deny_button.setText("✕  " + QCoreApplication.translate("VerdictView", "Deny") + who)
        for button in (self.admit_button, self.deny_button):
            button.setVisible(check is not None)
            button.setEnabled(not self._answering)
        if shown is None:
            # Nothing personal may stay behind in a hidden widget either.
            for label in self._lines:
                label.clear()
            self.setProperty("verdict", "")
            restyle(self)
            return
        title = texts.verdict_title(shown.verdict)
        self.title.setText(title)
        self.secondary.setText(texts.secondary(texts.SECONDARY_TITLES[shown.verdict], title))
        self.secondary.setVisible(bool(self.secondary.text()))
        # The reason is said in plain words when it explains a refusal or a check, in both
        # languages like the title: staff and visitor may not share one.
        show_reason = shown.verdict is not Verdict.ADMIT or shown.reason not in (Reason.VALID, None)
        reason = texts.reason_text(shown.reason) if show_reason else ""
        self.reason.setText(reason)
        self.reason.setVisible(show_reason)
        self.reason_secondary.setText(texts.reason_secondary(shown.reason, reason) if show_reason else "")
        self.reason_secondary.setVisible(bool(self.reason_secondary.text()))
        self.holder.setText(shown.holder_masked or "")
        self.holder.setVisible(bool(shown.holder_masked))
        source = texts.verified_by_text(shown.verified_by)
        if shown.repeat:
            source += " · " + QCoreApplication.translate("VerdictView", "shown again, not logged twice")
        self.source.setText(source)
        self.setProperty("verdict", str(shown.verdict))
        p = self._theme.palette
        color = {Verdict.ADMIT: p.admit_text, Verdict.DENY: p.deny_text, Verdict.MANUAL: p.check_text}
        self.glyph.set_shape(_GLYPH[shown.verdict], QColor(color[shown.verdict]))
        restyle(self)

    def _answer(self, admit: bool) -> None:
        if self._check is not None:
            self.answer_requested.emit(self._check.visit_id, admit)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._announce and self._shown is not None:
            self._announce = False
            self.painted.emit(self._shown.visit_id or "")
