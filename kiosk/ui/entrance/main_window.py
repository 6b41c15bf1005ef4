"""The main window: a stack of pages (preview, verdict, manual-log slot, PIN slot) over the status bar.

It renders a `ScreenState` and emits intents; it decides nothing. Two pages are
slots for widgets built elsewhere (the manual-log panel and the PIN pad): install
them with `set_manual_log_panel` / `set_pin_pad`. Until then an honest placeholder
says the feature is not installed and offers a way back.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QMainWindow, QPushButton, QVBoxLayout, QWidget

from kiosk.clock import Clock
from kiosk.ui.entrance.kiosk_mode import CornerHotspot, IdleCursor
from kiosk.ui.entrance.preview import PreviewView
from kiosk.ui.entrance.status_bar import StatusBar
from kiosk.ui.entrance.verdict import VerdictView
from kiosk.ui.model import Screen, ScreenState, manual_log_offered
from kiosk.ui.resources.layout import PageStack, window_scale
from kiosk.ui.resources.theme import Theme

# A handheld scanner types a whole pass in well under this gap between keys; a longer
# pause means the buffer holds a person's stray key presses, which are dropped.
WEDGE_GAP_S = 0.5
WEDGE_MAX_CHARS = 8192


class _Placeholder(QWidget):
    """A slot's page until the real widget is installed: says so, and leads back."""

    back = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.label = QLabel(self)
        self.label.setObjectName("previewNotice")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.setProperty("kind", "neutral")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.back.emit)
        box = QVBoxLayout(self)
        box.addStretch(1)
        box.addWidget(self.label)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(QCoreApplication.translate("MainWindow", self._what))
        self.button.setText(QCoreApplication.translate("MainWindow", "Back"))


MANUAL_MISSING = QT_TRANSLATE_NOOP("MainWindow", "The manual-log panel is not installed on this kiosk.")
PIN_MISSING = QT_TRANSLATE_NOOP("MainWindow", "The owner PIN pad is not installed on this kiosk.")
ADMIN_MISSING = QT_TRANSLATE_NOOP("MainWindow", "The admin screen is not installed on this kiosk.")


class MainWindow(QMainWindow):
    # Intents, for the controller (kiosk/ui/controller.py) and the slot widgets' integration.
    scan_entered = Signal(str)  # a keyboard-wedge scan (text ended by Enter)
    manual_log_requested = Signal(str)  # visit id of a CHECK verdict, or "" from the status bar
    leave_requested = Signal()  # the long press in kiosk mode
    language_toggle_requested = Signal()
    panel_closed = Signal()  # a slot page's Back
    admin_closed = Signal()  # the admin placeholder's Back (the real screen has its own `closed`)

    def __init__(self, clock: Clock, theme: Theme | None = None, *, title: str = "") -> None:
        """`clock` times the keyboard wedge's keys (the app's clock, like the camera's scans)."""
        super().__init__()
        self._clock = clock
        self.theme = theme or Theme()
        self.setStyleSheet(self.theme.stylesheet())
        self.setWindowTitle(title or QCoreApplication.translate("MainWindow", "Venue Pass Kiosk"))
        self.preview = PreviewView()
        self.verdict = VerdictView(self.theme)
        self.status_bar = StatusBar(self.theme)
        self._manual_placeholder = _Placeholder(MANUAL_MISSING)
        self._pin_placeholder = _Placeholder(PIN_MISSING)
        self._admin_placeholder = _Placeholder(ADMIN_MISSING)
        self.manual_slot: QWidget = self._manual_placeholder
        self.pin_slot: QWidget = self._pin_placeholder
        self.admin_slot: QWidget = self._admin_placeholder
        # Until a first-run flow is installed, a fresh install shows the PIN placeholder.
        self.first_run_slot: QWidget = self._pin_placeholder
        self.pages = PageStack()  # sized by the page on show: a hidden admin screen never widens it
        for page in (self.preview, self.verdict, self.manual_slot, self.pin_slot, self.admin_slot):
            self.pages.addWidget(page)
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.pages, 1)
        box.addWidget(self.status_bar)
        self.setCentralWidget(central)
        # The window takes the size it is given (the screen's) whatever its pages ask: its sheet
        # then scales to that size (resizeEvent). A minimum from the old scale would hold the window
        # larger than a smaller screen it moves to; the layout test checks each page fits.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.verdict.manual_log_requested.connect(self.manual_log_requested)
        self.status_bar.manual_log_requested.connect(self.manual_log_requested)
        self.status_bar.language_toggle_requested.connect(self.language_toggle_requested)
        self._manual_placeholder.back.connect(self.panel_closed)
        self._pin_placeholder.back.connect(self.panel_closed)
        self._admin_placeholder.back.connect(self.admin_closed)

        self._state: ScreenState | None = None
        self._wedge: list[str] = []
        self._wedge_last = 0.0
        self._kiosk = False
        self._allow_close = True
        self._corner: CornerHotspot | None = None
        self._cursor: IdleCursor | None = None

    # --- slots for widgets built elsewhere ---

    def set_manual_log_panel(self, widget: QWidget) -> None:
        """Install the manual-log panel; it should call the controller's staff_answered/panel_closed."""
        self.manual_slot = self._replace(self.manual_slot, widget)

    def set_pin_pad(self, widget: QWidget) -> None:
        """Install the owner PIN pad; it should call the controller's pin_accepted/panel_closed."""
        self.pin_slot = self._replace(self.pin_slot, widget)

    def set_admin_screen(self, widget: QWidget) -> None:
        """Install the owner's admin screen (shown while the screen is ADMIN, above the status bar)."""
        self.admin_slot = self._replace(self.admin_slot, widget)

    def set_first_run(self, widget: QWidget) -> None:
        """Install the owner's first-run flow (shown while the screen is FIRST_RUN)."""
        if self.first_run_slot is self._pin_placeholder:
            self.pages.addWidget(widget)
            widget.ensurePolished()
            self.first_run_slot = widget
        else:
            self.first_run_slot = self._replace(self.first_run_slot, widget)

    def _replace(self, old: QWidget, new: QWidget) -> QWidget:
        index = self.pages.indexOf(old)
        self.pages.insertWidget(index, new)
        self.pages.removeWidget(old)
        new.ensurePolished()  # measured in the window's sheet from the start (see _polish_pages)
        return new

    # --- rendering ---

    def render(self, state: ScreenState) -> None:
        self._state = state
        self.preview.render(camera_ok=state.camera_ok, verifying=state.screen is Screen.VERIFYING)
        self.verdict.render(state.shown if state.screen is Screen.VERDICT else None)
        self.status_bar.render(state.status)
        self.status_bar.manual_button.setVisible(manual_log_offered(state))
        page = {
            Screen.IDLE: self.preview,
            Screen.VERIFYING: self.preview,
            Screen.VERDICT: self.verdict,
            Screen.MANUAL_LOG: self.manual_slot,
            Screen.PIN: self.pin_slot,
            Screen.FIRST_RUN: self.first_run_slot,
            Screen.ADMIN: self.admin_slot,
        }[state.screen]
        if self.pages.currentWidget() is not page:
            self.pages.setCurrentWidget(page)

    def show_frame(self, image: QImage) -> None:
        if self.isVisible():  # a frame queued before shutdown must not repaint a closed window
            self.preview.set_frame(image)

    # --- kiosk mode ---

    def enter_kiosk_mode(self, *, hold_ms: int = 3000, cursor_idle_ms: int = 3000) -> None:
        self._kiosk = True
        self._allow_close = False
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.install_owner_corner(hold_ms=hold_ms)
        self._cursor = IdleCursor(self, idle_ms=cursor_idle_ms)
        self.showFullScreen()

    def install_owner_corner(self, *, hold_ms: int = 3000) -> None:
        """The long press on the top-right corner that asks for the owner PIN (owner menu, admin).

        In kiosk mode it is the only way out; in a normal window it is how the owner
        reaches the admin screen, so both get the same deliberate gesture.
        """
        if self._corner is None:
            self._corner = CornerHotspot(self, hold_ms=hold_ms)
            self._corner.long_pressed.connect(self.leave_requested)
            self._corner.show()

    @property
    def kiosk_mode(self) -> bool:
        return self._kiosk

    @property
    def corner(self) -> CornerHotspot | None:
        return self._corner

    def allow_close(self) -> None:
        """Called by the app once the owner's PIN was accepted (or on shutdown)."""
        self._allow_close = True
        if self._cursor is not None:
            self._cursor.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close:
            event.ignore()  # Alt+F4 and the window manager's close do nothing in kiosk mode
            return
        super().closeEvent(event)

    # --- keyboard wedge ---

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            event.accept()  # never leaves full screen or closes anything
            return
        now = self._clock.monotonic()
        if now - self._wedge_last > WEDGE_GAP_S:
            self._wedge.clear()
        self._wedge_last = now
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = "".join(self._wedge)
            self._wedge.clear()
            if text.strip():
                self.scan_entered.emit(text)
            event.accept()
            return
        if event.text() and event.text().isprintable() and len(self._wedge) < WEDGE_MAX_CHARS:
            self._wedge.append(event.text())
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Text and touch targets follow the screen: the sheet is redone when the scale steps.
        scale = window_scale(self.width(), self.height())
        if scale != self.theme.scale:
            self.theme = replace(self.theme, scale=scale)
            self.setStyleSheet(self.theme.stylesheet())
            self._polish_pages()
        super().resizeEvent(event)

    def _polish_pages(self) -> None:
        # A page never shown is polished only when it appears, so until then it measures itself
        # in its constructor's fonts; a page that grew the window on its first appearance would
        # push a full-screen window's bottom off the screen.
        for index in range(self.pages.count()):
            self.pages.widget(index).ensurePolished()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._manual_placeholder.retranslate()
            self._pin_placeholder.retranslate()
            self._admin_placeholder.retranslate()
        super().changeEvent(event)
