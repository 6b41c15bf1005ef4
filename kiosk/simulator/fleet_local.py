"""A fleet kiosk's local work: the real recorder timed on the kiosk's clock, and the fleet's
memoized offline DCC check.

The time the local work takes on kiosk hardware is drawn per scan from distributions
measured with the project's benchmarks on a real SQLite file (an ext4 disk), so a slow
commit or a long wait for the write lock can cost a verdict its budget as in the app:
- the commit (visit + outbox row, one fsynced transaction) while a second thread writes
  to the same file as the uploader and maintenance threads do (lock waits included):
  `python benchmarks/durability.py 3000 DIR` ("FULL, other writer", its fleet quantiles);
- the offline check and decision of a DCC: `python benchmarks/verify.py` ("dcc" line:
  p50, p99 and max).
"""

from __future__ import annotations

import bisect
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.decision import Decision
from kiosk.passes.dcc import check_dcc
from kiosk.passes.model import DccCheck, TrustLookup
from kiosk.store.database import Database
from kiosk.store.migrations import apply_migrations
from kiosk.store.recorder import StoreRecorder
from kiosk.store.visits import VisitRecord

# 1 KiB pages instead of SQLite's 4 KiB: a kiosk's tables are nearly empty at the start,
# one page each, and 5,000 in-memory files of 4 KiB pages cost 0.3 GB more per policy.
# The layout of the pages changes nothing the client does.
SIM_PAGE_SIZE = 1024


def template_database() -> Database:
    """A migrated in-memory data file for the fleet's kiosks to copy (`memory_copy`)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA page_size={SIM_PAGE_SIZE}")
    return Database(Path(":memory:"), conn, apply_migrations(conn))


@dataclass(frozen=True, slots=True)
class Quantiles:
    """A measured distribution as (quantile, seconds) points from (0, x) to (1, max);
    a draw interpolates linearly between them (inverse transform sampling)."""

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        qs = [q for q, _ in self.points]
        if qs[0] != 0.0 or qs[-1] != 1.0 or qs != sorted(qs):
            raise ValueError("quantiles must rise from 0 to 1")

    def draw(self, rng: random.Random) -> float:
        u = rng.random()
        qs = [q for q, _ in self.points]
        i = max(1, bisect.bisect_right(qs, u))
        (q0, v0), (q1, v1) = self.points[i - 1], self.points[i]
        return v0 + (v1 - v0) * (u - q0) / (q1 - q0)


# benchmarks/durability.py 3000 on ext4, 2026-12: "FULL, other writer" fleet quantiles.
COMMIT_S = Quantiles(
    ((0.0, 0.0001), (0.5, 0.00024), (0.9, 0.00069), (0.99, 0.00617), (0.999, 0.01193), (1.0, 0.02395))
)
# benchmarks/verify.py, 2026-12: "dcc ... p50 0.172 ms  p99 3.423 ms  max 13.531 ms".
DCC_CHECK_S = Quantiles(((0.0, 0.0001), (0.5, 0.000172), (0.99, 0.003423), (1.0, 0.013531)))


class TimedRecorder:
    """The real StoreRecorder, plus the commit's duration on the kiosk's clock."""

    def __init__(self, inner: StoreRecorder, clock: ManualClock, rng: random.Random) -> None:
        self._inner = inner
        self._clock = clock
        self._rng = rng

    def _work(self) -> None:
        self._clock.advance(COMMIT_S.draw(self._rng))

    def record(
        self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float, *, wait_s: float | None
    ) -> str:
        self._work()
        return self._inner.record(text, decision, dcc, scanned_at, wait_s=wait_s)


class TimedDraftingRecorder(TimedRecorder):
    """The same, for our policy: the engine drafts the visit so the verification carries it.

    `owes`: whether the kiosk has visits upstream has not acknowledged (the simulation counts
    them); without any, the outbox has nothing to carry and is not asked (at most scans).
    """

    def __init__(
        self, inner: StoreRecorder, clock: ManualClock, rng: random.Random, owes: Callable[[], bool]
    ) -> None:
        super().__init__(inner, clock, rng)
        self._owes = owes

    def draft(self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float) -> VisitRecord:
        return self._inner.draft(text, decision, dcc, scanned_at)

    def upload_form(self, draft: VisitRecord) -> dict[str, object]:
        return self._inner.upload_form(draft)

    def pending_forms(self, limit: int, now: float) -> list[dict[str, object]]:
        return self._inner.pending_forms(limit, now) if self._owes() else []

    def commit(
        self,
        draft: VisitRecord,
        decision: Decision,
        *,
        confirmed: bool = False,
        wait_s: float | None = None,
        carried: Sequence[str] = (),
    ) -> str:
        self._work()
        return self._inner.commit(draft, decision, confirmed=confirmed, wait_s=wait_s, carried=carried)


def timed_check(
    check: Callable[[str, TrustLookup, float], DccCheck], clock: ManualClock, rng: random.Random
) -> Callable[[str, TrustLookup, float], DccCheck]:
    """The offline DCC check taking its measured time on the kiosk's verdict clock."""

    def run(text: str, trust: TrustLookup, at: float) -> DccCheck:
        clock.advance(DCC_CHECK_S.draw(rng))
        return check(text, trust, at)

    return run


class MemoDccCheck:
    """`check_dcc` once per pass text and hour for the whole fleet: it shows the same few
    DCCs hundreds of thousands of times, and their checks were a third of the CPU time.

    The answer is the one `check_dcc` gives: it depends only on the text, the trust list
    (one cache per list a kiosk holds: `trust_list_is` when a kiosk's sync changed it)
    and the scan time, which matters only against the pass's iat/exp, months away from
    any scenario hour. One cache for all kiosks, not one each: 5,000 copies of the
    decoded passes cost more memory than the kiosks' databases.
    """

    def __init__(self) -> None:
        self._caches: dict[frozenset[str], dict[tuple[str, int], DccCheck]] = {}
        self._cache: dict[tuple[str, int], DccCheck] = {}

    def __call__(self, text: str, trust: TrustLookup, at: float) -> DccCheck:
        key = (text, int(at // 3600))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = check_dcc(text, trust, at)
        return found

    def trust_list_is(self, kid_hexes: frozenset[str]) -> None:
        """The next checks are made with this list (a kiosk about to scan, or one that synced)."""
        cache = self._caches.get(kid_hexes)
        if cache is None:
            if len(self._caches) >= 4:  # lists of a transition long over
                self._caches.clear()
            cache = self._caches[kid_hexes] = {}
        self._cache = cache
