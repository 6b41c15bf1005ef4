"""Injected time, so that logic, tests and the fleet simulation run the same code.

`now()` is wall-clock epoch seconds (what gets stored and compared with certificate
dates); `monotonic()` measures durations (budgets, breaker windows) and never jumps.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """A clock that only moves when told to: for tests and virtual-time simulation."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._wall = start
        self._mono = 0.0

    def now(self) -> float:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not run backwards")
        self._wall += seconds
        self._mono += seconds

    def set_wall(self, epoch_seconds: float) -> None:
        """Move wall time only (clock skew, NTP corrections); monotonic time is unaffected."""
        self._wall = epoch_seconds


def utc_datetime(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC)


# Pass validity and the PIN lockout run on the wall clock: beyond this much difference from
# upstream's clock (its `Date` header) `kiosk doctor` and the status bar warn.
SKEW_WARN_S = 300.0

