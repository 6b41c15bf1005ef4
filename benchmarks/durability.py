"""Cost of durability before display: record_visit latency and open time.

Prints figures; asserts nothing. Usage: python benchmarks/durability.py [N] [DIR]
(DIR defaults to a temporary folder; pass one on the kiosk's real disk for field figures).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit


def _visit(rng: random.Random, now: float, n: int) -> VisitRecord:
    return VisitRecord(
        id=new_visit_id(now, rng),
        scanned_at=now,
        kind=PassKind.DCC,
        pass_hash=pass_hash(f"HC1:BENCH{n}"),
        uci_hash=pass_hash(f"URN:UVCI:{n}"),
        holder_masked="K** M*****",
        decision=Verdict.ADMIT,
        reason=Reason.VALID,
        verified_by=VerifiedBy.OFFLINE,
        upstream_state=UpstreamState.PENDING,
        kiosk_id="bench",
    )


def _run(db: Database, n: int, rng: random.Random, start: float) -> list[float]:
    latencies = []
    for i in range(n):
        visit = _visit(rng, start + i, i)
        t0 = time.perf_counter()
        record_visit(db, visit)
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies


def _report(label: str, ms: list[float]) -> None:
    q = statistics.quantiles(ms, n=100)
    print(
        f"{label:<22} n={len(ms):5d}  p50={q[49]:6.2f} ms  p95={q[94]:6.2f} ms  p99={q[98]:6.2f} ms  "
        f"max={max(ms):6.2f} ms  ({len(ms) / (sum(ms) / 1000):7.0f} visits/s)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    if len(sys.argv) > 2:
        _bench(n, Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
            _bench(n, Path(tmp))


def _bench(n: int, folder: Path) -> None:
    rng = random.Random(1)
    path = folder / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"record_visit (visit + outbox row, one fsynced transaction) in {folder}")
    with open_database(path) as db:
        _report("synchronous=FULL", _run(db, n, rng, 1.78e9))
        db.query("PRAGMA synchronous=NORMAL")
        _report("synchronous=NORMAL*", _run(db, n, rng, 1.79e9))
    print("  * comparison only; the store always opens with FULL")
    t0 = time.perf_counter()
    with open_database(path) as db:
        opened = (time.perf_counter() - t0) * 1000
        rows = db.scalar("SELECT count(*) FROM visits")
    print(f"open_database (quick_check + migrations check) with {rows} visits: {opened:.1f} ms")


if __name__ == "__main__":
    main()
