"""Telling systemd the window is up and alive (sd_notify), so its unit restarts a hung kiosk.

The notification is one datagram to the socket named by `NOTIFY_SOCKET` ("READY=1",
"WATCHDOG=1"): a few lines of `socket`, no library. The watchdog is fed from a timer on
the GUI thread on purpose: a window whose event loop hangs stops feeding it, and
systemd kills and restarts the kiosk after `WatchdogSec`. Without `NOTIFY_SOCKET` (not
started by systemd, or on Windows) every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


def sd_notify(message: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send `message` to systemd; False when not under systemd or the socket is gone."""
    address = environ.get("NOTIFY_SOCKET", "")
    family = getattr(socket, "AF_UNIX", None)
    if not address or family is None:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as exc:
        log.warning("systemd notification failed (%s)", exc.strerror or type(exc).__name__)
        return False
    return True


def watchdog_interval_ms(environ: Mapping[str, str] = os.environ) -> int | None:
    """Half of the unit's WatchdogSec (systemd's advice), or None when no watchdog is set for us."""
    usec = environ.get("WATCHDOG_USEC", "")
    pid = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return max(1, int(usec) // 2000)


class SystemdWatchdog(QObject):
    """READY=1 once the window is shown, then WATCHDOG=1 from the GUI thread's event loop."""

    def __init__(self, parent: QObject | None = None, environ: Mapping[str, str] = os.environ) -> None:
        super().__init__(parent)
        self._environ = environ
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._feed)

    def start(self) -> None:
        if not sd_notify("READY=1", self._environ):
            return
        interval = watchdog_interval_ms(self._environ)
        if interval is not None:
            self._timer.start(interval)

    def stop(self) -> None:
        self._timer.stop()
        sd_notify("STOPPING=1", self._environ)

    def _feed(self) -> None:
        sd_notify("WATCHDOG=1", self._environ)
