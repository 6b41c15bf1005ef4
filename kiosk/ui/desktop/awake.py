"""Keep the screen on while the kiosk runs; silent where the platform offers no way.

Linux desktops: the freedesktop ScreenSaver D-Bus API through QtDBus. Windows:
SetThreadExecutionState on the GUI thread (it lasts as long as that thread).
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

_ES_CONTINUOUS = 0x80000000
_ES_SYSTEM_REQUIRED = 0x00000001
_ES_DISPLAY_REQUIRED = 0x00000002


class ScreenAwake:
    def __init__(self) -> None:
        self._cookie: int | None = None
        self._iface: object | None = None
        self._windows = False

    @property
    def active(self) -> bool:
        return self._cookie is not None or self._windows

    def inhibit(self, reason: str = "Verifying passes at the entrance") -> bool:
        try:
            if sys.platform == "win32":
                return self._inhibit_windows()
            return self._inhibit_dbus(reason)
        except Exception:  # whatever the platform does, a kiosk without this still works
            log.debug("screen-saver inhibition unavailable", exc_info=True)
            return False

    def _inhibit_windows(self) -> bool:
        import ctypes

        flags = _ES_CONTINUOUS | _ES_SYSTEM_REQUIRED | _ES_DISPLAY_REQUIRED
        self._windows = bool(ctypes.windll.kernel32.SetThreadExecutionState(flags))  # type: ignore[attr-defined]
        return self._windows

    def _inhibit_dbus(self, reason: str) -> bool:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return False
        iface = QDBusInterface(
            "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", bus
        )
        if not iface.isValid():
            return False
        reply = iface.call("Inhibit", "Venue Pass Kiosk", reason)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return False
        self._cookie = int(reply.arguments()[0])
        self._iface = iface
        return True

    def release(self) -> None:
        try:
            if self._windows:
                import ctypes

                ctypes.windll.kernel32.SetThreadExecutionState(_ES_CONTINUOUS)  # type: ignore[attr-defined]
                self._windows = False
            if self._cookie is not None and self._iface is not None:
                self._iface.call("UnInhibit", self._cookie)  # type: ignore[attr-defined]
        except Exception:
            log.debug("screen-saver release failed", exc_info=True)
        finally:
            self._cookie = None
            self._iface = None
