"""The admin screen as a page of the main window: opened from the owner menu, closed by Back or idle.

The entrance cannot be served while the owner's screen is up (scans are ignored there,
like on the PIN pad: the owner is using the screen), so the page closes itself after
`idle_s` without a touch, a click or a key on it. A running export postpones that: the
owner is waiting for the file, and leaving would cancel it.

Settings saved on the screen take effect at once where the running window can apply
them (language, verdict and cooldown times, sound volume); camera and kiosk mode wait
for the next start, as the settings tab says. The screen is built on first use with the
app's own handles and kept. An open screen follows a language switch at once, every tab
(what the owner typed or chose stays); after a switch it is still rebuilt at its next
opening, which also hands it the services with the config now in force.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import Config
from kiosk.ui.admin.screen import AdminScreen
from kiosk.ui.admin.services import AdminServices
from kiosk.ui.controller import Controller
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.model import Screen, UiSettings

log = logging.getLogger(__name__)

ADMIN_IDLE_S = 180.0  # long enough to read the figures, short enough that a queue does not form
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
    }
)


class AdminPage(QObject):
    """Owns the admin screen's life in the window; `shutdown()` joins its jobs on app close."""

    def __init__(
        self,
        window: MainWindow,
        controller: Controller,
        build_services: Callable[[], AdminServices],
        *,
        set_volume: Callable[[int], None] | None = None,
        idle_s: float = ADMIN_IDLE_S,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._build_services = build_services
        self._set_volume = set_volume
        self.screen: AdminScreen | None = None
        self._services: AdminServices | None = None
        self._stale_language = False
        self._watching = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(1, int(idle_s * 1000)))
        self._idle.timeout.connect(self._on_idle)
        controller.state_changed.connect(self._on_state)

    @property
    def is_open(self) -> bool:
        return self._controller.state.screen is Screen.ADMIN

    @Slot()
    def open(self) -> None:
        """The owner chose "Admin" on the unlocked owner menu."""
        if self._controller.state.screen is not Screen.PIN:
            return
        screen = self._screen()
        self._controller.admin_opened()  # renders the page; its showEvent loads the figures
        if self.is_open:
            screen.setFocus()
            self._idle.start()
            app = QApplication.instance()
            if app is not None and not self._watching:
                app.installEventFilter(self)
                self._watching = True

    def _screen(self) -> AdminScreen:
        if self.screen is not None and self._stale_language and not self.is_open:
            self._dispose()
        if self.screen is None:
            if self._services is None:
                self._services = self._build_services()
            self.screen = AdminScreen(self._services)
            self.screen.closed.connect(self._on_closed)
            self.screen.settings_changed.connect(self.apply_settings)
            self._window.set_admin_screen(self.screen)
            self._stale_language = False
        return self.screen

    def _dispose(self) -> None:
        old = self.screen
        self.screen = None
        if old is not None:
            old.shutdown(2.0)
            old.hide()
            old.deleteLater()

    # --- leaving ---

    @Slot()
    def _on_closed(self) -> None:
        self._controller.admin_closed()

    @Slot(object)
    def _on_state(self, state: object) -> None:
        if self._watching and self._controller.state.screen is not Screen.ADMIN:
            self._stop_watching()

    def _stop_watching(self) -> None:
        self._idle.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    @Slot()
    def _on_idle(self) -> None:
        screen = self.screen
        if screen is None or not self.is_open:
            return
        export = screen.export.job
        if export is not None and export.running:
            self._idle.start()  # the owner waits for the file; closing would cancel it
            return
        log.info("admin screen closed after %.0f s without input", self._idle.interval() / 1000)
        screen.close_screen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        screen = self.screen
        if (
            screen is not None
            and event.type() in _ACTIVITY
            and isinstance(watched, QWidget)
            and (watched is screen or screen.isAncestorOf(watched))
        ):
            self._idle.start()
        return False

    # --- settings ---

    @Slot(object)
    def apply_settings(self, config: Config) -> None:
        """What the running window can change at once; the rest waits for the next start."""
        ui = config.ui
        self._controller.set_settings(UiSettings.from_config(ui))
        if self._set_volume is not None:
            self._set_volume(ui.sound_volume)
        language = config.kiosk.language
        if language != self._controller.state.language:
            self._controller.set_language(language)  # -> language_changed, via the app
        if self._services is not None:
            # Later openings read the figures with the config now in force (trust-age limits).
            self._services = replace(self._services, config=config)

    def language_changed(self) -> None:
        """The status bar switched the language: rebuild the screen at its next opening."""
        self._stale_language = True

    def shutdown(self) -> None:
        self._stop_watching()
        if self.screen is not None:
            self.screen.shutdown()

