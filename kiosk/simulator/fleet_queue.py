"""Upstream's queue in the fleet model, for work that arrives out of order in virtual time.

The simulation runs a kiosk's round to its end before it handles the next event, so a
round that waited out a timeout or its pacing sends its next request seconds ahead of
the rest of the fleet. A single "busy until" time put that request's work in front of
everything the fleet sent in those seconds: a queue that did not exist, which grew with
the fleet (at 5,000 kiosks a healthy upstream refused most requests with 503).

Work is kept per time slot instead, and the queue a request meets is worked out from the
slots before its own (Lindley's recursion: each slot adds its work and serves one slot's
worth). Work sent ahead then delays only what comes after it. Slots before the fleet's
clock are folded into one figure as the simulation moves on (`settle`).
"""

from __future__ import annotations

import math


class WorkQueue:
    def __init__(self, slot_s: float = 0.05) -> None:
        if slot_s <= 0:
            raise ValueError("slot_s must be > 0")
        self._slot = slot_s
        self._base = 0  # the first slot not folded yet
        self._backlog = 0.0  # seconds of work queued at the start of slot `_base`
        self._work: dict[int, float] = {}  # seconds of work arriving in each slot >= `_base`

    def settle(self, now: float) -> None:
        """Nothing arrives before `now` any more: fold the slots before it."""
        target = self._index(now)
        if target <= self._base:
            return
        self._backlog = self._backlog_at(target, consume=True)
        self._base = target

    def wait_at(self, at: float) -> float:
        """Seconds of work ahead of a request arriving at `at` (work already in its slot counts)."""
        k = max(self._index(at), self._base)
        ahead = self._backlog_at(k, consume=False) + self._work.get(k, 0.0)
        return max(0.0, ahead - (at - k * self._slot))

    def add(self, at: float, seconds: float) -> None:
        k = max(self._index(at), self._base)
        self._work[k] = self._work.get(k, 0.0) + seconds

    def _index(self, t: float) -> int:
        return math.floor(t / self._slot)

    def _backlog_at(self, k: int, *, consume: bool) -> float:
        backlog = self._backlog
        slot = self._slot
        if k - self._base > len(self._work):
            # Few busy slots in a long stretch: jump over the idle ones.
            pos = self._base
            for b in sorted(b for b in self._work if b < k):
                backlog = max(0.0, backlog - (b - pos) * slot)
                backlog = max(0.0, backlog + (self._work.pop(b) if consume else self._work[b]) - slot)
                pos = b + 1
            return max(0.0, backlog - (k - pos) * slot)
        for b in range(self._base, k):
            work = self._work.pop(b, 0.0) if consume else self._work.get(b, 0.0)
            backlog = max(0.0, backlog + work - slot)
        return backlog
