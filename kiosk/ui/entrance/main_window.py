"""The main window: a stack of pages (preview, verdict, slots) beside an earlier verdict and the
history strip, over the staff strip and the status bar.

It renders a `ScreenState` and emits intents; it decides nothing. Some pages are
slots for widgets built elsewhere (the manual-log panel, the staff PIN pad, the owner
PIN pad): install them with `set_manual_log_panel` / `set_staff_pin_pad` /
`set_pin_pad`. Until then an honest placeholder says the feature is not installed
and offers a way back.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QInputMethodEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.ui.entrance.kiosk_mode import CornerHotspot, IdleCursor
from kiosk.ui.entrance.preview import PreviewView
from kiosk.ui.entrance.recent_verdicts import BesideCard, HistoryStrip
from kiosk.ui.entrance.staff_strip import ROWS, StaffStrip
from kiosk.ui.entrance.status_bar import StatusBar
from kiosk.ui.entrance.verdict import VerdictView
from kiosk.ui.model import (
    ENTRANCE,
    Screen,
    ScreenState,
    check_on_screen,
    countdown,
    outage_banner,
    shown_health,
    staff_unlock_offered,
    visitor_hint,
)
from kiosk.ui.resources.layout import PageStack, follow_aspect, window_scale
from kiosk.ui.resources.theme import Theme
from kiosk.ui.wedge import ENTER, TAB, WedgeTiming
from kiosk.ui.wedge_input import WedgeInput, WedgeOutcome

# How often a scan with no Enter or Tab after it is looked at: well under the wedge's end gap.
WEDGE_TICK_MS = 30


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
STAFF_PIN_MISSING = QT_TRANSLATE_NOOP("MainWindow", "The staff PIN pad is not installed on this kiosk.")
ANSWER_FAILED = QT_TRANSLATE_NOOP("MainWindow", "The answer could not be saved. Please answer again.")
ANSWERED_ELSEWHERE = QT_TRANSLATE_NOOP("MainWindow", "That visitor was already answered.")
ADMIN_MISSING = QT_TRANSLATE_NOOP("MainWindow", "The admin screen is not installed on this kiosk.")


class MainWindow(QMainWindow):
    # Intents, for the controller (kiosk/ui/controller.py) and the slot widgets' integration.
    scan_entered = Signal(str)  # a keyboard-wedge scan (kiosk/ui/wedge_input.py), to verify
    wedge_notice = Signal(str)  # a WedgeNotice for staff instead of a verdict
    wedge_flooded = Signal(int, float)  # the scanner sent garbage: this many scans within seconds
    manual_log_requested = Signal(str)  # the panel for a visitor with no pass who leaves a number ("")
    answer_requested = Signal(str, bool)  # a waiting check's visit id ("" = a visitor with no pass), admit
    set_aside_requested = Signal(str)  # a waiting check's visit id
    staff_requested = Signal()  # the status bar's Staff button: unlock the staff tools
    staff_lock_requested = Signal()
    leave_requested = Signal()  # the long press in kiosk mode
    language_toggle_requested = Signal()
    panel_closed = Signal()  # a slot page's Back
    admin_closed = Signal()  # the admin placeholder's Back (the real screen has its own `closed`)

    def __init__(
        self, clock: Clock, theme: Theme | None = None, *, title: str = "", wedge: WedgeTiming | None = None
    ) -> None:
        """`clock` times the keyboard wedge's keys (the app's clock, like the camera's scans)."""
        super().__init__()
        self._clock = clock
        # The scan target takes keys, never an input method's composition: a scanner's keys
        # must arrive as the Latin characters they stand for, whatever mode the keyboard is in.
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.theme = theme or Theme()
        self.setStyleSheet(self.theme.stylesheet())
        self.setWindowTitle(title or QCoreApplication.translate("MainWindow", "Venue Pass Kiosk"))
        self.preview = PreviewView()
        self.verdict = VerdictView(self.theme)
        self.status_bar = StatusBar(self.theme)
        self._manual_placeholder = _Placeholder(MANUAL_MISSING)
        self._pin_placeholder = _Placeholder(PIN_MISSING)
        self._staff_pin_placeholder = _Placeholder(STAFF_PIN_MISSING)
        self._admin_placeholder = _Placeholder(ADMIN_MISSING)
        self.manual_slot: QWidget = self._manual_placeholder
        self.pin_slot: QWidget = self._pin_placeholder
        self.staff_pin_slot: QWidget = self._staff_pin_placeholder
        self.admin_slot: QWidget = self._admin_placeholder
        # Until a first-run flow is installed, a fresh install shows the PIN placeholder.
        self.first_run_slot: QWidget = self._pin_placeholder
        # The entrance is one page: preview or verdict, the earlier verdict beside, the staff
        # and history strips under them. As one page of the stack, its strips add to its own
        # height only, never to a taller page's (the PIN pad's) that is not on screen. The preview
        # and the verdict are sized by the one on show: a hidden verdict keeps the shape of the
        # last screen it was shown on (stacked in portrait), which must not hold a wide one.
        self.screens = PageStack()
        self.screens.addWidget(self.preview)
        self.screens.addWidget(self.verdict)
        self.beside = BesideCard()
        self.staff_strip = StaffStrip()
        self.history = HistoryStrip()
        self.entrance = QWidget()
        self.entrance.setObjectName("entrance")
        entrance = QVBoxLayout(self.entrance)
        entrance.setContentsMargins(0, 0, 0, 0)
        entrance.setSpacing(0)
        # The earlier verdict and the history share a side: a column beside the verdict on a
        # lying screen (short of height, not of width), a band under it on a standing one.
        self.side = QWidget()
        self.side.setObjectName("entranceSide")
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(self.beside, 1)
        side.addWidget(self.history)
        self._top = top = QHBoxLayout()
        top.setSpacing(0)
        top.addWidget(self.screens, 3)
        top.addWidget(self.side, 1)
        entrance.addLayout(top, 1)
        follow_aspect(self, top, self._turned)
        self._turned(False)
        entrance.addWidget(self.staff_strip)
        self.pages = PageStack()  # sized by the page on show: a hidden admin screen never widens it
        for page in (self.entrance, self.manual_slot, self.staff_pin_slot, self.pin_slot, self.admin_slot):
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

        self.verdict.answer_requested.connect(self.answer_requested)
        self.staff_strip.answer_requested.connect(self.answer_requested)
        self.staff_strip.set_aside_requested.connect(self.set_aside_requested)
        self.staff_strip.phone_requested.connect(lambda: self.manual_log_requested.emit(""))
        self.staff_strip.lock_requested.connect(self.staff_lock_requested)
        self.status_bar.staff_requested.connect(self.staff_requested)
        self.status_bar.language_toggle_requested.connect(self.language_toggle_requested)
        self._manual_placeholder.back.connect(self.panel_closed)
        self._pin_placeholder.back.connect(self.panel_closed)
        self._staff_pin_placeholder.back.connect(self.panel_closed)
        self._admin_placeholder.back.connect(self.admin_closed)

        self._state: ScreenState | None = None
        self._wedge = WedgeInput(wedge)
        self._wedge_timer = QTimer(self)
        self._wedge_timer.setInterval(WEDGE_TICK_MS)
        self._wedge_timer.timeout.connect(self._wedge_tick)
        self._kiosk = False
        self._allow_close = True
        self._corner: CornerHotspot | None = None
        self._cursor: IdleCursor | None = None

    def _turned(self, portrait: bool) -> None:
        # A lying screen is short: the verdict keeps the height, the earlier verdict takes a
        # column beside it and the staff strip lists one waiting check (the count says how
        # many more). A standing one has height to spare: the earlier verdict is a band under
        # the verdict and the strip lists three.
        self._top.setStretch(0, 1 if portrait else 3)
        self._top.setStretch(1, 0 if portrait else 1)
        self.beside.set_standing(portrait)
        self.staff_strip.set_rows(ROWS if portrait else 1)

    # --- slots for widgets built elsewhere ---

    def set_manual_log_panel(self, widget: QWidget) -> None:
        """Install the manual-log panel; it should call the controller's staff_answered/panel_closed."""
        self.manual_slot = self._replace(self.manual_slot, widget)

    def set_staff_pin_pad(self, widget: QWidget) -> None:
        """Install the staff PIN pad; it should call the controller's staff_unlocked/panel_closed."""
        self.staff_pin_slot = self._replace(self.staff_pin_slot, widget)

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
        verifying = state.screen is Screen.VERIFYING
        outage, hint = outage_banner(state), visitor_hint(state)
        self.preview.render(camera_ok=state.camera_ok, verifying=verifying, outage=outage, hint=hint)
        check = check_on_screen(state)
        answering = check is not None and state.checks.is_answering(check.visit_id)
        shown = state.shown if state.screen is Screen.VERDICT else None
        self.verdict.render(shown, check, answering=answering, left=countdown(state))
        entrance = state.screen in ENTRANCE
        # Earlier verdicts and waiting checks stay in view on the entrance screens only.
        self.beside.render(state.beside if entrance else None)
        self.history.render(state.history if entrance else ())
        self.history.setVisible(entrance and bool(state.history))
        self.side.setVisible(not (self.beside.isHidden() and self.history.isHidden()))
        self.staff_strip.render(state, self._error_text(state.staff_error))
        self.status_bar.render(state.status, health=shown_health(state), camera_ok=state.camera_ok)
        self.status_bar.staff_button.setVisible(staff_unlock_offered(state))
        screen = self.verdict if state.screen is Screen.VERDICT else self.preview
        if self.screens.currentWidget() is not screen:
            self.screens.setCurrentWidget(screen)
        page = {
            Screen.IDLE: self.entrance,
            Screen.VERIFYING: self.entrance,
            Screen.VERDICT: self.entrance,
            Screen.MANUAL_LOG: self.manual_slot,
            Screen.STAFF_PIN: self.staff_pin_slot,
            Screen.PIN: self.pin_slot,
            Screen.FIRST_RUN: self.first_run_slot,
            Screen.ADMIN: self.admin_slot,
        }[state.screen]
        if self.pages.currentWidget() is not page:
            self.pages.setCurrentWidget(page)

    def shown_page(self) -> QWidget:
        """The page on screen: the preview or the verdict on the entrance, else the stack's page."""
        page = self.pages.currentWidget()
        return self.screens.currentWidget() if page is self.entrance else page

    @staticmethod
    def _error_text(key: str | None) -> str:
        if key is None:
            return ""
        words = ANSWERED_ELSEWHERE if key == "store.unknown_visit" else ANSWER_FAILED
        return QCoreApplication.translate("MainWindow", words)

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
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            char = ENTER
        elif key == Qt.Key.Key_Tab:
            char = TAB
        else:
            char = event.text()
        if char in (ENTER, TAB, "\n") or (char and char.isprintable()):
            self._wedge_keys(char)
            event.accept()
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Input methods are off here; one that commits text anyway still types the scan.
        self._wedge_keys(event.commitString())
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        # On the entrance, Tab is the end of a scan (scanners set up with a Tab suffix), not a
        # move of the focus; the staff panels keep their Tab order.
        if self.pages.currentWidget() is self.entrance:
            return False
        return super().focusNextPrevChild(next)

    def _wedge_keys(self, chars: str) -> None:
        now = self._clock.monotonic()
        for char in chars:
            self._wedge_out(self._wedge.key(char, now))
        if self._wedge.pending and not self._wedge_timer.isActive():
            self._wedge_timer.start()

    def _wedge_tick(self) -> None:
        self._wedge_out(self._wedge.tick(self._clock.monotonic()))
        if not self._wedge.pending and not self._wedge.guard.flooding:
            self._wedge_timer.stop()

    def _wedge_out(self, outcome: WedgeOutcome) -> None:
        for text in outcome.scans:
            self.scan_entered.emit(text)
        if outcome.notice is not None:
            self.wedge_notice.emit(outcome.notice.value)
        if outcome.flood_started:
            guard = self._wedge.guard
            self.wedge_flooded.emit(guard.limit + 1, guard.window_s)

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
            self._staff_pin_placeholder.retranslate()
            self._admin_placeholder.retranslate()
            if self._state is not None:
                self.render(self._state)  # the staff strip's error line
        super().changeEvent(event)
