"""Verdict latency while upstream misbehaves, and lost or re-sent records after it recovers.

For each fault the simulator can inject, N scans (DCCs and check-in tokens issued by the
simulator) go through the real VerificationEngine wired as the app wires it: the real
UpstreamClient, a CircuitBreaker and verdict budget from the config defaults, and a
real SQLite StoreRecorder in a temporary folder, against the in-process Simulator on
127.0.0.1. Latency is measured from "decoded text handed to the engine" to "decision
returned" (the visit and its outbox row are committed inside that span).

Then the fault is cleared, the breaker is left to recover through its own probe, the
outbox is drained with the real Uploader (sharing the breaker, as in the app), and the
simulator's records are compared with the kiosk's: lost (local visits upstream never
stored) must be 0; "re-sent" counts records upstream received again for an id it had
stored (after an answer that never reached the kiosk: stored once, idempotent by id).

"locked database" is a local fault: another process takes the data file's write lock
(`BEGIN EXCLUSIVE`, as an owner command or a backup would) for seconds at a time while
the scans run, then lets go; every visit whose verdict was shown must be in the data
file afterwards (through the visit journal) and the journal must be empty.

Run: .venv/bin/python benchmarks/latency_under_faults.py [--scans 60] [--interval-ms 50]
     [--only hang,503] [--seed 1]
Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.clock import SystemClock
from kiosk.config import Config
from kiosk.context import Context
from kiosk.decision import Verdict, VerifiedBy
from kiosk.errors import StoreError
from kiosk.passes.signer import load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.journal import VisitJournal
from kiosk.store.outbox import next_due_at, pending_count
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import list_visits
from kiosk.upstream.uploader import StopReason, Uploader, UploaderSettings
from kiosk.verify.breaker import BreakerState
from kiosk.wiring import build_engine, build_online

KIOSK_ID = "bench-kiosk"
API_KEY = "demo-key"
TOLERANCE_MS = 50.0
RECOVERY_DEADLINE_S = 90.0
DRAIN_DEADLINE_S = 90.0
UPLOAD_EVERY = 20  # scans between upload rounds during the fault (the app's background uploader)

FAULTS: dict[str, Faults] = {
    "none": Faults(),
    "latency 300ms": Faults(latency_ms=300),
    "latency 1500ms": Faults(latency_ms=1500),
    "503 (error_rate 1.0)": Faults(error_rate=1.0, retry_after_s=1),
    "429 + Retry-After 2s": Faults(throttle_rate=1.0, retry_after_s=2),
    "hang": Faults(hang=True, max_hang_s=10),
    "hang, health says when": Faults(hang=True, max_hang_s=10, health_retry_after_s=60),
    "garbage html": Faults(garbage="html"),
    "garbage json-wrong": Faults(garbage="json-wrong"),
    "truncated body": Faults(garbage="truncated"),
    "connection reset": Faults(reset=True),
    "overload 3 rps reject": Faults(capacity_rps=3, retry_after_s=1),
    "overload 3 rps slow": Faults(capacity_rps=3, overload_mode="slow", max_hang_s=10),
    # One kiosk makes one request at a time, so this limit only shows it is never reached.
    "overload 1 concurrent": Faults(max_concurrency=1),
    "latency 200ms + jitter 1s": Faults(latency_ms=200, latency_jitter_ms=1000),
    "hang half the requests": Faults(hang=True, fault_rate=0.5, max_hang_s=10),
    "trickle headers 50ms/B": Faults(trickle_headers=True, trickle_interval_ms=50, max_hang_s=10),
    "trickle body 50ms/B": Faults(trickle_body=True, trickle_interval_ms=50, max_hang_s=10),
    "upload dropped after ack": Faults(drop_after_ack=True),
    "upload partial answer": Faults(partial_batch=True),
    "locked database": Faults(),  # upstream healthy; the fault is local (see DbLocker)
}
LOCAL_LOCK = "locked database"
LOCK_HOLD_S = 2.5  # each hold; released for LOCK_GAP_S in between, so merges happen mid-run
LOCK_GAP_S = 0.3

_LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
while True:
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    time.sleep(float(sys.argv[3]))
"""


class DbLocker:
    """Another process holding the data file's write lock on and off until stopped."""

    def __init__(self, path: Path) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _LOCKER, str(path), str(LOCK_HOLD_S), str(LOCK_GAP_S)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self._proc.stdout.readline()  # wait until the first hold has started

    def stop(self) -> None:
        self._proc.kill()  # its open transaction rolls back; the lock is gone with the process
        self._proc.wait()


@dataclass(frozen=True, slots=True)
class Row:
    fault: str
    p50_ms: float
    p99_ms: float
    max_ms: float
    online: float
    offline: float
    manual: float
    requests_per_scan: float
    within_budget: bool
    recovery_s: float | None  # fault cleared -> first online verdict; None: not within the deadline
    drain_s: float
    local: int
    stored: int
    lost: int
    foreign: int
    duplicates: int
    replays: int
    pending: int
    unmerged: int | None = None  # locked database: shown verdicts whose visit is not in the file
    journal_left: int | None = None  # locked database: lines still in the visit journal


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    # Nearest rank: an observed value, no interpolation; with 60 samples p99 is the largest.
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class Kiosk:
    """One kiosk wired by `kiosk.wiring`, with config defaults and its own data file."""

    def __init__(self, sim: Simulator, folder: Path, config: Config, seed: int) -> None:
        clock = SystemClock()
        rng = random.Random(seed)
        config = replace(
            config,
            kiosk=replace(config.kiosk, id=KIOSK_ID),
            upstream=replace(config.upstream, url=sim.url, api_key=API_KEY),
        )
        ctx = Context(config=config, data_dir=folder, db_path=folder / "kiosk.db")
        self.db: Database = ctx.db()
        trust = TrustStore(self.db)
        for signer in sim.state.signers:
            trust.add(load_signer_cert(signer.der), clock.now())
        self.client, self.breaker = build_online(ctx, clock=clock, rng=rng)
        self.engine = build_engine(ctx, clock=clock, rng=rng, online_parts=(self.client, self.breaker))
        self.uploader = Uploader(
            self.db,
            self.client,
            clock,
            rng,
            UploaderSettings.from_config(config.uploader),
            breaker=self.breaker,
        )

    def close(self) -> None:
        self.client.close()
        self.db.close()


def next_pass(sim: Simulator, n: int) -> str:
    # Issued just before its scan: a check-in token lives 30 s, like a phone's fresh code.
    if n % 3 == 2:
        return sim.state.issue_token().token
    return sim.state.issue_dcc({"type": "v" if n % 2 else "t"}).text


def run_fault(
    sim: Simulator, name: str, faults: Faults, args: argparse.Namespace, config: Config, folder: Path
) -> Row:
    sim.reset()
    kiosk = Kiosk(sim, folder, config, args.seed)
    budget_ms = config.verify.budget_ms
    try:
        sim.set_faults(faults)
        latencies: list[float] = []
        shown: set[str] = set()
        online = offline = manual = attempts = 0
        locker = DbLocker(kiosk.db.path) if name == LOCAL_LOCK else None
        for n in range(args.scans):
            text = next_pass(sim, n)
            start = time.perf_counter()
            evaluation = kiosk.engine.verify(text)
            latencies.append((time.perf_counter() - start) * 1000)
            decision = evaluation.decision
            shown.add(decision.visit_id or "")
            attempts += evaluation.online_attempted
            if decision.verified_by is VerifiedBy.ONLINE:
                online += 1
            elif decision.verdict is Verdict.MANUAL:
                manual += 1
            elif decision.verified_by is VerifiedBy.OFFLINE:
                offline += 1
            if (n + 1) % UPLOAD_EVERY == 0:
                # A store error (the data file locked past the wait) leaves the rows queued,
                # as the app's UploaderThread does.
                with contextlib.suppress(StoreError):
                    kiosk.uploader.run_once()
            time.sleep(args.interval_ms / 1000)
        if locker is not None:
            locker.stop()

        sim.set_faults(Faults())
        cleared = time.monotonic()
        recovery_s = recover(sim, kiosk, cleared, args)
        drain_started = time.monotonic()
        drain(kiosk)
        drain_s = time.monotonic() - drain_started

        local = {v.id for v in list_visits(kiosk.db)}
        stored = {v["id"] for v in sim.state.stored_visits()}
        journal = VisitJournal(kiosk.db.path)
        counters = sim.state.counters()
        p99 = percentile(latencies, 0.99)
        n = args.scans
        return Row(
            fault=name,
            p50_ms=percentile(latencies, 0.50),
            p99_ms=p99,
            max_ms=max(latencies),
            online=online / n,
            offline=offline / n,
            manual=manual / n,
            requests_per_scan=attempts / n,
            within_budget=p99 <= budget_ms + TOLERANCE_MS,
            recovery_s=recovery_s,
            drain_s=drain_s,
            local=len(local),
            stored=len(stored),
            lost=len(local - stored),
            foreign=len(stored - local),
            duplicates=counters.duplicates,
            replays=counters.replays,
            pending=pending_count(kiosk.db),
            unmerged=len(shown - local) if locker is not None else None,
            journal_left=journal.waiting() if locker is not None else None,
        )
    finally:
        kiosk.close()


def recover(sim: Simulator, kiosk: Kiosk, cleared: float, args: argparse.Namespace) -> float | None:
    """Scan (one visitor at a time) until a verdict comes online again: the breaker's own probe."""
    n = 0
    while time.monotonic() - cleared < RECOVERY_DEADLINE_S:
        snapshot = kiosk.breaker.snapshot()
        if snapshot.state is not BreakerState.CLOSED and snapshot.next_probe_in_s:
            time.sleep(min(snapshot.next_probe_in_s, RECOVERY_DEADLINE_S))
        decision = kiosk.engine.verify(next_pass(sim, n)).decision
        n += 1
        if decision.verified_by is VerifiedBy.ONLINE:
            return time.monotonic() - cleared
        time.sleep(max(args.interval_ms / 1000, 0.05))
    return None


def drain(kiosk: Kiosk) -> None:
    deadline = time.monotonic() + DRAIN_DEADLINE_S
    while pending_count(kiosk.db) and time.monotonic() < deadline:
        report = kiosk.uploader.run_once()
        if report.stopped is StopReason.ROUND_LIMIT:
            continue
        due = next_due_at(kiosk.db)
        wait = 0.05 if due is None else due - time.time()
        if report.stopped is StopReason.BREAKER_OPEN:
            wait = kiosk.breaker.snapshot().next_probe_in_s or 0.05
        time.sleep(min(max(wait, 0.05), max(0.0, deadline - time.monotonic())))


def print_tables(rows: list[Row], budget_ms: int) -> None:
    limit = budget_ms + TOLERANCE_MS
    print(
        "\nVerdict latency (decoded text -> decision returned, visit committed); "
        f"PASS = p99 <= {limit:.0f} ms"
    )
    head = (
        f"{'fault':<24} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'online':>7} {'offline':>8} "
        f"{'manual':>7} {'req/scan':>9}  p99<=budget+50"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.fault:<24} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {r.max_ms:>7.1f} {r.online:>7.0%} "
            f"{r.offline:>8.0%} {r.manual:>7.0%} {r.requests_per_scan:>9.2f}  "
            f"{'PASS' if r.within_budget else 'FAIL'}"
        )
    print("\nAfter clearing the fault: breaker recovery, outbox drain, records upstream")
    head = (
        f"{'fault':<24} {'recover s':>9} {'drain s':>8} {'local':>6} {'stored':>7} {'lost':>5} "
        f"{'foreign':>8} {'re-sent':>8} {'replays':>8} {'pending':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        recovered = "never" if r.recovery_s is None else f"{r.recovery_s:.1f}"
        print(
            f"{r.fault:<24} {recovered:>9} {r.drain_s:>8.1f} {r.local:>6} {r.stored:>7} {r.lost:>5} "
            f"{r.foreign:>8} {r.duplicates:>8} {r.replays:>8} {r.pending:>8}"
        )
    for r in rows:
        if r.unmerged is not None:
            print(
                f"\n{r.fault}: another process held BEGIN EXCLUSIVE {LOCK_HOLD_S:g} s at a time during the "
                f"scans; after it let go, {r.unmerged} shown verdict(s) had no visit in the data file and "
                f"{r.journal_left} line(s) were left in the visit journal"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scans", type=int, default=60, help="scans per fault (default 60)")
    parser.add_argument("--interval-ms", type=float, default=50.0, help="pause between scans (default 50)")
    parser.add_argument("--only", default="", help="comma-separated fault names (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    selected = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in selected if s not in FAULTS]
    if unknown:
        parser.error(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(FAULTS)}")
    cases = {k: v for k, v in FAULTS.items() if not selected or k in selected}
    config = Config()

    print("command: " + shlex.join([".venv/bin/python", "benchmarks/latency_under_faults.py", *sys.argv[1:]]))
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cpu(s); {args.scans} scans per fault "
        f"(2/3 DCC, 1/3 check-in token), {args.interval_ms:g} ms apart; budget {config.verify.budget_ms} ms "
        f"(reserve {config.verify.reserve_ms} ms), breaker and uploader from config defaults"
    )
    rows: list[Row] = []
    started = time.monotonic()
    with Simulator(api_keys=(API_KEY,), fault_rng=random.Random(args.seed)) as sim:
        for n, (name, faults) in enumerate(cases.items()):
            case_started = time.monotonic()
            with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
                rows.append(run_fault(sim, name, faults, args, config, Path(tmp) / f"case{n}"))
            print(f"  {name}: done in {time.monotonic() - case_started:.1f} s", file=sys.stderr, flush=True)
    print_tables(rows, config.verify.budget_ms)
    print(f"\ntotal run time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
