"""Icons drawn with QPainter, so they never depend on a font having the glyph."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class VerdictGlyph(QWidget):
    """A ring with a check mark (admit), a cross (deny) or an exclamation mark (check)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shape = "admit"
        self._color = QColor("#ffffff")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def set_shape(self, shape: str, color: QColor) -> None:
        self._shape = shape
        self._color = color
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height()) - 8
        if side <= 0:
            return
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self._color, side * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        inset = side * 0.06
        painter.drawEllipse(box.adjusted(inset, inset, -inset, -inset))
        x, y, s = box.x(), box.y(), side
        path = QPainterPath()
        if self._shape == "admit":
            path.moveTo(x + s * 0.28, y + s * 0.52)
            path.lineTo(x + s * 0.44, y + s * 0.68)
            path.lineTo(x + s * 0.73, y + s * 0.35)
            painter.drawPath(path)
        elif self._shape == "deny":
            painter.drawLine(QPointF(x + s * 0.33, y + s * 0.33), QPointF(x + s * 0.67, y + s * 0.67))
            painter.drawLine(QPointF(x + s * 0.67, y + s * 0.33), QPointF(x + s * 0.33, y + s * 0.67))
        else:
            painter.drawLine(QPointF(x + s * 0.5, y + s * 0.27), QPointF(x + s * 0.5, y + s * 0.56))
            painter.setBrush(self._color)
            painter.setPen(Qt.PenStyle.NoPen)
            r = s * 0.055
            painter.drawEllipse(QPointF(x + s * 0.5, y + s * 0.72), r, r)
        painter.end()


class HealthIcon(QWidget):
    """Status-bar health: a filled dot (online), a triangle (degraded), a crossed ring (offline)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._health = "online"
        self._color = QColor("#1b7d3a")
        self.setFixedSize(26, 26)

    def set_health(self, health: str, color: QColor) -> None:
        self._health = health
        self._color = color
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = min(self.width(), self.height())
        painter.setPen(QPen(self._color, 3))
        if self._health == "online":
            painter.setBrush(self._color)
            painter.drawEllipse(QRectF(4, 4, s - 8, s - 8))
        elif self._health == "degraded":
            path = QPainterPath()
            path.moveTo(s / 2, 3)
            path.lineTo(s - 3, s - 4)
            path.lineTo(3, s - 4)
            path.closeSubpath()
            painter.setBrush(self._color)
            painter.drawPath(path)
        else:
            painter.drawEllipse(QRectF(4, 4, s - 8, s - 8))
            painter.drawLine(QPointF(7, 7), QPointF(s - 7, s - 7))
        painter.end()
