"""Progress reports and cancellation for long owner jobs (export, report, backup).

The GUI runs these jobs on a worker thread: it passes a `ProgressCallback` that
posts a signal and a `CancelFlag` its Cancel button sets. The command line passes
nothing (or a flag set by Ctrl-C).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.errors import KioskError


@dataclass(frozen=True, slots=True)
class Progress:
    done: int  # units finished (rows, pages)
    total: int | None  # None when not known in advance
    phase: str  # stable code: "rows", "pages", "finishing"

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]
CancelCheck = Callable[[], bool]


class Cancelled(KioskError):
    """The owner cancelled; nothing was written (any partial file is removed)."""

    key = "owner.cancelled"


class CancelFlag:
    """A thread-safe cancel request: `set()` from the GUI thread, the job polls it by calling it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


def never_cancelled() -> bool:
    return False


def ignore_progress(_progress: Progress) -> None:
    return None


def raise_if_cancelled(cancelled: CancelCheck, what: str) -> None:
    if cancelled():
        raise Cancelled(f"{what} cancelled; nothing was written")
