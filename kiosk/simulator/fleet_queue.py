"""Upstream's queue in the fleet model, for work that arrives out of order in virtual time.

The simulation runs a kiosk's round to its end before it handles the next event, so a
round that waited out a timeout or its pacing sends its next request seconds ahead of
the rest of the fleet. A single "busy until" time put that request's work in front of
everything the fleet sent in those seconds: a queue that did not exist, which grew with
the fleet (at 5,000 kiosks a healthy upstream refused most requests with 503).

Work is kept per time slot instead, and the queue a request meets is worked out from the
slots before its own (Lindley's recursion: each slot adds its work and serves one slot's
worth). Work sent ahead then delays only what comes after it.

The recursion's closed form makes that cheap however far ahead work was sent: the
backlog at the start of slot k is max(0, the largest sum of (work - slot) over the slots
j..k-1 for any j), kept in a segment tree of (sum, largest suffix sum) per range. Adding
work and asking for a wait both cost O(log slots). (Walking the slots in between made a
trust-list download paced over an hour, thousands of requests ahead of the fleet,
quadratic: 90 % of a list-change run.)
"""

from __future__ import annotations

import math
from array import array


class WorkQueue:
    def __init__(self, slot_s: float = 0.05) -> None:
        if slot_s <= 0:
            raise ValueError("slot_s must be > 0")
        self._slot = slot_s
        self._size = 0  # leaves (slots) the tree covers, a power of two
        self._sum = array("d")  # per node: the range's sum of (work - slot)
        self._suffix = array("d")  # per node: the range's largest non-empty suffix sum
        self._work: dict[int, float] = {}  # seconds of work arriving in each busy slot
        self._grow(1024)

    def wait_at(self, at: float) -> float:
        """Seconds of work ahead of a request arriving at `at` (work already in its slot counts)."""
        k = max(0, self._index(at))
        ahead = self._backlog_before(k) + self._work.get(k, 0.0)
        return max(0.0, ahead - (at - k * self._slot))

    def add(self, at: float, seconds: float) -> None:
        k = max(0, self._index(at))
        while k >= self._size:
            self._grow(2 * self._size)
        self._work[k] = self._work.get(k, 0.0) + seconds
        node = self._size + k
        sums, suffixes = self._sum, self._suffix
        sums[node] += seconds
        suffixes[node] += seconds
        node //= 2
        while node:
            # `_pull(node)`, inlined: this loop runs for every request the fleet makes.
            # (`max` spelt out: the builtin's call costs more than the comparison.)
            left, right = 2 * node, 2 * node + 1
            sums[node] = sums[left] + sums[right]
            kept, joined = suffixes[right], sums[right] + suffixes[left]
            suffixes[node] = kept if kept >= joined else joined
            node //= 2

    def _index(self, t: float) -> int:
        return math.floor(t / self._slot)

    def _pull(self, node: int) -> None:
        left, right = 2 * node, 2 * node + 1
        self._sum[node] = self._sum[left] + self._sum[right]
        self._suffix[node] = max(self._suffix[right], self._sum[right] + self._suffix[left])

    def _grow(self, size: int) -> None:
        """Cover `size` slots: idle slots serve one slot's worth each (-slot)."""
        work = self._work
        self._size = size
        self._sum = array("d", [0.0]) * (2 * size)
        self._suffix = array("d", [0.0]) * (2 * size)
        for k in range(size):
            value = work.get(k, 0.0) - self._slot
            self._sum[size + k] = self._suffix[size + k] = value
        for node in range(size - 1, 0, -1):
            self._pull(node)

    def _backlog_before(self, k: int) -> float:
        """The backlog at the start of slot k: the largest suffix sum of slots [0, k), at least 0."""
        if k <= 0:
            return 0.0
        if k >= self._size:
            idle = (k - self._size) * self._slot  # idle slots past the tree only serve
            return max(0.0, self._suffix[1] - idle)
        # The nodes covering [0, k), folded left to right: the left edge's as they are found,
        # the right edge's (found right to left) after them.
        sums, suffixes = self._sum, self._suffix
        lo, hi = self._size, self._size + k
        right: list[int] = []
        best = -math.inf
        while lo < hi:
            if lo & 1:
                kept, joined = suffixes[lo], sums[lo] + best
                best = kept if kept >= joined else joined
                lo += 1
            if hi & 1:
                hi -= 1
                right.append(hi)
            lo //= 2
            hi //= 2
        for node in reversed(right):
            kept, joined = suffixes[node], sums[node] + best
            best = kept if kept >= joined else joined
        return max(0.0, best)
