"""The circuit breaker that decides whether the verdict path may call upstream at all.

Closed: calls go through (health ONLINE). Open: no calls until the probe time
(health DEGRADED, or OFFLINE when the network itself is gone). Half-open: exactly one
probe call; its outcome closes or re-opens the breaker with a longer backoff.

Purely clock-driven and cheap: the app and a virtual-time fleet of thousands of
kiosks run this same class. A lock makes it safe to share between the verdict path
and background threads; nothing here sleeps or starts a thread.
"""

from __future__ import annotations

import logging
import math
import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.backoff import equal_jitter_delay
from kiosk.clock import Clock
from kiosk.config import BreakerSettings
from kiosk.decision import Health
from kiosk.verify.online import FailureCause

log = logging.getLogger(__name__)

# Causes meaning "there is no network path at all", as opposed to a sick server.
NETWORK_CAUSES: frozenset[str] = frozenset({FailureCause.DNS.value, FailureCause.REFUSED.value})

TransitionCallback = Callable[[Health, Health, str | None, float], None]
_Events = list[tuple[Health, Health, str | None]]

# The cause recorded when the breaker opens on p90 latency rather than on failures.
LATENCY_CAUSE = "latency"


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True, slots=True)
class BreakerSnapshot:
    """What the status bar shows; times are wall-clock epoch seconds."""

    state: BreakerState
    health: Health
    consecutive_failures: int
    open_count: int  # re-openings since the last close: the backoff exponent
    last_cause: str | None
    next_probe_at: float | None  # None unless open
    next_probe_in_s: float | None  # the same as a countdown, exact in virtual time
    p90_latency_s: float | None  # None until the window has min_samples


class CircuitBreaker:
    def __init__(self, clock: Clock, rng: random.Random, settings: BreakerSettings | None = None) -> None:
        self._clock = clock
        self._rng = rng
        self._settings = settings or BreakerSettings()
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._health = Health.ONLINE
        self._failures = 0
        self._open_count = 0
        self._last_cause: str | None = None
        self._latencies: deque[float] = deque(maxlen=self._settings.window_size)
        self._probe_at = 0.0  # monotonic
        self._probe_started: float | None = None  # monotonic; set while a probe is in flight
        self._not_before = -math.inf  # monotonic; from the server's Retry-After
        self._closed_at = -math.inf  # monotonic; when a probe last closed the breaker
        self._probation_s = self._settings.settle_s  # grows while upstream flaps (settle_max_s)
        self._carried_opens = 0  # the backoff exponent reached before that close
        self.on_transition: list[TransitionCallback] = []

    @property
    def settings(self) -> BreakerSettings:
        return self._settings

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state

    @property
    def health(self) -> Health:
        with self._lock:
            return self._health

    def allow_request(self) -> bool:
        """May the caller call upstream now? In half-open, True hands out the single probe slot.

        A caller that gets True must report the outcome (`record_success`/`record_failure`)
        or give the slot back with `cancel()`.
        """
        now = self._clock.monotonic()
        with self._lock:
            if not self._admits(now):
                return False
            if self._state is BreakerState.OPEN:
                self._state = BreakerState.HALF_OPEN
            if self._state is BreakerState.HALF_OPEN:
                self._probe_started = now  # the one probe slot, or a lease run out
            return True

    def may_call(self) -> bool:
        """Would `allow_request` say yes now? Takes no probe slot: for a caller that has
        preparation to do first and should skip it when the answer will be no."""
        with self._lock:
            return self._admits(self._clock.monotonic())

    def _admits(self, now: float) -> bool:
        """Would a call be let through now (the lock held)? Closed: yes; open: once the probe
        is due; half-open: only while no probe holds the slot (or its lease ran out)."""
        if now < self._not_before:
            return False
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN:
            return now >= self._probe_at
        started = self._probe_started
        return started is None or now - started >= self._settings.probe_lease_s

    def unsettled(self) -> bool:
        """Is the verdict path degraded: open, probing, or on probation after a recovery
        (`settle_s`, longer while upstream flaps)? The engine then judges signed passes
        offline first (no request), and leaves the path's tests to the passes only upstream
        can judge and to health probes: a flapping or slow upstream is spared most of the
        fleet's calls."""
        with self._lock:
            if self._state is not BreakerState.CLOSED:
                return True
            return self._clock.monotonic() - self._closed_at < self._probation_s

    def cancel(self) -> None:
        """Give back a probe slot without a result (e.g. the budget left no time to call)."""
        with self._lock:
            if self._state is BreakerState.HALF_OPEN:
                self._state = BreakerState.OPEN
                self._probe_started = None
                self._probe_at = self._clock.monotonic()

    def record_success(self, latency_s: float) -> None:
        events: _Events = []
        with self._lock:
            if self._state is BreakerState.CLOSED:
                self._failures = 0
                self._latencies.append(max(0.0, latency_s))
                if self._p90_exceeded():
                    self._open(events, LATENCY_CAUSE)
            elif self._state is BreakerState.HALF_OPEN:
                self._close(events)
            # A success while open is a call admitted before the breaker opened: the
            # probe decides, one late answer does not.
        self._emit(events)

    def record_failure(
        self,
        cause: FailureCause | str,
        *,
        retry_after_s: float | None = None,
        latency_s: float | None = None,
    ) -> None:
        """Count a failed call. `latency_s` (e.g. a timeout's duration) also feeds the p90 window."""
        cause_s = str(cause)
        now = self._clock.monotonic()
        events: _Events = []
        retry_after_s = self._honoured(retry_after_s)
        with self._lock:
            self._last_cause = cause_s
            if retry_after_s is not None:
                self._not_before = max(self._not_before, now + retry_after_s)
            if self._state is BreakerState.CLOSED:
                self._failures += 1
                if latency_s is not None:
                    self._latencies.append(max(0.0, latency_s))
                # A Retry-After is upstream saying "back off" outright: open at once, so the
                # screen shows DEGRADED for as long as verdicts are really offline.
                told_to_wait = now < self._not_before
                on_probation = now - self._closed_at < self._probation_s
                too_many = self._failures >= self._settings.failure_threshold
                if told_to_wait or on_probation or too_many or self._p90_exceeded():
                    s = self._settings
                    # A failure on probation is a flap: the next probation is longer. One
                    # after a probation that held is a new outage, whose recovery gets the
                    # ordinary probation.
                    grown = min(2 * self._probation_s, s.settle_max_s)
                    self._probation_s = grown if on_probation else s.settle_s
                    # An upstream that said when to come back (Retry-After) is busy, not gone:
                    # its wait is honoured as such, without the backoff carried from before.
                    self._open(events, cause_s, carry=on_probation and retry_after_s is None)
            elif self._state is BreakerState.HALF_OPEN:
                self._failures += 1
                self._open_count += 1
                self._open(events, cause_s)
            else:
                self._failures += 1
                self._probe_at = max(self._probe_at, self._not_before)
                self._set_health(self._open_health(cause_s), cause_s, events)
        self._emit(events)

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            next_probe: float | None = None
            wait: float | None = None
            if self._state is not BreakerState.CLOSED:
                wait = max(0.0, max(self._probe_at, self._not_before) - self._clock.monotonic())
                next_probe = self._clock.now() + wait
            return BreakerSnapshot(
                state=self._state,
                health=self._health,
                consecutive_failures=self._failures,
                open_count=self._open_count,
                last_cause=self._last_cause,
                next_probe_at=next_probe,
                next_probe_in_s=wait,
                p90_latency_s=self._p90(),
            )

    def _honoured(self, retry_after_s: float | None) -> float | None:
        """The server's wait as the next probe honours it: at most `max_retry_after_s`, and
        none for a value that is no wait at all (zero, negative, not a finite number)."""
        if retry_after_s is None or not math.isfinite(retry_after_s) or retry_after_s <= 0:
            return None
        return min(retry_after_s, self._settings.max_retry_after_s)

    # --- internals; all called with the lock held ---

    def _p90(self) -> float | None:
        n = len(self._latencies)
        if n < self._settings.min_samples:
            return None
        # Nearest-rank percentile: a real observed latency, no interpolation surprises.
        return sorted(self._latencies)[math.ceil(0.9 * n) - 1]

    def _p90_exceeded(self) -> bool:
        p90 = self._p90()
        return p90 is not None and p90 > self._settings.p90_threshold_s

    def _open(self, events: _Events, cause: str, *, carry: bool = False) -> None:
        now = self._clock.monotonic()
        s = self._settings
        if carry:
            self._open_count = self._carried_opens + 1
        delay = equal_jitter_delay(self._open_count, s.probe_base_s, s.probe_max_s, self._rng)
        self._state = BreakerState.OPEN
        self._probe_started = None
        self._probe_at = max(now + delay, self._not_before)
        self._set_health(self._open_health(cause), cause, events)

    def _close(self, events: _Events) -> None:
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._carried_opens = self._open_count
        self._closed_at = self._clock.monotonic()
        self._open_count = 0
        self._probe_started = None
        # Samples from before the outage would re-open the breaker at once.
        self._latencies.clear()
        self._set_health(Health.ONLINE, None, events)

    def _open_health(self, cause: str) -> Health:
        return Health.OFFLINE if cause in NETWORK_CAUSES else Health.DEGRADED

    def _set_health(self, new: Health, cause: str | None, events: _Events) -> None:
        if new is not self._health:
            events.append((self._health, new, cause))
            self._health = new

    def _emit(self, events: _Events) -> None:
        if not events:
            return
        at = self._clock.now()
        for old, new, cause in events:
            for callback in list(self.on_transition):
                try:
                    callback(old, new, cause, at)
                except Exception:
                    # A failing listener (e.g. a locked database) must not break verification.
                    log.exception("breaker transition listener failed")
