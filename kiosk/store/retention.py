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


def purge(
    db: Database, now: float, retention_days: int = DEFAULT_RETENTION_DAYS, *, actor: str = "system"
) -> PurgeCounts:
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = now - retention_days * DAY_S
    # A visit with no outbox row at all cannot exist (record_visit writes both), but
    # should one appear it is treated as sent: there is nothing left to owe upstream.
    purgeable = (
        "SELECT v.id FROM visits v LEFT JOIN outbox o ON o.visit_id = v.id "
        "WHERE v.scanned_at < :cutoff AND (o.state IS NULL OR o.state = 'sent')"
    )
    params = {"cutoff": cutoff}
    with db.transaction() as conn:
        manual = conn.execute(
            "DELETE FROM manual_entries WHERE visit_id IN (SELECT id FROM visits WHERE scanned_at < :cutoff)",
            params,
        ).rowcount
        outbox = conn.execute(f"DELETE FROM outbox WHERE visit_id IN ({purgeable})", params).rowcount
        # Outbox rows of sent visits are gone now, so the same test matches only
        # visits that were sent (or never queued).
        visits = conn.execute(f"DELETE FROM visits WHERE id IN ({purgeable})", params).rowcount
        kept = conn.execute(
            "SELECT count(*) FROM visits v JOIN outbox o ON o.visit_id = v.id "
            "WHERE v.scanned_at < :cutoff AND o.state != 'sent'",
            params,
        ).fetchone()[0]
        counts = PurgeCounts(cutoff, visits, manual, outbox, int(kept))
        record_audit(db, now, actor, "purge", {"retention_days": retention_days, **asdict(counts)})
    return counts
