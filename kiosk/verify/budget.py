"""The verdict budget: how much of the one second after a decode is left."""

from __future__ import annotations

from kiosk.clock import Clock


class Budget:
    """Started at construction; measures on the monotonic clock so wall-clock jumps cannot eat it."""

    def __init__(self, clock: Clock, total_s: float) -> None:
        if total_s <= 0:
            raise ValueError("a budget must be positive")
        self._clock = clock
        self._total = float(total_s)
        self._start = clock.monotonic()

    @property
    def total_s(self) -> float:
        return self._total

    def elapsed(self) -> float:
        return max(0.0, self._clock.monotonic() - self._start)

    def remaining(self) -> float:
        return max(0.0, self._total - self.elapsed())

    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def timeout_for(self, reserve_s: float) -> float:
        """Time an online call may take while keeping `reserve_s` for storing and rendering; 0 = skip it."""
        if reserve_s < 0:
            raise ValueError("reserve_s must be >= 0")
        return max(0.0, self.remaining() - reserve_s)
