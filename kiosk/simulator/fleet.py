"""`kiosk simulate fleet`: many kiosks, one upstream of limited capacity, a lunch surge and an outage.

A discrete-event simulation on virtual time (a heap of events, no sleeping, no
sockets). Every kiosk runs the app's real VerificationEngine, CircuitBreaker,
StoreRecorder, Uploader and Maintenance (trust sync, revocation sync, reconciliation,
health probes) against its own SQLite data file; only upstream is a model
(fleet_upstream.py), which counts every request by kind. The same scenario (seed,
scan times, passes) is run with our policy and with baseline clients, and the
figures are compared (fleet_report.py).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from kiosk.decision import VerifiedBy
from kiosk.simulator.fleet_kiosk import PLAIN_MAINTENANCE, SCAN, UPLOAD, Policy, SimKiosk
from kiosk.simulator.fleet_local import MemoDccCheck, template_database
from kiosk.simulator.fleet_scenario import PassPool, Scenario, issue_pass_pool, scan_arrivals
from kiosk.simulator.fleet_upstream import RequestCounts, UpstreamModel, UpstreamSettings
from kiosk.store.database import Database, memory_copy
from kiosk.upstream.uploader import APP_GATHER_S, UploaderSettings
from kiosk.verify.breaker import BreakerState

# The app's settings (UploaderSettings.from_config gathers offline visits for a batch).
OURS = Policy("ours", uploader=UploaderSettings(gather_s=APP_GATHER_S))
# Retries at once, three tries each with the full timeout, no breaker: fails the budget by construction.
NAIVE = Policy("naive", baseline=True, tries=3, maintenance=PLAIN_MAINTENANCE, trust_sync="full")
# The fair baseline: half the verdict budget per try, one retry, no breaker.
COMMERCIAL = Policy("commercial", baseline=True, tries=2, per_try_share=0.5, maintenance=PLAIN_MAINTENANCE)
BASELINES = {p.name: p for p in (NAIVE, COMMERCIAL)}


@dataclass(frozen=True, slots=True)
class PolicyResult:
    policy: str
    scans: int
    scans_surge: int
    scans_outage: int
    requests: dict[str, dict[str, int]]  # window -> counts (total, timeouts, ..., and by kind)
    requests_by_kind: dict[str, int]  # the whole run
    upstream_requests_per_scan: float  # every request of the whole run, per scan
    upstream_requests_per_scan_surge: float
    upstream_requests_per_scan_outage: float
    requests_per_scan_outside_outage: float  # upstream healthy: outside the outage and partial capacity
    verdicts_within_budget: float
    p50_verdict_ms: float
    p99_verdict_ms: float
    max_verdict_ms: float
    verified_online: float  # share of scans with an online verdict
    backlog_records: int  # visits recorded before recovery and not acknowledged by then
    backlog_drain_s: float | None  # after full recovery; None: not drained when the simulation ended
    backlog_drain_after_outage_s: float | None  # the same, counted from the end of the outage
    lost_records: int  # verdicts shown whose visit upstream never stored (or that had no visit)
    duplicate_records: int
    redelivered_records: int
    breaker_open_in_outage: int | None  # kiosks seen with an open breaker; None without a breaker
    breaker_closed_at_end: int | None
    end_s: float  # virtual time when the simulation stopped
    wall_s: float
    peak_rss_mb: float | None  # the simulating process's peak resident memory (None: not measurable here)


@dataclass(slots=True)
class _Tally:
    elapsed: list[float] = field(default_factory=list)
    shown: list[tuple[str | None, float]] = field(default_factory=list)  # (visit id, scan time)
    online: int = 0
    scans_surge: int = 0
    scans_outage: int = 0
    scans_healthy: int = 0


# Per-kiosk lines that would repeat thousands of times: an in-memory database cannot use
# WAL (one warning per file), and every failed background call logs its retry.
_CHATTY_LOGGERS = (
    "kiosk.store.database",
    "kiosk.upstream.maintenance",
    "kiosk.upstream.uploader",
    "kiosk.upstream.reconcile",
    "kiosk.upstream.revocation_sync",
    "kiosk.upstream.trust_sync",
)


@contextmanager
def _quiet_kiosk_logs() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
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
    surge, outage, disturbed = scenario.surge, scenario.outage, scenario.disturbed
    windows = {
        "surge": surge.__contains__,
        "outage": outage.__contains__,
        "outside_outage": lambda t: t not in disturbed,
    }
    settings = upstream or UpstreamSettings()
    if scenario.lost_ack_share:
        settings = replace(settings, lost_ack_share=scenario.lost_ack_share)
    model = UpstreamModel(settings, scenario.kiosks, scenario.capacity_at, windows)
    heap: list[tuple[float, int, int, int, str]] = []
    seq = itertools.count()

    def schedule(t: float, index: int, kind: int) -> None:
        heapq.heappush(heap, (t, next(seq), kind, index, ""))

    with _quiet_kiosk_logs():
        return _simulate(scenario, policy, pool, model, schedule, heap, seq, started)


def _simulate(
    scenario: Scenario,
    policy: Policy,
    pool: PassPool,
    model: UpstreamModel,
    schedule: Callable[[float, int, int], None],
    heap: list[tuple[float, int, int, int, str]],
    seq: Iterator[int],
    started: float,
) -> PolicyResult:
    surge, outage, disturbed = scenario.surge, scenario.outage, scenario.disturbed
    dbs: list[Database] = []
    kiosks: list[SimKiosk] = []
    memo = MemoDccCheck()
    template = template_database()
    try:
        for i in range(scenario.kiosks):
            # Few cached statements: each compiled one stays in memory per connection, and with
            # sqlite3's 128 the 5,000-kiosk run needed ~1 MB per kiosk instead of ~0.5 MB.
            db = memory_copy(template, cached_statements=16)
            dbs.append(db)
            kiosk = SimKiosk(
                i,
                scenario=scenario,
                policy=policy,
                pool=pool,
                model=model,
                db=db,
                schedule=schedule,
                dcc_check=memo,
            )
            kiosks.append(kiosk)
        arrivals = [scan_arrivals(scenario, i, pool) for i in range(scenario.kiosks)]
        active = 0
        for i, it in enumerate(arrivals):
            first = next(it, None)
            if first is not None:
                active += 1
                heapq.heappush(heap, (first[0], next(seq), SCAN, i, first[1]))
        tally = _Tally()
        pending = 0
        hard_end = scenario.length_s + scenario.drain_limit_min * 60.0
        now = 0.0
        while heap:
            now, _, kind, index, text = heapq.heappop(heap)
            if now > hard_end:
                break
            model.settle(now)
            kiosk = kiosks[index]
            if kind == SCAN:
                waiting = kiosk.pending
                outcome = kiosk.scan(now, text)
                pending += kiosk.pending - waiting
                tally.elapsed.append(outcome.elapsed_s)
                tally.shown.append((outcome.visit_id, now))
                tally.online += outcome.verified_by is VerifiedBy.ONLINE
                tally.scans_surge += now in surge
                tally.scans_outage += now in outage
                tally.scans_healthy += now not in disturbed
                following = next(arrivals[index], None)
                if following is None:
                    active -= 1
                else:
                    heapq.heappush(heap, (following[0], next(seq), SCAN, index, following[1]))
            elif kind == UPLOAD:
                if kiosk.upload_at == now:
                    pending -= kiosk.upload_round(now)
            elif kiosk.maint_at == now:
                kiosk.maintenance_round(now)
            if active == 0 and pending <= 0 and kind != SCAN:
                break
        return _result(scenario, policy, model, kiosks, tally, now, time.perf_counter() - started)
    finally:
        template.close()
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
    lost = count_lost(tally.shown, ledger.stored_at)
    visits = [(visit_id, t) for visit_id, t in tally.shown if visit_id is not None]
    backlog, drain_s = _backlog(visits, ledger.acked_at, scenario.recovery_s)
    _, drain_after_outage_s = _backlog(visits, ledger.acked_at, scenario.outage.end_s)
    scans = len(tally.elapsed)
    elapsed = sorted(tally.elapsed)
    within = sum(1 for e in elapsed if e <= policy.budget_s + 1e-9)
    counts = model.counts

    def per_scan(window: str, n: int) -> float:
        return counts[window].total / n if n else 0.0

    has_breaker = not policy.baseline
    return PolicyResult(
        policy=policy.name,
        scans=scans,
        scans_surge=tally.scans_surge,
        scans_outage=tally.scans_outage,
        requests={name: _counts_dict(c) for name, c in counts.items()},
        requests_by_kind=dict(counts["overall"].by_kind),
        upstream_requests_per_scan=per_scan("overall", scans),
        upstream_requests_per_scan_surge=per_scan("surge", tally.scans_surge),
        upstream_requests_per_scan_outage=per_scan("outage", tally.scans_outage),
        requests_per_scan_outside_outage=per_scan("outside_outage", tally.scans_healthy),
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
        peak_rss_mb=peak_rss_mb(),
    )


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB, where the platform tells (not on Windows)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def count_lost(shown: list[tuple[str | None, float]], stored: Mapping[str, float]) -> int:
    """Verdicts shown whose visit upstream never stored.

    Counted against what the screen showed, not against the local database: a verdict
    whose visit never reached the database (no id) is lost just the same.
    """
    return sum(1 for visit_id, _ in shown if visit_id is None or visit_id not in stored)


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
        **c.by_kind,
        "timeouts": c.timeouts,
        "shed_503": c.shed_503,
        "throttled_429": c.throttled_429,
        "not_modified_304": c.not_modified_304,
    }


@dataclass(frozen=True, slots=True)
class FleetReport:
    scenario: Scenario
    ours: PolicyResult
    baselines: dict[str, PolicyResult]  # by policy name
    wall_s: float
    # Resident memory of the whole run: the policies' processes together when they ran side
    # by side, the one process's peak otherwise.
    peak_rss_mb: float | None = None

    @property
    def naive(self) -> PolicyResult:
        return self.baselines["naive"]

    @property
    def commercial(self) -> PolicyResult:
        return self.baselines["commercial"]


def run_fleet(
    scenario: Scenario,
    *,
    ours: Policy = OURS,
    baselines: tuple[Policy, ...] = (COMMERCIAL,),
    upstream: UpstreamSettings | None = None,
    jobs: int = 1,
) -> FleetReport:
    """Run our policy and the baselines on the same scenario (same seed, scans and passes).

    `jobs > 1` runs the policies in that many processes; the results are identical, only sooner.
    """
    started = time.perf_counter()
    policies = (ours, *baselines)
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(policies))) as executor:
            futures = [executor.submit(simulate_policy, scenario, p, upstream=upstream) for p in policies]
            results = [f.result() for f in futures]
    else:
        # Issued once here; each worker process above issues its own (same seed, same passes).
        pool = issue_pass_pool(scenario)
        results = [simulate_policy(scenario, p, pool=pool, upstream=upstream) for p in policies]
    peaks = [r.peak_rss_mb for r in results]
    memory = None if None in peaks else (sum if jobs > 1 else max)(p for p in peaks if p is not None)
    return FleetReport(
        scenario, results[0], {r.policy: r for r in results[1:]}, time.perf_counter() - started, memory
    )
