"""The engine's durable sink: turns a decision into a visit row plus its outbox row.

When another process holds the data file's write lock longer than the verdict can
wait, the visit goes to the fsynced visit journal instead (see kiosk.store.journal)
and moves into the database at the next successful record.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
from collections.abc import Sequence
from typing import Any

from kiosk.decision import Decision
from kiosk.errors import StoreError
from kiosk.pass_hash import pass_hash, uci_hash
from kiosk.passes.model import DccCheck
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.errors import DatabaseBusyError
from kiosk.store.journal import VisitJournal, merge_journal
from kiosk.store.revocations import is_revoked_hash
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit, upload_record

log = logging.getLogger(__name__)

# The wait for the lock while visits are already being journalled (see StoreRecorder).
_RETRY_WAIT_S = 0.01


class StoreRecorder:
    def __init__(self, db: Database, *, kiosk_id: str, rng: random.Random) -> None:
        self._db = db
        self._kiosk_id = kiosk_id
        self._rng = rng
        self._rng_lock = threading.Lock()
        self._journal = VisitJournal.for_database(db.path)
        # Set while visits sit in the journal: the lock is known to be held for long, so
        # the next scans only try it briefly instead of each waiting out the full wait.
        self._lock_held_elsewhere = False

    def record(
        self,
        text: str,
        decision: Decision,
        dcc: DccCheck | None,
        scanned_at: float,
        *,
        wait_s: float | None = None,
    ) -> str:
        """Commit the visit (or journal it when the file stays locked past `wait_s`); returns its id."""
        return self.commit(self.draft(text, decision, dcc, scanned_at), decision, wait_s=wait_s)

    def draft(self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float) -> VisitRecord:
        """The visit as it would be recorded, with its id, before anything is written.

        The engine drafts before the online call so the call can carry the record (with
        the id the visit will keep); `commit` then writes the final version.
        """
        with self._rng_lock:
            visit_id = new_visit_id(scanned_at, self._rng)
        return VisitRecord(
            id=visit_id,
            scanned_at=scanned_at,
            pass_hash=pass_hash(text),
            uci_hash=uci_hash(dcc.uci) if dcc is not None and dcc.uci else None,
            kiosk_id=self._kiosk_id,
            **_outcome(decision, confirmed=False),
        )

    @staticmethod
    def upload_form(draft: VisitRecord) -> dict[str, object]:
        """What upstream receives for this visit (no personal data, no raw pass)."""
        return upload_record(draft)

    def pending_forms(self, limit: int, now: float) -> list[dict[str, object]]:
        """Up to `limit` visits waiting for their upload (retry time come at `now`), in upload form:
        the next online verification may carry them (the carry extension). Rows that cannot
        be read are left to the uploader, which sets them aside."""
        items, _ = outbox.due_readable(self._db, now, limit)
        return [upload_record(i.visit) for i in items]

    def commit(
        self,
        draft: VisitRecord,
        decision: Decision,
        *,
        confirmed: bool = False,
        wait_s: float | None = None,
        carried: Sequence[str] = (),
    ) -> str:
        """Commit a drafted visit with the final decision; returns its (the draft's) id.

        `confirmed`: upstream already stored exactly this record (with the online check),
        so it is written as acknowledged and never uploaded again. `carried`: earlier visits
        upstream acknowledged with the same check, marked sent in the same transaction (a
        visit journalled instead leaves them to the uploader: upstream stores by id once).
        """
        record = dataclasses.replace(draft, **_outcome(decision, confirmed=confirmed))
        visit_id = record.id
        if self._lock_held_elsewhere and wait_s is not None:
            wait_s = min(wait_s, _RETRY_WAIT_S)
        try:
            record_visit(self._db, record, wait_s=wait_s, carried=carried)
        except DatabaseBusyError:
            if self._journal is None:
                raise
            self._journal.append(record)
            if not self._lock_held_elsewhere:
                log.warning("data file locked by another program: visits go to the visit journal")
            self._lock_held_elsewhere = True
            return visit_id
        self._lock_held_elsewhere = False
        # The lock is free again (this record just committed): bring any journal home,
        # without waiting, for the verdict waits on this.
        try:
            merge_journal(self._db, wait_s=0.0)
        except StoreError as exc:
            log.warning("visit journal not merged yet: %s", exc.message)
        return visit_id


def _outcome(decision: Decision, *, confirmed: bool) -> dict[str, Any]:
    """The fields of a visit its decision sets (a draft's, then the committed visit's)."""
    return {
        "kind": decision.kind,
        "holder_masked": decision.holder_masked,
        "decision": decision.verdict,
        "reason": decision.reason,
        "verified_by": decision.verified_by,
        "upstream_state": UpstreamState.CONFIRMED if confirmed else UpstreamState.PENDING,
    }


class StoreRevocations:
    """Revoked certificate identifiers, as synced from upstream (SHA-256 of the UCI)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_revoked(self, uci: str) -> bool:
        return is_revoked_hash(self._db, uci_hash(uci))
