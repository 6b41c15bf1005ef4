"""A token bucket: at most `rate_per_s` requests per second on average, bursts up to `burst`.

Purely clock-driven (no sleeping), so the uploader and the fleet simulation share it.
"""

from __future__ import annotations

from kiosk.clock import Clock


class TokenBucket:
    def __init__(self, clock: Clock, rate_per_s: float, burst: float) -> None:
        if rate_per_s <= 0:
            raise ValueError("rate_per_s must be > 0")
        if burst < 1:
            raise ValueError("burst must be >= 1")
        self._clock = clock
        self._rate = float(rate_per_s)
        self._burst = float(burst)
        self._tokens = float(burst)
        self._last = clock.monotonic()

    @property
    def rate_per_s(self) -> float:
        return self._rate

    @property
    def burst(self) -> float:
        return self._burst

    def available(self) -> float:
        self._refill()
        return self._tokens

    def try_acquire(self, n: float = 1) -> bool:
        """Take `n` tokens if they are there now; never blocks."""
        self._check(n)
        self._refill()
        if self._tokens >= n:
            self._tokens -= n
            return True
        return False

    def wait_time(self, n: float = 1) -> float:
        """Seconds until `n` tokens will be available (0 if they are now); takes nothing."""
        self._check(n)
        self._refill()
        missing = n - self._tokens
        return 0.0 if missing <= 0 else missing / self._rate

    def _check(self, n: float) -> None:
        if n <= 0:
            raise ValueError("n must be > 0")
        if n > self._burst:
            # It could never be satisfied: better an error than a caller waiting forever.
            raise ValueError(f"cannot acquire {n} tokens from a bucket of {self._burst:g}")

    def _refill(self) -> None:
        now = self._clock.monotonic()
        elapsed = now - self._last
        self._last = now
        if elapsed > 0:
            self._tokens = min(self._burst, self._tokens + elapsed * self._rate)
