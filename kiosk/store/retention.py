"""Deleting visits past the retention period (entry logs may only be kept so long).

An old visit whose upload upstream never acknowledged is kept and reported
instead: dropping it would silently lose a record the venue still owes. Its
sealed manual entry (name/phone) is purged regardless, because that personal
data never leaves the kiosk and the legal limit applies to it in any case.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kiosk.store.audit import record_audit
from kiosk.store.database import Database

DAY_S = 86_400.0
DEFAULT_RETENTION_DAYS = 28


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    cutoff: float
    visits_deleted: int
    manual_entries_deleted: int
    outbox_deleted: int
    kept_unsent: int  # old visits kept because upstream has not acknowledged them yet


# Rows deleted per transaction: the app's verdict path waits at most 250 ms for the write
# lock before it journals a visit, and a first purge after weeks (or a 28-day log of a
# busy venue) in one transaction held the lock for seconds (`benchmarks/purge.py`).
PURGE_CHUNK_ROWS = 2_000


def purge(
    db: Database,
    now: float,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    *,
    actor: str = "system",
    chunk_rows: int = PURGE_CHUNK_ROWS,
) -> PurgeCounts:
    """Delete what retention says, `chunk_rows` visits per transaction, and audit the counts."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    cutoff = now - retention_days * DAY_S
    # A visit with no outbox row at all cannot exist (record_visit writes both), but
    # should one appear it is treated as sent: there is nothing left to owe upstream.
    purgeable = (
        "SELECT v.id FROM visits v LEFT JOIN outbox o ON o.visit_id = v.id "
        "WHERE v.scanned_at < :cutoff AND (o.state IS NULL OR o.state = 'sent') LIMIT :rows"
    )
    params = {"cutoff": cutoff, "rows": chunk_rows}
    manual = outbox = visits = 0
    while True:
        with db.transaction() as conn:
            ids = [row[0] for row in conn.execute(purgeable, params)]
            if not ids:
                break
            marks = ",".join("?" * len(ids))
            manual += conn.execute(f"DELETE FROM manual_entries WHERE visit_id IN ({marks})", ids).rowcount
            outbox += conn.execute(f"DELETE FROM outbox WHERE visit_id IN ({marks})", ids).rowcount
            visits += conn.execute(f"DELETE FROM visits WHERE id IN ({marks})", ids).rowcount
    # The sealed entries of old visits still owed upstream go too (the legal limit applies).
    while True:
        with db.transaction() as conn:
            deleted = conn.execute(
                "DELETE FROM manual_entries WHERE visit_id IN (SELECT m.visit_id FROM manual_entries m "
                "JOIN visits v ON v.id = m.visit_id WHERE v.scanned_at < :cutoff LIMIT :rows)",
                params,
            ).rowcount
        manual += deleted
        if deleted < chunk_rows:
            break
    with db.transaction() as conn:
        kept = conn.execute(
            "SELECT count(*) FROM visits v JOIN outbox o ON o.visit_id = v.id "
            "WHERE v.scanned_at < :cutoff AND o.state != 'sent'",
            params,
        ).fetchone()[0]
        counts = PurgeCounts(cutoff, visits, manual, outbox, int(kept))
        record_audit(db, now, actor, "purge", {"retention_days": retention_days, **asdict(counts)})
    return counts
