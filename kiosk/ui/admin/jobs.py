"""Run one long owner job (export, report, settings, PIN change) off the GUI thread.

The job is a plain function taking a progress callback and a cancel check (the
owner-tools convention, `kiosk.owner_tools.progress`). It runs once on a worker thread
of its own (`kiosk.ui.worker_thread`); its progress and its end reach the GUI thread as
queued signals of a `Job` that lives there. Errors are handed over as the exception
object: views show a `KioskError`'s message (written for people, no personal data) and
only a generic line for anything else, which `error_key` logs: no stack trace reaches
the owner.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.errors import error_key
from kiosk.owner_tools.progress import CancelCheck, CancelFlag, Cancelled, Progress, ProgressCallback
from kiosk.ui.worker_thread import ThreadedWorker

Work = Callable[[ProgressCallback, CancelCheck], object]


class _Run(ThreadedWorker):
    """Makes one call on a thread of its own, then lets the thread end."""

    def __init__(self, name: str, call: Callable[[], None]) -> None:
        super().__init__(name)
        self._call = call
        self._thread.started.connect(self._run)
        # Qt aborts the program when a QThread is destroyed while it runs: a run stays
        # referenced until its thread has ended, even when its Job went first (a screen
        # closed mid-export). The thread object lives on the GUI thread, so this runs there; a weak
        # reference, or the connection would keep the run alive for good.
        me = weakref.ref(self)
        self._thread.finished.connect(lambda: _RUNNING.discard(me()), Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        _RUNNING.add(self)
        super().start()

    @Slot()
    def _run(self) -> None:
        try:
            self._call()
        finally:
            self._thread.quit()


_RUNNING: set[_Run] = set()


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
        self._run: _Run | None = None

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.running

    def start(self) -> None:
        if self._run is not None:
            raise RuntimeError("a Job runs once")
        self._run = _Run(f"admin-{self._name}", self._body)
        self._run.start()

    def cancel(self) -> None:
        self._flag.set()

    def wait(self, timeout_s: float) -> bool:
        """Join the thread (on close); True when it ended."""
        return self._run is None or self._run.wait(timeout_s)

    def _report(self, progress: Progress) -> None:
        self._emit("progress", progress.done, -1 if progress.total is None else progress.total)

    def _emit(self, signal: str, *args: object) -> None:
        try:
            getattr(self, signal).emit(*args)
        except RuntimeError:
            # The screen was destroyed while the job ran (the app closing): nobody is left to tell.
            self._flag.set()

    def _body(self) -> None:
        try:
            result = self._work(self._report, self._flag)
        except Cancelled:
            self._emit("cancelled")
        except Exception as exc:  # handed to the view, which shows a fixed text for the unexpected
            error_key(exc, f"admin job {self._name}")
            self._emit("failed", exc)
        else:
            # A cancel that came after the last check finds the work done (the file complete):
            # report the result rather than pretend nothing happened.
            self._emit("succeeded", result)
        self._emit("ended")
