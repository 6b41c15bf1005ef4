"""`kiosk simulate fleet`: many kiosks, one upstream of limited capacity, a lunch surge and an outage.

A discrete-event simulation on virtual time (a heap of events, no sleeping, no
sockets). Every kiosk runs the app's real VerificationEngine, CircuitBreaker,
StoreRecorder and Uploader against its own SQLite outbox; only upstream is a model
(fleet_upstream.py). The same scenario (seed, scan times, passes) is run once with
our policy and once with a naive client, and the figures are compared
(fleet_report.py).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from kiosk.simulator.fleet_kiosk import Policy, SimKiosk
from kiosk.simulator.fleet_scenario import PassPool, Scenario, issue_pass_pool, scan_arrivals
from kiosk.simulator.fleet_upstream import RequestCounts, UpstreamModel, UpstreamSettings
from kiosk.store.database import Database, open_database
from kiosk.verify.breaker import BreakerState
from kiosk.verify.decision import VerifiedBy

OURS = Policy("ours")
NAIVE = Policy("naive", naive=True)

_SCAN = 0
_UPLOAD = 1


@dataclass(frozen=True, slots=True)
class PolicyResult:
    policy: str
    scans: int
    scans_surge: int
    scans_outage: int
    requests: dict[str, dict[str, int]]  # window -> counts (total, verify, upload, timeouts, ...)
    upstream_requests_per_scan: float  # the surge window, which holds the outage and partial capacity
    upstream_requests_per_scan_outage: float
    upstream_requests_per_scan_overall: float
    verdicts_within_budget: float
    p50_verdict_ms: float
    p99_verdict_ms: float
    max_verdict_ms: float
    verified_online: float  # share of scans with an online verdict
    backlog_records: int  # visits recorded before recovery and not acknowledged by then
    backlog_drain_s: float | None  # after full recovery; None: not drained when the simulation ended
    backlog_drain_after_outage_s: float | None  # the same, counted from the end of the outage
    lost_records: int
    duplicate_records: int
    redelivered_records: int
    breaker_open_in_outage: int | None  # kiosks seen with an open breaker; None without a breaker
    breaker_closed_at_end: int | None
    end_s: float  # virtual time when the simulation stopped
    wall_s: float


@dataclass(slots=True)
class _Tally:
    elapsed: list[float] = field(default_factory=list)
    online: int = 0
    scans_surge: int = 0
    scans_outage: int = 0


@contextmanager
def _quiet_memory_databases() -> Iterator[None]:
    # An in-memory database cannot use WAL; the store warns once per file, i.e. 1,000 times here.
    logger = logging.getLogger("kiosk.store.database")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def simulate_policy(
    scenario: Scenario,
    policy: Policy,
    *,
    pool: PassPool | None = None,
    upstream: UpstreamSettings | None = None,
) -> PolicyResult:
    started = time.perf_counter()
    pool = pool or issue_pass_pool(scenario)
    surge, outage = scenario.surge, scenario.outage
    windows = {"surge": surge.__contains__, "outage": outage.__contains__}
    model = UpstreamModel(upstream or UpstreamSettings(), scenario.kiosks, scenario.capacity_at, windows)
    heap: list[tuple[float, int, int, int, str]] = []
    seq = itertools.count()

    def schedule_upload(t: float, index: int) -> None:
        heapq.heappush(heap, (t, next(seq), _UPLOAD, index, ""))

    dbs: list[Database] = []
    kiosks: list[SimKiosk] = []
    try:
        with _quiet_memory_databases():
            dbs.extend(open_database(":memory:") for _ in range(scenario.kiosks))
        for i, db in enumerate(dbs):
            kiosks.append(
                SimKiosk(
                    i,
                    scenario=scenario,
                    policy=policy,
                    pool=pool,
                    model=model,
                    db=db,
                    schedule=schedule_upload,
                )
            )
        arrivals = [scan_arrivals(scenario, i, pool) for i in range(scenario.kiosks)]
        active = 0
        for i, it in enumerate(arrivals):
            first = next(it, None)
            if first is not None:
                active += 1
                heapq.heappush(heap, (first[0], next(seq), _SCAN, i, first[1]))
        tally = _Tally()
        pending = 0
        hard_end = scenario.length_s + scenario.drain_limit_min * 60.0
        now = 0.0
        while heap:
            now, _, kind, index, text = heapq.heappop(heap)
            if now > hard_end:
                break
            kiosk = kiosks[index]
            if kind == _SCAN:
                outcome = kiosk.scan(now, text)
                pending += 1
                tally.elapsed.append(outcome.elapsed_s)
                tally.online += outcome.verified_by is VerifiedBy.ONLINE
                tally.scans_surge += now in surge
                tally.scans_outage += now in outage
                following = next(arrivals[index], None)
                if following is None:
                    active -= 1
                else:
                    heapq.heappush(heap, (following[0], next(seq), _SCAN, index, following[1]))
            elif kiosk.upload_at == now:
                pending -= kiosk.upload_round(now)
                if active == 0 and pending == 0:
                    break
        return _result(scenario, policy, model, kiosks, tally, now, time.perf_counter() - started)
    finally:
        for db in dbs:
            db.close()


def _result(
    scenario: Scenario,
    policy: Policy,
    model: UpstreamModel,
    kiosks: list[SimKiosk],
    tally: _Tally,
    end_s: float,
    wall_s: float,
) -> PolicyResult:
    ledger = model.ledger
    lost = 0
    visits: list[tuple[str, float]] = []  # (id, virtual scan time)
    for kiosk in kiosks:
        for row in kiosk.db.query("SELECT id, scanned_at FROM visits"):
            visits.append((row["id"], row["scanned_at"] - scenario.start_epoch))
            lost += row["id"] not in ledger.stored_at
    backlog, drain_s = _backlog(visits, ledger.acked_at, scenario.recovery_s)
    _, drain_after_outage_s = _backlog(visits, ledger.acked_at, scenario.outage.end_s)
    scans = len(tally.elapsed)
    elapsed = sorted(tally.elapsed)
    within = sum(1 for e in elapsed if e <= policy.budget_s + 1e-9)
    counts = model.counts

    def per_scan(window: str, n: int) -> float:
        return counts[window].total / n if n else 0.0

    has_breaker = not policy.naive
    return PolicyResult(
        policy=policy.name,
        scans=scans,
        scans_surge=tally.scans_surge,
        scans_outage=tally.scans_outage,
        requests={name: _counts_dict(c) for name, c in counts.items()},
        upstream_requests_per_scan=per_scan("surge", tally.scans_surge),
        upstream_requests_per_scan_outage=per_scan("outage", tally.scans_outage),
        upstream_requests_per_scan_overall=per_scan("overall", scans),
        verdicts_within_budget=within / scans if scans else 1.0,
        p50_verdict_ms=_percentile(elapsed, 0.50) * 1000,
        p99_verdict_ms=_percentile(elapsed, 0.99) * 1000,
        max_verdict_ms=(elapsed[-1] if elapsed else 0.0) * 1000,
        verified_online=tally.online / scans if scans else 0.0,
        backlog_records=backlog,
        backlog_drain_s=drain_s,
        backlog_drain_after_outage_s=drain_after_outage_s,
        lost_records=lost,
        duplicate_records=len(ledger.duplicates),
        redelivered_records=len(ledger.redelivered),
        breaker_open_in_outage=sum(k.open_in_outage for k in kiosks) if has_breaker else None,
        breaker_closed_at_end=(
            sum(k.breaker.state is BreakerState.CLOSED for k in kiosks) if has_breaker else None
        ),
        end_s=end_s,
        wall_s=wall_s,
    )


def _backlog(
    visits: list[tuple[str, float]], acked_at: dict[str, float], since: float
) -> tuple[int, float | None]:
    """Visits scanned before `since` but not acknowledged by then, and how long until the last one was."""
    backlog = 0
    last = since
    for visit_id, scanned in visits:
        if scanned >= since:
            continue
        acked = acked_at.get(visit_id)
        if acked is None:
            return backlog + 1, None
        if acked > since:
            backlog += 1
            last = max(last, acked)
    return backlog, last - since


def _counts_dict(c: RequestCounts) -> dict[str, int]:
    return {
        "total": c.total,
        "verify": c.verify,
        "upload": c.upload,
        "timeouts": c.timeouts,
        "shed_503": c.shed_503,
        "throttled_429": c.throttled_429,
    }


@dataclass(frozen=True, slots=True)
class FleetReport:
    scenario: Scenario
    ours: PolicyResult
    naive: PolicyResult
    wall_s: float


def run_fleet(
    scenario: Scenario,
    *,
    ours: Policy = OURS,
    naive: Policy = NAIVE,
    upstream: UpstreamSettings | None = None,
    jobs: int = 1,
) -> FleetReport:
    """Run both policies on the same scenario (same seed, same scans, same passes).

    `jobs=2` runs them in two processes; the results are identical, only sooner.
    """
    started = time.perf_counter()
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=2) as executor:
            futures = [
                executor.submit(simulate_policy, scenario, policy, upstream=upstream)
                for policy in (ours, naive)
            ]
            ours_result, naive_result = (f.result() for f in futures)
    else:
        # Issued once here; each worker process above issues its own (same seed, same passes).
        pool = issue_pass_pool(scenario)
        ours_result = simulate_policy(scenario, ours, pool=pool, upstream=upstream)
        naive_result = simulate_policy(scenario, naive, pool=pool, upstream=upstream)
    return FleetReport(scenario, ours_result, naive_result, time.perf_counter() - started)
