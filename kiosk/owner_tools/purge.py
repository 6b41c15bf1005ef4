"""`kiosk purge` and the app's daily purge: retention with the rows really gone from the file.

`kiosk.store.retention.purge` decides what goes (and audits the counts). This adds
the erasure: SQLite's secure_delete overwrites deleted content with zeros, and a
WAL checkpoint moves those zeroed pages into the main file and truncates the WAL,
where the old page images would otherwise linger. VACUUM is not used: it rewrites
the whole file while holding the write lock, which would stall verdicts for seconds
on a large log.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.store.database import Database
from kiosk.store.retention import PurgeCounts, purge


@dataclass(frozen=True, slots=True)
class PurgeResult:
    counts: PurgeCounts
    # False when a reader (e.g. a running export) kept the WAL from being emptied; the
    # zeroed pages reach the main file at the next checkpoint.
    wal_cleared: bool


# A truncating checkpoint holds new writers back while it waits for readers, so it
# may wait only a fraction of the verdict budget.
_CHECKPOINT_WAIT_MS = 100


def purge_expired(db: Database, *, now: float, retention_days: int, actor: str = "system") -> PurgeResult:
    """Delete what retention says (audited with counts) and erase it from the file's bytes."""
    db.query("PRAGMA secure_delete = ON")
    counts = purge(db, now, retention_days, actor=actor)
    with db.lock_wait(_CHECKPOINT_WAIT_MS):
        busy = db.query("PRAGMA wal_checkpoint(TRUNCATE)")[0][0]
    return PurgeResult(counts, wal_cleared=busy == 0)
