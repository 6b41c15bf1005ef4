from __future__ import annotations

import csv
import io
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store.database import Database
from kiosk.store.visits import VISIT_COLUMNS, UpstreamState, VisitRecord, new_visit_id, record_visit

HERE = Path(__file__).parent
# 2026-05-28 12:00 KST = 03:00 UTC
T0 = 1_779_937_200.0

AddVisit = Callable[..., VisitRecord]


@pytest.fixture
def add_visit(db: Database) -> AddVisit:
    rng = random.Random(99)
    counter = iter(range(10**9))

    def add(**overrides: object) -> VisitRecord:
        n = next(counter)
        at = float(overrides.pop("scanned_at", T0 + n))  # type: ignore[arg-type]
        fields: dict[str, object] = {
            "id": new_visit_id(at, rng),
            "scanned_at": at,
            "kind": PassKind.DCC,
            "pass_hash": pass_hash(f"HC1:OWNERTEST{n}"),
            "uci_hash": None,
            "holder_masked": "홍*동",
            "decision": Verdict.ADMIT,
            "reason": Reason.VALID,
            "verified_by": VerifiedBy.OFFLINE,
            "upstream_state": UpstreamState.CONFIRMED,
            "kiosk_id": "kiosk-7",
        }
        fields.update(overrides)
        record = VisitRecord(**fields)  # type: ignore[arg-type]
        record_visit(db, record)
        return record

    return add


def read_csv_text(data: bytes) -> list[list[str]]:
    """Parse an exported CSV; the byte-order mark Excel needs for Korean text is required."""
    assert data.startswith(b"\xef\xbb\xbf"), "not a UTF-8 CSV with BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def bulk_visits(path: Path, n: int, start: float, step: float = 1.0, holder: str = "김*수") -> None:
    """Many visits fast (one transaction), for tests that need thousands of rows."""
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            f"INSERT INTO visits ({VISIT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (new_visit_id(start + i * step, rng), start + i * step, "dcc", f"{i:064x}", None, holder,
                 "admit", "valid", "online", "confirmed", "kiosk-7", None)
                for i in range(n)
            ],
        )
    conn.close()


@contextmanager
def locked_by_other_process(path: Path) -> Iterator[None]:
    """Another process holds BEGIN EXCLUSIVE (with an uncommitted write) on the data file."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "locker.py"), str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
