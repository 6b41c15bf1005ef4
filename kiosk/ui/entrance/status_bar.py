"""The status bar, always visible: health, uploads pending, trust-list age, visits today, clock.

Each part is an icon or word plus colour (never colour alone). Tapping the bar
shows the detail line (last failure cause, next probe, last sync, and a refused trust
list or a clock more than 5 minutes off upstream's); the language
button and the "Manual log" button emit intents only.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.clock import SKEW_WARN_S
from kiosk.decision import Health
from kiosk.ui.entrance.glyphs import HealthIcon
from kiosk.ui.events import StatusSnapshot
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import FlowLayout
from kiosk.ui.resources.theme import Theme, restyle


def _clock(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M")


def _age(seconds: float) -> str:
    if seconds < 3600:
        return QCoreApplication.translate("StatusBar", "%1 min").replace("%1", str(int(seconds // 60)))
    if seconds < 72 * 3600:
        return QCoreApplication.translate("StatusBar", "%1 h").replace("%1", str(int(seconds // 3600)))
    return QCoreApplication.translate("StatusBar", "%1 days").replace("%1", str(int(seconds // 86_400)))


class StatusBar(Retranslating, QFrame):
    language_toggle_requested = Signal()
    manual_log_requested = Signal(str)
    detail_toggled = Signal(bool)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._snapshot: StatusSnapshot | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.icon = HealthIcon(self)
        self.health = self._label("health")
        self.pending = self._label("pending")
        self.trust = self._label("trust")
        self.visits = self._label("visits")
        self.clock = self._label("clock")
        self.detail = self._label("detail")
        self.detail.setWordWrap(True)
        self.detail.hide()
        self.manual_button = self._button(lambda: self.manual_log_requested.emit(""))
        self.language_button = self._button(self.language_toggle_requested.emit)

        row = FlowLayout()  # a narrow or standing screen wraps the bar onto a second line
        row.setSpacing(22)
        row.addWidget(self.icon)
        row.addWidget(self.health)
        for label in (self.pending, self.trust, self.visits):
            row.addWidget(label)
        row.addStretch(1)
        row.addWidget(self.manual_button)
        row.addWidget(self.language_button)
        row.addWidget(self.clock)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 6, 16, 6)
        box.addLayout(row)
        box.addWidget(self.detail)
        self.retranslate()

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        return label

    def _button(self, slot) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(self)
        button.setProperty("kind", "bar")
        # Buttons never take the keyboard focus: a handheld scanner's Enter must reach
        # the window as the end of a scan, not click a button.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    @property
    def detail_visible(self) -> bool:
        return not self.detail.isHidden()

    def render(self, snapshot: StatusSnapshot | None) -> None:
        self._snapshot = snapshot
        self.retranslate()

    def retranslate(self) -> None:
        self.manual_button.setText(QCoreApplication.translate("StatusBar", "Manual log"))
        # The button names the language it switches to, in that language.
        # The button names the language it switches to, in that language (an endonym, never translated).
        self.language_button.setText("English" if self._current_language() == "ko" else "한국어")
        s = self._snapshot
        if s is None:
            self.health.setText(QCoreApplication.translate("StatusBar", "Starting…"))
            for label in (self.pending, self.trust, self.visits, self.clock):
                label.clear()
            return
        health = s.health if s.online_configured else Health.OFFLINE
        self.health.setText(texts.health_text(health))
        self.health.setProperty("health", str(health))
        p = self._theme.palette
        color = {Health.ONLINE: p.ok, Health.DEGRADED: p.warn, Health.OFFLINE: p.bad}[health]
        self.icon.set_health(str(health), QColor(color))
        pending = QCoreApplication.translate("StatusBar", "Uploads pending: %1").replace(
            "%1", str(s.pending_uploads)
        )
        if s.quarantined_uploads:
            pending += " · " + QCoreApplication.translate("StatusBar", "%1 refused").replace(
                "%1", str(s.quarantined_uploads)
            )
        self.pending.setText(pending)
        if s.trust_updated_at is None:
            self.trust.setText(QCoreApplication.translate("StatusBar", "Trust list: none"))
        else:
            self.trust.setText(
                QCoreApplication.translate("StatusBar", "Trust list: %1").replace(
                    "%1", _age(max(0.0, s.at - s.trust_updated_at))
                )
            )
        self.trust.setProperty("level", s.trust_level)
        self.visits.setText(
            QCoreApplication.translate("StatusBar", "Visits today: %1").replace("%1", str(s.visits_today))
        )
        self.clock.setText(_clock(s.at))
        self.detail.setText(self._detail_text(s))
        for label in (self.health, self.trust):
            restyle(label)

    def _detail_text(self, s: StatusSnapshot) -> str:
        parts = [
            QCoreApplication.translate("StatusBar", "Last problem: %1").replace(
                "%1", texts.cause_text(s.last_failure)
            )
        ]
        if not s.online_configured:
            parts.append(
                QCoreApplication.translate(
                    "StatusBar", "No verification service configured: offline checks only"
                )
            )
        elif s.next_probe_at is not None:
            parts.append(
                QCoreApplication.translate("StatusBar", "Next try: %1").replace(
                    "%1", datetime.fromtimestamp(s.next_probe_at).strftime("%H:%M:%S")
                )
            )
        sync = (
            _clock(s.trust_updated_at)
            if s.trust_updated_at is not None
            else QCoreApplication.translate("StatusBar", "never")
        )
        parts.append(QCoreApplication.translate("StatusBar", "Last trust-list sync: %1").replace("%1", sync))
        if s.list_refused_at is not None:
            parts.append(
                QCoreApplication.translate(
                    "StatusBar", "A trust list failed its signature check at %1: the previous one is kept"
                ).replace("%1", _clock(s.list_refused_at))
            )
        if s.clock_skew_s is not None and abs(s.clock_skew_s) > SKEW_WARN_S:
            parts.append(
                QCoreApplication.translate(
                    "StatusBar", "The clock is %1 min off the verification service's: set the date and time"
                ).replace("%1", str(round(abs(s.clock_skew_s) / 60)))
            )
        return "  ·  ".join(parts)

    def _current_language(self) -> str:
        return str(self.property("language") or "ko")

    def set_language(self, language: str) -> None:
        self.setProperty("language", language)
        self.retranslate()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.detail.setVisible(self.detail.isHidden())
        self.detail_toggled.emit(self.detail_visible)
        super().mousePressEvent(event)

