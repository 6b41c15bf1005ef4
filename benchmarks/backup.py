"""Does an online backup delay the app's writes? The longest write stall of a concurrent writer.

A writer process commits one visit (fsynced, as the app does) every 10 ms and
records each commit's latency; meanwhile `kiosk backup` copies the data file. Prints
the writer's latency quantiles without a backup, during our stepped backup, and
during a one-step backup for contrast. Asserts nothing.

Usage: python benchmarks/backup.py [VISITS] [DIR]     (VISITS defaults to 300,000)
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.owner_tools.backup import backup_database

sys.path.insert(0, str(Path(__file__).parent))
from export import generate  # the same bulk generator as the export benchmark

INTERVAL_S = 0.010


def writer(db_path: Path, seconds: float) -> None:
    from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
    from kiosk.pass_hash import pass_hash
    from kiosk.store.opening import open_database
    from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit

    rng = random.Random(3)
    latencies = []
    with open_database(db_path) as db:
        print("ready", flush=True)
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            now = time.time()
            visit = VisitRecord(
                new_visit_id(now, rng), now, PassKind.DCC, pass_hash(f"W{n}"), None, "W*",
                Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, UpstreamState.PENDING, "bench",
            )
            t0 = time.perf_counter()
            record_visit(db, visit)
            latencies.append((time.time(), (time.perf_counter() - t0) * 1000))
            n += 1
            time.sleep(INTERVAL_S)
    print(json.dumps(latencies))


def _measure(db_path: Path, seconds: float, during) -> tuple[list[float], float | None]:  # type: ignore[no-untyped-def]
    """Latencies (ms) of the writer's commits that overlapped `during` (all of them if None)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--writer", str(db_path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    took = None
    time.sleep(0.3)
    window = (float("-inf"), float("inf"))
    if during is not None:
        t0 = time.perf_counter()
        start = time.time()
        during()
        window = (start, time.time())
        took = time.perf_counter() - t0
    out, _ = proc.communicate()
    pairs = json.loads(out.strip().splitlines()[-1])
    # A commit that ended inside the window overlapped the backup.
    return [ms for at, ms in pairs if window[0] <= at <= window[1] + ms / 1000], took


def _line(label: str, ms: list[float], took: float | None) -> str:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    extra = f"  backup took {took:.1f} s" if took is not None else ""
    return (
        f"{label:<28} writes={len(ms):4d}  p50={q[49]:6.2f} ms  p99={q[98]:7.2f} ms  "
        f"max={max(ms):7.2f} ms{extra}"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--writer":
        writer(Path(sys.argv[2]), float(sys.argv[3]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    with tempfile.TemporaryDirectory(dir=sys.argv[2] if len(sys.argv) > 2 else None) as tmp:
        db_path = Path(tmp) / "kiosk.db"
        generate(db_path, n)
        print(f"data file: {n:,} visits, {db_path.stat().st_size / 1e6:.0f} MB")
        base, _ = _measure(db_path, 4.0, None)
        print(_line("no backup", base, None))
        stepped, took = _measure(
            db_path, 6.0, lambda: backup_database(db_path, Path(tmp) / "a.db")
        )
        print(_line("kiosk backup (stepped)", stepped, took))
        one, took1 = _measure(
            db_path, 6.0, lambda: backup_database(db_path, Path(tmp) / "b.db", pages_per_step=-1)
        )
        print(_line("one-step backup", one, took1))


if __name__ == "__main__":
    main()
