"""Keeps the local revocation list in step with upstream's, incrementally.

Each sync asks only for what upstream published since the `until` of the last
successful one (upstream's clock, so kiosk clock drift cannot skip entries; upstream
answers `since` inclusively, so an entry may come twice but never goes missing).
New hashes and the new cursor are committed in one transaction, after the whole
answer was read and checked: a failed or malformed download changes nothing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.clock import Clock
from kiosk.store.database import Database
from kiosk.store.revocations import (
    add_revocations,
    normalize_hash,
    revocation_count,
    revocations_cursor,
    set_revocations_cursor,
)
from kiosk.upstream.client import RevocationList
from kiosk.verify.online import FailureCause, UpstreamFailure

log = logging.getLogger(__name__)


class RevocationSource(Protocol):
    """The part of `kiosk.upstream.client.UpstreamClient` a sync uses."""

    def revocations(self, since: float | None = None, *, timeout_s: float = ...) -> RevocationList: ...


@dataclass(frozen=True, slots=True)
class RevocationSyncReport:
    added: int  # hashes this kiosk did not know before
    total: int  # hashes stored after the sync
    until: float | None  # the cursor now stored (upstream time); None if upstream sent none
    received: int = 0  # hashes in upstream's answer, repeats included
    full: bool = False  # True when the whole list was requested (first sync or forced)

    def summary(self) -> str:
        kind = "full" if self.full else "incremental"
        return f"revocation list: {self.added} new, {self.total} in total ({kind} sync)"


def sync_revocations(
    client: RevocationSource,
    db: Database,
    clock: Clock,
    *,
    full: bool = False,
    timeout_s: float = 10.0,
) -> RevocationSyncReport:
    """Fetch and store what upstream revoked since the last sync; raises UpstreamFailure.

    `full` ignores the stored cursor and asks for the whole list (repairs a store
    restored from an old backup). On any exception the store is left as it was.
    """
    cursor = None if full else revocations_cursor(db)
    answer = client.revocations(cursor, timeout_s=timeout_s)
    return store_revocations(db, answer.uci_hashes, answer.until, clock, full=cursor is None)


def store_revocations(
    db: Database, hashes: Sequence[str], until: float | None, clock: Clock, *, full: bool = False
) -> RevocationSyncReport:
    """Check and store an answer's hashes and cursor in one transaction (a sync's, or the
    list news a verification brought); raises UpstreamFailure(BAD_BODY) and stores nothing
    when any of it is malformed."""
    if until is not None and not math.isfinite(until):
        raise UpstreamFailure(FailureCause.BAD_BODY, "revocations: 'until' is not a finite number")
    try:
        digests = [normalize_hash(h) for h in hashes]
    except ValueError:
        raise UpstreamFailure(FailureCause.BAD_BODY, "revocations: an entry is not a SHA-256 hash") from None
    with db.transaction():
        added = add_revocations(db, digests, clock.now())
        if until is not None:
            # Taken as sent, even if earlier than the old cursor: upstream's clock is the
            # reference, and re-reading a stretch costs less than skipping one.
            set_revocations_cursor(db, until)
        total = revocation_count(db)
        stored_until = revocations_cursor(db)
    if added:
        log.info("revocation sync: %d new revoked certificate(s), %d in total", added, total)
    return RevocationSyncReport(
        added=added, total=total, until=stored_until, received=len(digests), full=full
    )
