"""Proving that a visit can be written: a probe visit written, read back and rolled back.

An empty transaction only proves that the write lock can be had. A data file can take
an INSERT and still lose the row (a trigger's RAISE(IGNORE) reports success), so only
reading the visit and its outbox row back inside the same transaction proves the
write; rolling it back leaves the file as it was, and nothing outside ever sees it.
"""

from __future__ import annotations

import random

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store.database import Database
from kiosk.store.visits import UpstreamState, VisitRecord, get_visit, new_visit_id, record_visit


class _Undo(Exception):
    """Leaves the probe's transaction through its rollback."""


def probe_visit_write(db: Database, *, now: float, rng: random.Random, wait_s: float) -> bool:
    """Whether a visit written the way the recorder writes it reads back with its outbox row.

    Store errors (busy, disk full, a schema that refuses the row) leave as StoreErrors.
    """
    probe = VisitRecord(
        id=new_visit_id(now, rng),
        scanned_at=now,
        kind=PassKind.UNKNOWN,
        pass_hash=pass_hash("kiosk doctor write probe"),
        uci_hash=None,
        holder_masked=None,
        decision=Verdict.DENY,
        reason=Reason.NOT_A_PASS,
        verified_by=VerifiedBy.NONE,
        upstream_state=UpstreamState.PENDING,
        kiosk_id="doctor-probe",
    )
    found = False
    try:
        with db.transaction(wait_s=wait_s):
            record_visit(db, probe)  # nested: a savepoint inside the probe's transaction
            queued = db.scalar("SELECT state FROM outbox WHERE visit_id = ?", (probe.id,))
            found = get_visit(db, probe.id) == probe and queued == "pending"
            raise _Undo
    except _Undo:
        pass
    return found
