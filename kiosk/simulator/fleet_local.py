"""A fleet kiosk's local work: the real recorder timed on the kiosk's clock, and the fleet's
memoized offline DCC check."""

from __future__ import annotations

import sqlite3
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


class TimedRecorder:
    """The real StoreRecorder, plus the local work's duration on the kiosk's clock."""

    def __init__(self, inner: StoreRecorder, clock: ManualClock, work_s: float) -> None:
        self._inner = inner
        self._clock = clock
        self._work_s = work_s

    def record(
        self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float, *, wait_s: float | None
    ) -> str:
        self._clock.advance(self._work_s)
        return self._inner.record(text, decision, dcc, scanned_at, wait_s=wait_s)


class TimedDraftingRecorder(TimedRecorder):
    """The same, for our policy: the engine drafts the visit so the verification carries it."""

    def draft(self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float) -> VisitRecord:
        return self._inner.draft(text, decision, dcc, scanned_at)

    def upload_form(self, draft: VisitRecord) -> dict[str, object]:
        return self._inner.upload_form(draft)

    def commit(
        self, draft: VisitRecord, decision: Decision, *, confirmed: bool = False, wait_s: float | None = None
    ) -> str:
        self._clock.advance(self._work_s)
        return self._inner.commit(draft, decision, confirmed=confirmed, wait_s=wait_s)


class MemoDccCheck:
    """`check_dcc` once per pass text and hour for the whole fleet: it shows the same few
    DCCs hundreds of thousands of times, and their checks were a third of the CPU time.

    The answer is the one `check_dcc` gives: it depends only on the text, the trust list
    (the same at every kiosk and never changed in a scenario; `clear()` when a kiosk's
    sync changes it) and the scan time, which matters only against the pass's iat/exp,
    months away from any scenario hour. One cache for all kiosks, not one each: 5,000
    copies of the decoded passes cost more memory than the kiosks' databases.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], DccCheck] = {}
        self._kids: frozenset[str] | None = None

    def __call__(self, text: str, trust: TrustLookup, at: float) -> DccCheck:
        key = (text, int(at // 3600))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = check_dcc(text, trust, at)
        return found

    def trust_list_is(self, kid_hexes: frozenset[str]) -> None:
        """A kiosk synced its list: forget the checks if it is not the list they were made with."""
        if kid_hexes != self._kids:
            self._cache.clear()
            self._kids = kid_hexes
