"""Kiosk mode helpers: the long press on a corner that asks to leave, and the idle cursor.

Leaving must be deliberate and owner-only: a 3-second press on the top-right corner
emits an intent; the PIN check decides (wired by the composition root).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

LONG_PRESS_MS = 3000
CURSOR_IDLE_MS = 3000
CORNER_PX = 96


class CornerHotspot(QWidget):
    """An invisible square in the top-right corner; holding it for LONG_PRESS_MS emits `long_pressed`."""

    long_pressed = Signal()

    def __init__(self, parent: QWidget, *, hold_ms: int = LONG_PRESS_MS) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFixedSize(CORNER_PX, CORNER_PX)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.long_pressed.emit)
        parent.installEventFilter(self)
        self._place()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width(), 0)
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # Let go early and nothing happens: a visitor brushing the corner cannot leave.
        self._timer.stop()
        event.accept()


class IdleCursor(QObject):
    """Hides the mouse cursor after CURSOR_IDLE_MS without movement; any movement shows it again."""

    def __init__(self, parent: QObject, *, idle_ms: int = CURSOR_IDLE_MS) -> None:
        super().__init__(parent)
        self._hidden = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self._hide)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    @property
    def hidden(self) -> bool:
        return self._hidden

    def _hide(self) -> None:
        if not self._hidden:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._hidden = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            if self._hidden:
                QApplication.restoreOverrideCursor()
                self._hidden = False
            self._timer.start()
        return False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._hidden:
            QApplication.restoreOverrideCursor()
            self._hidden = False
