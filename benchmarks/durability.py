"""Cost of durability before display: record_visit latency and open time.

Prints figures; asserts nothing. Usage: python benchmarks/durability.py [N] [DIR]
(DIR defaults to a temporary folder; pass one on the kiosk's real disk for field figures).

The contended run records visits while a second thread writes to the same data file as
the app's uploader and maintenance threads do (acknowledging outbox rows in batches,
adding revocations), so the figure includes waits for the write lock. Its quantiles
are the fleet simulation's local-work distribution (kiosk/simulator/fleet_local.py).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.outbox import due, mark_sent
from kiosk.store.revocations import add_revocations
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit

# The quantiles the fleet simulation draws its local work from.
FLEET_QUANTILES = (0.5, 0.9, 0.99, 0.999)


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


def _background_writer(db: Database, stop: threading.Event, rng: random.Random) -> None:
    """The uploader's acknowledgements and the maintenance thread's revocations, as in the app."""
    n = 0
    while not stop.is_set():
        sent = [item.visit_id for item in due(db, 2e9, limit=50)]
        if sent:
            mark_sent(db, sent)
        n += 1
        if n % 20 == 0:
            add_revocations(db, [f"{rng.getrandbits(256):064x}" for _ in range(100)], 1.8e9)
        stop.wait(0.02)


def _contended(db: Database, n: int, rng: random.Random, start: float) -> list[float]:
    stop = threading.Event()
    writer = threading.Thread(target=_background_writer, args=(db, stop, random.Random(2)), daemon=True)
    writer.start()
    try:
        return _run(db, n, rng, start)
    finally:
        stop.set()
        writer.join()


def _fleet_quantiles(ms: list[float]) -> None:
    ordered = sorted(ms)
    points = [(q, ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000) for q in FLEET_QUANTILES]
    points.append((1.0, ordered[-1] / 1000))
    print("  fleet quantiles (q, seconds): " + ", ".join(f"({q:g}, {v:.5f})" for q, v in points))


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
        contended = _contended(db, n, rng, 1.785e9)
        _report("FULL, other writer", contended)
        _fleet_quantiles(contended)
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
