"""A daemon thread that runs one round of background work, waits, and runs again until stopped.

The uploader and the maintenance service each do one bounded round and return (the
fleet simulation drives the same rounds in virtual time); this is the loop the app
runs them in. A round says how long to wait before the next; `wake()` cuts the wait
short, and a breaker coming back online does too (`wake_on_recovery`). No Qt here:
the window only starts and stops these threads.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.decision import Health

if TYPE_CHECKING:
    from kiosk.verify.breaker import CircuitBreaker

log = logging.getLogger(__name__)


class PeriodicThread:
    """Runs `_round()` on a daemon thread until `stop()`; `wake()` runs the next round now."""

    def __init__(self, *, name: str, failure_wait_s: float) -> None:
        """`failure_wait_s`: the wait after a round that raised."""
        self._failure_wait_s = failure_wait_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._recovered = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.rounds = 0

    def _round(self) -> float:
        """One round of work; returns the seconds to wait before the next (0 or less: at once)."""
        raise NotImplementedError

    def _back_online(self) -> None:
        """Runs on the thread before the first round after upstream recovered (see `wake_on_recovery`)."""

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def wake_on_recovery(self, breaker: CircuitBreaker) -> None:
        """When `breaker` goes back to ONLINE, run a round at once (after `_back_online`)."""
        breaker.on_transition.append(self._on_transition)

    def _on_transition(self, old: Health, new: Health, cause: str | None, at: float) -> None:
        if new is Health.ONLINE and old is not Health.ONLINE:
            self._recovered.set()
            self._wake.set()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self._recovered.is_set():
                    self._recovered.clear()
                    self._back_online()
                wait = self._round()
            except Exception:
                # A store hiccup must not kill the thread: the work stays queued for the next round.
                log.exception("%s round failed", self._thread.name)
                wait = self._failure_wait_s
            self.rounds += 1
            if self._stop.is_set():
                break
            if wait <= 0:
                continue
            self._wake.wait(wait)
            self._wake.clear()
