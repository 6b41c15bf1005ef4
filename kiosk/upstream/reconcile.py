"""Reconciliation: re-check visits admitted offline once upstream answers again.

The raw pass is never stored, so upstream cannot re-verify it; what the kiosk kept
is the SHA-256 of the certificate identifier (`uci_hash`), which is exactly how
upstream's revocation list names certificates. So reconciliation downloads the
revocation list (one request, whatever the number of visits, and no visit data
leaves the kiosk) and compares locally. Revocations published before the visit
count too: such a pass was already revoked when the door let it in.

The download goes through `revocation_sync`, so it is incremental and lands in the
`revocations` table the offline path also reads: one list, fetched once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from kiosk.clock import Clock, SystemClock
from kiosk.store.database import Database
from kiosk.store.reconciliation import (
    offline_admissions_to_check,
    pending_offline_admissions,
    reconciliation_issues,
    set_reconciliation,
    uncheckable_offline_admissions,
)
from kiosk.store.revocations import is_revoked_hash
from kiosk.upstream.client import RevocationList
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.revocation_sync import sync_revocations

log = logging.getLogger(__name__)

RESULT_VALID = "valid"  # upstream reports nothing against the certificate
RESULT_REVOKED = "revoked"


class RevocationSource(Protocol):
    def revocations(self, since: float | None = None, *, timeout_s: float = ...) -> RevocationList: ...


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    checked: int  # offline admissions given a result in this run
    newly_revoked: int  # of those, reported revoked
    uncheckable: int  # offline admissions without a certificate identifier (left as they are)
    remaining: int  # still waiting (limit reached or rate-capped)
    issues_total: int  # all offline admissions ever reported revoked/invalid
    rate_limited: bool = False

    def summary(self) -> str:
        """The owner-facing line (English; the UI translates by `issues_total`)."""
        n = self.issues_total
        noun = "visit" if n == 1 else "visits"
        verb = "was" if n == 1 else "were"
        return f"{n} {noun} admitted offline {verb} later reported revoked/invalid"


def reconcile_offline_visits(
    db: Database,
    client: RevocationSource,
    *,
    bucket: TokenBucket | None = None,
    limit: int = 5000,
    timeout_s: float = 10.0,
    clock: Clock | None = None,
    download: bool = True,
    until: float | None = None,
) -> ReconcileReport:
    """Give every unreconciled offline admission a result; raises UpstreamFailure if upstream fails.

    `bucket` caps how often this may call upstream (one token per run); without a
    token the run does nothing and says so, and the caller tries again later.
    `download=False`: the stored revocation list is as current as upstream's was at `until`
    (a sync or a verification's news after these visits); only the admissions scanned by
    then are compared against it, without asking upstream again.
    """
    checkable = offline_admissions_to_check(db, limit, until)
    uncheckable = uncheckable_offline_admissions(db)
    if not checkable:
        return ReconcileReport(0, 0, uncheckable, 0, len(reconciliation_issues(db)))
    if bucket is not None and not bucket.try_acquire(1):
        issues = len(reconciliation_issues(db))
        return ReconcileReport(0, 0, uncheckable, pending_offline_admissions(db), issues, rate_limited=True)
    if download:
        sync_revocations(client, db, clock or SystemClock(), timeout_s=timeout_s)
    newly_revoked = 0
    for visit_id, digest in checkable:
        result = RESULT_REVOKED if is_revoked_hash(db, digest) else RESULT_VALID
        newly_revoked += result == RESULT_REVOKED
        set_reconciliation(db, visit_id, result)
    if newly_revoked:
        # Counts only: which visits is in the database, for the owner's eyes, not the log.
        log.warning("reconciliation: %d offline admission(s) reported revoked", newly_revoked)
    return ReconcileReport(
        checked=len(checkable),
        newly_revoked=newly_revoked,
        uncheckable=uncheckable,
        remaining=pending_offline_admissions(db),
        issues_total=len(reconciliation_issues(db)),
    )
