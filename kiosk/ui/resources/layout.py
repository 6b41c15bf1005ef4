"""Layout helpers that let every page fit the screens venues buy, from 800×600 to portrait 1080×1920.

- `window_scale`: how much larger or smaller than the design screen (1280×800, or 800×1280
  standing) the window is; the theme multiplies every font and touch size by it.
- `follow_aspect`: a box that lays its parts side by side on a wide widget and stacks them
  on a tall one (the verdict's symbol over its words in portrait).
- `scrolling`: a page that may be taller than the window (forms, tables) scrolls instead of
  pushing the window's minimum size past the screen.
- `FlowLayout`: a row that wraps onto the next line when it runs out of width (the status bar).
- `ScrollingTabs`: tabs whose pages scroll, reached as the tabs' own pages.
- `PageStack`: a stack of pages sized by the page on show, so a page built once and hidden
  (the admin screen) never holds the window above the screen's size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

# The screen the sizes in the theme were chosen for, lying down (long side first).
DESIGN_LONG, DESIGN_SHORT = 1280, 800
# Below this, text gets too small to read at arm's length; above it, a verdict title outgrows the line.
MIN_SCALE, MAX_SCALE = 0.6, 2.0
SCALE_STEP = 0.05  # a window dragged by a pixel keeps its fonts: the sheet is redone per step only


def window_scale(width: int, height: int) -> float:
    """The factor for fonts and touch sizes in a `width`×`height` window, in steps of `SCALE_STEP`.

    Taken from the long and the short side alike, so a standing screen gets the sizes of the
    same screen lying down and the tall page fits the narrow width too.
    """
    long_side, short_side = max(width, height), min(width, height)
    if short_side <= 0:
        return 1.0
    raw = min(long_side / DESIGN_LONG, short_side / DESIGN_SHORT)
    stepped = math.floor(raw / SCALE_STEP + 1e-9) * SCALE_STEP  # down: a step never outgrows the window
    return round(min(MAX_SCALE, max(MIN_SCALE, stepped)), 2)


def is_portrait(size: QSize) -> bool:
    return size.height() > size.width()


class _AspectFollower(QObject):
    def __init__(self, widget: QWidget, box: QBoxLayout, turned: Callable[[bool], None] | None) -> None:
        super().__init__(widget)
        self._box, self._turned = box, turned
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            portrait = is_portrait(watched.size())
            direction = QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
            if self._box.direction() != direction:
                self._box.setDirection(direction)
                if self._turned is not None:
                    self._turned(portrait)
        return False


def follow_aspect(widget: QWidget, box: QBoxLayout, turned: Callable[[bool], None] | None = None) -> None:
    """Lay `box` out left to right while `widget` is wider than tall, top to bottom otherwise;
    `turned(portrait)` is called after each turn, for what else the page arranges differently."""
    _AspectFollower(widget, box, turned)


def scrolling(page: QWidget, name: str = "") -> QScrollArea:
    """`page` inside a frameless scroll area that shows scroll bars only when the page does not fit."""
    area = QScrollArea()
    area.setObjectName(name or f"{page.objectName() or 'page'}Scroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(page)
    # Without a background of its own, the viewport shows the page's (the window's sheet paints it).
    area.viewport().setAutoFillBackground(False)
    page.setAutoFillBackground(False)
    return area


class ScrollingTabs(QTabWidget):
    """A QTabWidget whose pages scroll when they do not fit; `widget`, `currentWidget`,
    `indexOf` and `setCurrentWidget` speak of the pages themselves, not of their scroll areas."""

    def addTab(self, page: QWidget, label: str) -> int:  # type: ignore[override]
        return super().addTab(scrolling(page), label)

    def widget(self, index: int) -> QWidget | None:
        area = super().widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:  # type: ignore[override]
        return next((i for i in range(self.count()) if self.widget(i) is page), -1)

    def setCurrentWidget(self, page: QWidget) -> None:  # type: ignore[override]
        self.setCurrentIndex(self.indexOf(page))


class PageStack(QStackedWidget):
    """A QStackedWidget whose sizes are those of the page on show (Qt's are the largest page's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self._changed)

    def _changed(self, _index: int) -> None:
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new line when the width runs out.

    `addStretch()` works as in a row: the stretch takes its line's spare width, so what
    follows it sits at the right end of the line it lands on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = 12

    # --- QLayout ---

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))

    def setSpacing(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    def spacing(self) -> int:
        return self._spacing

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        # One line: the width it wants; the height is what the line takes.
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # --- placing ---

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty() or isinstance(i, QSpacerItem)]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            w = item.sizeHint().width()
            if lines[-1] and used + self._spacing + w > width:
                lines.append([])
                used = 0
            used += (self._spacing if lines[-1] else 0) + w
            lines[-1].append(item)
        return lines

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = inner.y()
        stretched = False  # a line that wrapped after the stretch keeps to the right, as it would have
        for line in self._lines(inner.width()):
            solid = [i for i in line if not isinstance(i, QSpacerItem)]
            if not solid:
                stretched = stretched or len(solid) != len(line)
                continue
            height = max(i.sizeHint().height() for i in solid)
            used = sum(i.sizeHint().width() for i in line) + self._spacing * (len(line) - 1)
            stretches = [i for i in line if isinstance(i, QSpacerItem)]
            spare = max(0, inner.width() - used) // len(stretches) if stretches else 0
            x = inner.x() + (max(0, inner.width() - used) if stretched and not stretches else 0)
            stretched = stretched or bool(stretches)
            for item in line:
                w = item.sizeHint().width() + (spare if isinstance(item, QSpacerItem) else 0)
                w = min(w, inner.width())
                if move:
                    tall = item.expandingDirections() & Qt.Orientation.Vertical
                    h = height if tall else item.sizeHint().height()
                    h = min(max(h, item.minimumSize().height()), height)
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                x += w + self._spacing
            y += height + self._spacing
        return max(0, y - self._spacing - inner.y()) + m.top() + m.bottom()
