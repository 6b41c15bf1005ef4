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
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace

from kiosk.decision import Verdict, VerifiedBy
from kiosk.simulator.fleet_kiosk import SCAN, UPLOAD, SimKiosk
from kiosk.simulator.fleet_lists import PublishedLists
from kiosk.simulator.fleet_local import MemoDccCheck, template_database
from kiosk.simulator.fleet_policy import APP_CONFIG, EXTENSIONS, PLAIN_MAINTENANCE, Policy
from kiosk.simulator.fleet_results import WINDOWS, PolicyResult, Tally, policy_result
from kiosk.simulator.fleet_scenario import PassPool, Scenario, issue_pass_pool, scan_arrivals
from kiosk.simulator.fleet_upstream import UpstreamModel, UpstreamSettings
from kiosk.store.database import Database, memory_copy
from kiosk.upstream.maintenance_values import MaintenanceSettings
from kiosk.upstream.uploader import UploaderSettings
from kiosk.wiring import uploader_settings

# The app's settings, as `kiosk run` reads them from a default config.toml, with every
# upstream extension the simulator offers (`--no-extensions`: today's protocol only).
OURS = Policy(
    "ours",
    uploader=uploader_settings(APP_CONFIG),
    maintenance=MaintenanceSettings.from_config(APP_CONFIG),
    breaker=APP_CONFIG.breaker_settings(),
    extensions=EXTENSIONS,
)
# Retries at once, three tries each with the full timeout, no breaker: fails the budget by construction.
NAIVE = Policy("naive", baseline=True, tries=3, maintenance=PLAIN_MAINTENANCE, trust_sync="full")
# Half the verdict budget per try, one retry, no breaker; uploads retried at once, never backing off.
COMMERCIAL = Policy("commercial", baseline=True, tries=2, per_try_share=0.5, maintenance=PLAIN_MAINTENANCE)
# The fair rival: a competent ordinary client. Verifies like the commercial one (half the
# budget per try, one retry, no breaker) but uploads in batches on a 30 s poll with
# exponential backoff honouring Retry-After (the app's Uploader without a breaker and
# without gathering), and syncs its lists conditionally (If-None-Match) with backoff on
# failure (the app's Maintenance without a breaker). Its verifications do not carry the
# visit: each is uploaded in a batch as well.
ORDINARY = Policy(
    "ordinary",
    baseline=True,
    tries=2,
    per_try_share=0.5,
    trust_sync="conditional",
    backoff_uploads=True,
    uploader=UploaderSettings(),
)
BASELINES = {p.name: p for p in (NAIVE, COMMERCIAL, ORDINARY)}
# Our client with today's upstream protocol, run beside it to report every figure both ways.
WITHOUT_EXTENSIONS = replace(OURS, name="ours_without_extensions", extensions=frozenset())
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



def simulate_policy(
    scenario: Scenario,
    policy: Policy,
    *,
    pool: PassPool | None = None,
    upstream: UpstreamSettings | None = None,
) -> PolicyResult:
    started = time.perf_counter()
    pool = pool or issue_pass_pool(scenario)
    timeline = scenario.timeline()
    surge, outage, disturbed = timeline.surge, timeline.outage, timeline.disturbed
    windows = {
        "surge": surge.__contains__,
        "outage": outage.__contains__,
        "outside_outage": lambda t: t not in disturbed,
    }
    for name in WINDOWS:
        if name != "outage":
            windows[name] = lambda t, name=name: timeline.window_at(t) == name
    settings = upstream or UpstreamSettings()
    if scenario.lost_ack_share:
        settings = replace(settings, lost_ack_share=scenario.lost_ack_share)
    model = UpstreamModel(settings, scenario.kiosks, timeline.capacity_at, windows)
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
    timeline = scenario.timeline()
    surge, outage, disturbed = timeline.surge, timeline.outage, timeline.disturbed
    dbs: list[Database] = []
    kiosks: list[SimKiosk] = []
    memo = MemoDccCheck()
    lists = PublishedLists(scenario, pool)
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
                lists=lists,
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
        tally = Tally()
        pending = 0
        hard_end = scenario.length_s + scenario.drain_limit_min * 60.0
        now = 0.0
        while heap:
            now, _, kind, index, text = heapq.heappop(heap)
            if now > hard_end:
                break
            kiosk = kiosks[index]
            if kind == SCAN:
                waiting = kiosk.pending
                outcome = kiosk.scan(now, text)
                pending += kiosk.pending - waiting
                tally.show(outcome.visit_id, now, outcome.elapsed_s, outcome.shown)
                tally.by_window[timeline.window_at(now)] += 1
                if text == pool.revoked_dcc and now >= scenario.revocation_s:
                    tally.revoked_scans += 1
                    tally.revoked_admitted += outcome.shown[0] == Verdict.ADMIT
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
        return policy_result(scenario, policy, model, kiosks, tally, now, time.perf_counter() - started)
    finally:
        template.close()
        for db in dbs:
            db.close()


@dataclass(frozen=True, slots=True)
class FleetReport:
    scenario: Scenario
    ours: PolicyResult
    baselines: dict[str, PolicyResult]  # by policy name
    wall_s: float
    # Resident memory of the whole run: the policies' processes together when they ran side
    # by side, the one process's peak otherwise.
    peak_rss_mb: float | None = None
    extensions: frozenset[str] = frozenset()  # the upstream extensions our policy used

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
        scenario,
        results[0],
        {r.policy: r for r in results[1:]},
        time.perf_counter() - started,
        memory,
        ours.extensions,
    )
