"""The window's one way to run work off the GUI thread: a QObject living on a QThread of its own.

A worker's slots, reached through queued signals, run on its thread; its results reach
the GUI thread as signals, queued there because their receivers live there. The
camera, verification, status and owner workers and the admin screen's jobs all are
one. The uploader and maintenance threads hold no Qt (`kiosk.upstream.periodic`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread

log = logging.getLogger(__name__)


class ThreadedWorker(QObject):
    """A QObject living on a thread of its own: its slots, reached through queued signals,
    run there and never on the GUI thread."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self.moveToThread(self._thread)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_s: float) -> bool:
        """Join the thread; True when it has ended (or never started)."""
        return self._thread.wait(max(0, round(timeout_s * 1000)))

    def stop(self, timeout_ms: int = 5000) -> None:
        self._thread.quit()
        self._thread.wait(timeout_ms)


def stop_all(*workers: Callable[[], None]) -> None:
    for stop in workers:
        try:
            stop()
        except Exception:
            log.exception("a worker did not stop cleanly")
