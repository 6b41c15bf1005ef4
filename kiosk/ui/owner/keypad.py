"""A big on-screen numeric keypad shared by the PIN pad and the manual-log panel.

It only reports presses; what the digits mean is up to the widget that holds it.
Buttons take no keyboard focus, so Enter and digits typed on a hardware keyboard
go to the holder's own key handling and never "click" a focused button by accident.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

# The smallest touch target, on the smallest screen; the window's theme makes keys larger
# as the screen grows (kiosk/ui/resources/theme.py).
KEY_MIN_W = KEY_MIN_H = 48


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's font enlarged: readable at arm's length before (and if) a theme sets sizes."""
    font = widget.font()
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
    font.setBold(bold)
    return font


def owner_heading(parent: QWidget, factor: float = 2.2, *, bold: bool = True) -> QLabel:
    """The heading of an owner page (first run, recovery, a new recovery code)."""
    label = QLabel(parent)
    label.setObjectName("firstRunHeading")
    label.setWordWrap(True)
    label.setFont(scaled_font(label, factor, bold=bold))
    return label


def owner_text(parent: QWidget) -> QLabel:
    """The explanation under an owner page's heading."""
    label = QLabel(parent)
    label.setObjectName("firstRunText")
    label.setWordWrap(True)
    label.setFont(scaled_font(label, 1.5))
    return label


def make_button(text: str, kind: str, parent: QWidget | None = None) -> QPushButton:
    """A touch-sized button styled by the window theme through its `kind` property."""
    button = QPushButton(text, parent)
    button.setFont(scaled_font(button, 2.4 if kind == "key" else 1.6, bold=kind != "key"))
    button.setProperty("kind", kind)
    button.setMinimumSize(KEY_MIN_W, KEY_MIN_H)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return button


class NumericKeypad(QWidget):
    digit_pressed = Signal(str)
    back_pressed = Signal()
    action_pressed = Signal()

    def __init__(self, action_text: str, action_kind: str = "primary", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numericKeypad")
        grid = QGridLayout(self)
        grid.setSpacing(10)
        grid.setContentsMargins(0, 0, 0, 0)
        self.digit_buttons: dict[str, QPushButton] = {}
        for n, digit in enumerate("123456789"):
            self._add_digit(grid, digit, n // 3, n % 3)
        self.back_button = make_button(self.tr("Back"), "neutral", self)
        self.back_button.setObjectName("keyBack")
        self.back_button.clicked.connect(self.back_pressed)
        grid.addWidget(self.back_button, 3, 0)
        self._add_digit(grid, "0", 3, 1)
        self.action_button = make_button(action_text, action_kind, self)
        self.action_button.setObjectName("keyAction")
        self.action_button.clicked.connect(self.action_pressed)
        grid.addWidget(self.action_button, 3, 2)

    def _add_digit(self, grid: QGridLayout, digit: str, row: int, col: int) -> None:
        button = make_button(digit, "key", self)
        button.setObjectName(f"key{digit}")
        button.clicked.connect(lambda _checked=False, d=digit: self.digit_pressed.emit(d))
        self.digit_buttons[digit] = button
        grid.addWidget(button, row, col)

    def changeEvent(self, event: QEvent) -> None:
        # The action key's text belongs to the holder, which sets it again on the same event.
        if event.type() == QEvent.Type.LanguageChange:
            self.back_button.setText(self.tr("Back"))
        super().changeEvent(event)

    def set_keys_enabled(self, enabled: bool) -> None:
        for button in (*self.digit_buttons.values(), self.back_button, self.action_button):
            button.setEnabled(enabled)


def digit_of_key(key: int) -> str | None:
    """The digit of a key press (main row or numeric pad), else None."""
    if Qt.Key.Key_0.value <= key <= Qt.Key.Key_9.value:
        return str(key - Qt.Key.Key_0.value)
    return None
