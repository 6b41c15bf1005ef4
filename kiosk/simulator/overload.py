"""The simulated service's capacity: a request-rate bucket and a concurrency limit.

A real overloaded service either sheds load (503 + Retry-After, cheap for it) or
lets requests queue and every answer gets slower. Both are modelled here so the
client's breaker and backoff can be tested against each. The limits are read
from the current `Faults` on every request, so they can change at run time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.clock import Clock
from kiosk.simulator.faults import Faults


@dataclass(frozen=True, slots=True)
class Admission:
    admitted: bool
    retry_after_s: float = 0.0
    waited_s: float = 0.0  # time spent queued (slow mode)


class OverloadGate:
    def __init__(self, clock: Clock, stop: threading.Event) -> None:
        self._clock = clock
        self._stop = stop
        self._cond = threading.Condition()
        self._in_flight = 0
        self._tokens: float | None = None  # None until a rate limit is first seen
        self._last = clock.monotonic()
        self._rate: float | None = None

    @property
    def in_flight(self) -> int:
        with self._cond:
            return self._in_flight

    def enter(self, faults: Faults) -> Admission:
        """Admit one request or tell it to come back later; call `leave()` after an admitted one."""
        start = self._clock.monotonic()
        wait_rate = self._take_rate_slot(faults)
        if wait_rate is None:
            return Admission(False, retry_after_s=faults.retry_after_s)
        # Queued behind the rate limit: sleep it off (interrupted when the server stops).
        if wait_rate > 0 and self._stop.wait(wait_rate):
            return Admission(False, retry_after_s=faults.retry_after_s)
        limit = faults.max_concurrency
        with self._cond:
            if limit is not None and self._in_flight >= limit:
                if faults.overload_mode == "reject":
                    return Admission(False, retry_after_s=faults.retry_after_s)
                deadline = self._clock.monotonic() + faults.max_hang_s
                while self._in_flight >= limit and not self._stop.is_set():
                    remaining = deadline - self._clock.monotonic()
                    if remaining <= 0:
                        return Admission(False, retry_after_s=faults.retry_after_s)
                    self._cond.wait(min(remaining, 0.25))
                if self._stop.is_set():
                    return Admission(False, retry_after_s=faults.retry_after_s)
            self._in_flight += 1
        return Admission(True, waited_s=self._clock.monotonic() - start)

    def leave(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify()

    def _take_rate_slot(self, faults: Faults) -> float | None:
        """Seconds to wait for a rate slot (0 = now), or None when the request is shed."""
        rate = faults.capacity_rps
        with self._cond:
            now = self._clock.monotonic()
            if rate is None:
                self._tokens, self._rate = None, None
                return 0.0
            burst = max(1.0, rate)
            if self._tokens is None or self._rate != rate:
                self._tokens, self._rate = burst, rate
            else:
                self._tokens = min(burst, self._tokens + (now - self._last) * rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            if faults.overload_mode == "reject":
                return None
            # Slow mode: take a slot in the future; the debt makes later arrivals wait longer.
            wait = (1.0 - self._tokens) / rate
            if wait > faults.max_hang_s:
                return None
            self._tokens -= 1.0
            return wait
