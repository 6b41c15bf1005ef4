"""The last 24 hours as a picture: the connection's health as a coloured band, scans per hour as bars.

Painted with QPainter from the snapshot (the same colours as the outage report's SVG),
so it needs no file, no browser and no plotting library.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.owner_tools.admin_snapshot import DAY_S, AdminSnapshot
from kiosk.owner_tools.timeline_svg import STATE_COLOURS
from kiosk.ui.resources.i18n import Retranslating

BAR_COLOUR = "#1565c0"


class HealthTimeline(QWidget):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthTimeline")
        self._tz = tz
        self._snap: AdminSnapshot | None = None
        self.setMinimumHeight(260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def render_snapshot(self, snap: AdminSnapshot) -> None:
        self._snap = snap
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        snap = self._snap
        if snap is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, right, top = 56.0, 32.0, 10.0
        width = max(1.0, self.width() - left - right)
        band_h = 36.0
        bars_top = top + band_h + 24
        bars_h = max(40.0, self.height() - bars_top - 30)
        since = snap.at - DAY_S

        def x(t: float) -> float:
            return left + width * (t - since) / DAY_S

        for span in snap.health:
            colour = QColor(STATE_COLOURS.get(span.state, STATE_COLOURS["unknown"]))
            p.fillRect(QRectF(x(span.start), top, max(1.0, x(span.end) - x(span.start)), band_h), colour)

        peak = max(snap.scans_per_hour) or 1
        slot = width / 24
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(BAR_COLOUR))
        for hour, count in enumerate(snap.scans_per_hour):
            h = bars_h * count / peak
            p.drawRect(QRectF(left + hour * slot + 1, bars_top + bars_h - h, slot - 2, h))

        p.setPen(self.palette().windowText().color())
        p.drawText(
            QRectF(0, top, left - 6, band_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, ""
        )
        p.drawText(
            QRectF(0, bars_top, left - 6, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            str(peak),
        )
        p.drawLine(int(left), int(bars_top + bars_h), int(left + width), int(bars_top + bars_h))
        # Hour ticks every 3 hours, in local time.
        first_tick = (int(since // 3600) + 1) * 3600
        for t in range(first_tick, int(snap.at) + 1, 3600):
            local = datetime.fromtimestamp(t, self._tz)
            if local.hour % 3:
                continue
            tx = x(t)
            p.drawLine(int(tx), int(bars_top + bars_h), int(tx), int(bars_top + bars_h + 4))
            p.drawText(
                QRectF(tx - 30, bars_top + bars_h + 6, 60, 18),
                Qt.AlignmentFlag.AlignHCenter,
                f"{local:%H:%M}",
            )
        p.end()


def _swatch(colour: str, parent: QWidget) -> tuple[QWidget, QLabel]:
    """A colour box and its legend label (the label's text is set by the tab's retranslate())."""
    w = QWidget(parent)
    row = QHBoxLayout(w)
    row.setContentsMargins(0, 0, 12, 0)
    box = QLabel(w)
    box.setFixedSize(18, 18)
    box.setStyleSheet(f"background: {colour};")
    text = QLabel(w)
    row.addWidget(box)
    row.addWidget(text)
    return w, text


LEGEND = ("online", "degraded", "offline", "unknown")


class HealthTab(Retranslating, QWidget):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._snap: AdminSnapshot | None = None
        self.title = QLabel(self)
        self.timeline = HealthTimeline(tz, self)
        legend = QHBoxLayout()
        self._legend: list[QLabel] = []
        for colour in [*(STATE_COLOURS[state] for state in LEGEND), BAR_COLOUR]:
            swatch, text = _swatch(colour, self)
            legend.addWidget(swatch)
            self._legend.append(text)
        legend.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("healthSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline, 1)
        layout.addLayout(legend)
        layout.addWidget(self.summary)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Connection to the verification service, last 24 hours"))
        names = (
            self.tr("online"),
            self.tr("slow"),
            self.tr("offline"),
            self.tr("no record"),
            self.tr("scans per hour"),
        )
        for label, name in zip(self._legend, names, strict=True):
            label.setText(name)
        if self._snap is not None:
            self._summary(self._snap)

    def render(self, snap: AdminSnapshot) -> None:
        self._snap = snap
        self.timeline.render_snapshot(snap)
        self._summary(snap)

    def _summary(self, snap: AdminSnapshot) -> None:
        # The outage report's own outages (unstable and offline in a row are one), so the two agree.
        down = sum(end - start for start, end in snap.outages)
        if snap.outages and down < 60:
            duration = self.tr("less than a minute")
        else:
            duration = self.tr("%n minute(s)", "", round(down / 60))
        self.summary.setText(
            self.tr("%n outage(s) in the last 24 hours, %1 in all; %2 scans.", "", len(snap.outages))
            .replace("%1", duration)
            .replace("%2", str(sum(snap.scans_per_hour)))
        )
