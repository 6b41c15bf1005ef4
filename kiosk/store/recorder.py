"""The engine's durable sink: turns a decision into a visit row plus its outbox row."""

from __future__ import annotations

import random
import threading

from kiosk.clock import Clock
from kiosk.passes.model import DccCheck
from kiosk.store.database import Database
from kiosk.store.revocations import is_revoked_hash
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, pass_hash, record_visit, uci_hash
from kiosk.verify.decision import Decision


class StoreRecorder:
    def __init__(self, db: Database, *, kiosk_id: str, clock: Clock, rng: random.Random) -> None:
        self._db = db
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._rng = rng
        self._rng_lock = threading.Lock()

    def record(self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float) -> str:
        with self._rng_lock:
            visit_id = new_visit_id(scanned_at, self._rng)
        record_visit(
            self._db,
            VisitRecord(
                id=visit_id,
                scanned_at=scanned_at,
                kind=decision.kind,
                pass_hash=pass_hash(text),
                uci_hash=uci_hash(dcc.uci) if dcc is not None and dcc.uci else None,
                holder_masked=decision.holder_masked,
                decision=decision.verdict,
                reason=decision.reason,
                verified_by=decision.verified_by,
                upstream_state=UpstreamState.PENDING,
                kiosk_id=self._kiosk_id,
            ),
        )
        return visit_id


class StoreRevocations:
    """Revoked certificate identifiers, as synced from upstream (SHA-256 of the UCI)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_revoked(self, uci: str) -> bool:
        return is_revoked_hash(self._db, uci_hash(uci))
