from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash, uci_hash
from kiosk.store.database import Database
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id

VisitFactory = Callable[..., VisitRecord]


@pytest.fixture
def make_visit(clock: ManualClock) -> VisitFactory:
    rng = random.Random(1234)
    counter = iter(range(10**9))

    def factory(**overrides: object) -> VisitRecord:
        n = next(counter)
        scanned_at = float(overrides.pop("scanned_at", clock.now()))  # type: ignore[arg-type]
        fields: dict[str, object] = {
            "id": new_visit_id(scanned_at, rng),
            "scanned_at": scanned_at,
            "kind": PassKind.DCC,
            "pass_hash": pass_hash(f"HC1:TESTPASS{n}"),
            "uci_hash": uci_hash(f"URN:UVCI:01:XX:TEST{n}"),
            "holder_masked": "K** M*****",
            "decision": Verdict.ADMIT,
            "reason": Reason.VALID,
            "verified_by": VerifiedBy.OFFLINE,
            "upstream_state": UpstreamState.PENDING,
            "kiosk_id": "kiosk-test-1",
        }
        fields.update(overrides)
        return VisitRecord(**fields)  # type: ignore[arg-type]

    return factory


def execute_sql(path: Path, *statements: str) -> None:
    """Change a data file with plain SQLite, as anyone holding the file could (autocommit)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


class LockWaits:
    """The lock waits (ms) a data file's writes are given, as SQLite has them (busy_timeout) at
    each try for the write lock (a wait is set only when it changes)."""

    def __init__(self, db: Database) -> None:
        self._waits: list[int] = []
        with db.transaction() as conn:
            conn.set_trace_callback(self._seen)
        self._current = int(db.scalar("PRAGMA busy_timeout"))

    def _seen(self, statement: str) -> None:
        if statement.startswith("PRAGMA busy_timeout ="):
            self._current = int(statement.rsplit("=", 1)[1])
        elif statement.startswith("BEGIN IMMEDIATE"):
            self._waits.append(self._current)

    def take(self) -> list[int]:
        """The waits given since the last call, one per try, in order."""
        waits = list(self._waits)
        self._waits.clear()
        return waits
