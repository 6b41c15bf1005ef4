"""Run one long owner job (export, report, settings, PIN change) off the GUI thread.

The job is a plain function taking a progress callback and a cancel check (the
owner-tools convention, `kiosk.owner_tools.progress`). It runs on a daemon thread;
its progress and its end reach the GUI thread as queued signals of a `Job` that
lives there. Errors are handed over as the exception object: views show a
`KioskError`'s message (written for people, no personal data) and only a generic
line for anything else, whose type alone is logged: no stack trace reaches the owner.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.errors import KioskError
from kiosk.owner_tools.progress import CancelCheck, CancelFlag, Cancelled, Progress, ProgressCallback

log = logging.getLogger(__name__)

Work = Callable[[ProgressCallback, CancelCheck], object]


class Job(QObject):
    progress = Signal(int, int)  # done, total (-1 when not known)
    succeeded = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception (KioskError or other); never shown raw
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._work = work
        self._flag = CancelFlag()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a Job runs once")
        self._thread = threading.Thread(target=self._run, name=f"admin-{self._name}", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._flag.set()

    def wait(self, timeout_s: float) -> bool:
        """Join the thread (on close); True when it ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _report(self, progress: Progress) -> None:
        self._emit("progress", progress.done, -1 if progress.total is None else progress.total)

    def _emit(self, signal: str, *args: object) -> None:
        try:
            getattr(self, signal).emit(*args)
        except RuntimeError:
            # The screen was destroyed while the job ran (the app closing): nobody is left to tell.
            self._flag.set()

    def _run(self) -> None:
        try:
            result = self._work(self._report, self._flag)
        except Cancelled:
            self._emit("cancelled")
        except Exception as exc:  # handed to the view, which shows a fixed text for the unexpected
            if not isinstance(exc, KioskError):
                log.error("admin job %s failed (%s)", self._name, type(exc).__name__)
            self._emit("failed", exc)
        else:
            # A cancel that came after the last check finds the work done (the file complete):
            # report the result rather than pretend nothing happened.
            self._emit("succeeded", result)
        self._emit("ended")
