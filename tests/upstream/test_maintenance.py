"""Background maintenance against the real simulator on 127.0.0.1 and a real SQLite file.

`run_due(now)` gets `now` from a ManualClock, so schedules are exact; the HTTP client
itself keeps the system clock for its socket deadlines.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kiosk.backoff import backoff_ceiling
from kiosk.clock import ManualClock, SystemClock
from kiosk.config import BreakerSettings, Config, TrustConfig
from kiosk.decision import Health
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.reconciliation import pending_offline_admissions
from kiosk.store.revocations import revocation_count
from kiosk.store.trust_age import TrustAge, TrustAgeLevel
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_thread import MaintenanceThread
from kiosk.upstream.maintenance_values import Job, MaintenanceReport, MaintenanceSettings, Outcome, SkipReason
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.online import FailureCause
from tests.polling import wait_until
from tests.upstream.support import reconciliation, recorded_visit, scripted_server, send_json

START = 1_790_000_000.0
HOUR = 3600.0
TRUST_PATHS = ("/signercertificateStatus", "/signercertificateUpdate", "/v1/trust/delta")
# A burst large enough that pacing (tested on its own) never moves these schedules.
FAST = MaintenanceSettings(request_timeout_s=0.5, probe_timeout_s=0.5, burst=20, reconcile_interval_s=60)


def make(
    db: Database,
    client: UpstreamClient,
    clock: ManualClock,
    *,
    seed: int = 1,
    settings: MaintenanceSettings = FAST,
    breaker: CircuitBreaker | None = None,
) -> Maintenance:
    return Maintenance(db, client, clock, random.Random(seed), settings, breaker=breaker)


def outcomes(report: MaintenanceReport) -> dict[Job, Outcome]:
    return {r.job: r.outcome for r in report.jobs}


def open_breaker(clock: ManualClock, *, hold_s: float = 600.0) -> CircuitBreaker:
    breaker = CircuitBreaker(clock, random.Random(3), BreakerSettings(failure_threshold=1))
    # A Retry-After pins the probe time, so the test does not depend on the jitter draw.
    breaker.record_failure(FailureCause.SERVER_ERROR, retry_after_s=hold_s)
    assert breaker.state is BreakerState.OPEN
    return breaker


# --- the schedule -------------------------------------------------------------------------


def test_first_run_syncs_trust_and_revocations(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.state.revoke("URN:UVCI:01:XA:MAINT0001")
    clock = ManualClock(START)
    report = make(db, client, clock).run_due(clock.now())

    assert outcomes(report) == {
        Job.TRUST: Outcome.RAN,
        Job.ISSUERS: Outcome.RAN,
        Job.REVOCATIONS: Outcome.RAN,
        Job.RECONCILE: Outcome.SKIPPED,
    }
    assert report.job(Job.RECONCILE).skip_reason is SkipReason.NOTHING_PENDING
    store = TrustStore(db, clock)
    assert len(store) == len(fresh_sim.state.signers) == 2
    assert revocation_count(db) == 1
    assert report.trust_age == TrustAge(START, 0.0, TrustAgeLevel.FRESH)
    for job, interval in ((Job.TRUST, FAST.trust_interval_s), (Job.REVOCATIONS, FAST.revocation_interval_s)):
        due = report.job(job).next_due_at
        assert due is not None and START + 0.9 * interval <= due <= START + 1.1 * interval
    assert report.next_run_at == min(
        report.job(job).next_due_at or 0 for job in (Job.TRUST, Job.ISSUERS, Job.REVOCATIONS)
    )


def test_nothing_runs_before_its_interval_and_everything_after(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    maintenance = make(db, client, clock)
    maintenance.run_due(clock.now())
    fresh_sim.state.revoke("URN:UVCI:01:XA:LATER0001")

    clock.advance(0.89 * FAST.revocation_interval_s)
    early = maintenance.run_due(clock.now())
    assert {r.skip_reason for r in early.jobs} == {SkipReason.NOT_DUE, SkipReason.NOTHING_PENDING}
    assert revocation_count(db) == 0  # upstream was not asked

    clock.advance(0.22 * FAST.revocation_interval_s)  # now 1.11 x the revocation interval
    revs = maintenance.run_due(clock.now())
    assert outcomes(revs)[Job.REVOCATIONS] is Outcome.RAN
    assert outcomes(revs)[Job.TRUST] is Outcome.SKIPPED
    assert revocation_count(db) == 1

    clock.set_wall(START + 1.11 * FAST.trust_interval_s)
    trust = maintenance.run_due(clock.now())
    assert outcomes(trust)[Job.TRUST] is Outcome.RAN
    assert TrustStore(db, clock).last_updated() == clock.now()


def test_jitter_spreads_a_fleet_within_ten_percent(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    dues: dict[Job, list[float]] = {Job.TRUST: [], Job.ISSUERS: [], Job.REVOCATIONS: []}
    for seed in range(8):  # eight kiosks recovering from the same outage at the same instant
        report = make(db, client, clock, seed=seed).run_due(clock.now())
        for job, times in dues.items():
            due = report.job(job).next_due_at
            assert due is not None
            times.append(due - START)
    for job, interval in (
        (Job.TRUST, FAST.trust_interval_s),
        (Job.ISSUERS, FAST.trust_interval_s),
        (Job.REVOCATIONS, FAST.revocation_interval_s),
    ):
        offsets = dues[job]
        assert all(0.9 * interval <= o <= 1.1 * interval for o in offsets)
        # Not lockstep: the kiosks' next syncs are spread over a good part of the window.
        assert len(set(offsets)) == len(offsets)
        assert max(offsets) - min(offsets) > 0.05 * interval


def test_restart_keeps_a_recent_trust_list_until_its_time(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    make(db, client, clock).run_due(clock.now())
    clock.advance(600)
    restarted = make(db, client, clock, seed=2).run_due(clock.now())
    trust = restarted.job(Job.TRUST)
    assert trust.skip_reason is SkipReason.NOT_DUE
    assert trust.next_due_at is not None
    assert START + 0.9 * HOUR <= trust.next_due_at <= START + 1.1 * HOUR
    assert restarted.trust_age.age_s == 600


# --- failures -----------------------------------------------------------------------------


def test_failing_trust_sync_backs_off_keeps_the_old_list_and_spares_the_others(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    maintenance = make(db, client, clock)
    maintenance.run_due(clock.now())
    store = TrustStore(db, clock)
    fetched = store.last_updated()

    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=40, paths=TRUST_PATHS))
    fresh_sim.state.revoke("URN:UVCI:01:XA:DURING0001")
    clock.set_wall(START + 1.2 * HOUR)
    now = clock.now()
    report = maintenance.run_due(now)

    trust = report.job(Job.TRUST)
    assert trust.outcome is Outcome.FAILED
    assert (trust.cause, trust.retry_after_s, trust.failures) == ("5xx", 40.0, 1)
    assert trust.next_due_at is not None
    # Retry-After (longer than the backoff ceiling here) is a floor; the jitter comes on top.
    assert now + 40 <= trust.next_due_at <= now + 40 + FAST.backoff_base_s
    # The other job ran in the same round and the previous trust list stays in force.
    assert report.job(Job.REVOCATIONS).outcome is Outcome.RAN
    assert revocation_count(db) == 1
    assert len(store) == 2 and store.last_updated() == fetched

    clock.advance(1)
    maintenance.run_soon(Job.TRUST)  # an owner's "update now" does not override Retry-After
    assert maintenance.run_due(clock.now()).job(Job.TRUST).skip_reason is SkipReason.BACKING_OFF
    clock.advance(38.9)
    assert maintenance.run_due(clock.now()).job(Job.TRUST).skip_reason is SkipReason.BACKING_OFF

    fresh_sim.set_faults(Faults())
    clock.set_wall(trust.next_due_at)
    recovered = maintenance.run_due(clock.now()).job(Job.TRUST)
    assert (recovered.outcome, recovered.failures) == (Outcome.RAN, 0)
    assert store.last_updated() == clock.now()


def test_hanging_revocation_endpoint_times_out_and_trust_sync_still_runs(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(hang=True, max_hang_s=2.0, paths=("/v1/revocations",)))
    clock = ManualClock(START)
    settings = MaintenanceSettings(request_timeout_s=0.3)
    t0 = time.monotonic()
    report = make(db, client, clock, settings=settings).run_due(clock.now())
    assert time.monotonic() - t0 < 3.0  # bounded by the request timeout, not by the hang

    revocations = report.job(Job.REVOCATIONS)
    assert (revocations.outcome, revocations.cause) == (Outcome.FAILED, "timeout")
    assert revocations.next_due_at is not None
    assert START <= revocations.next_due_at <= START + settings.backoff_base_s
    assert report.job(Job.TRUST).outcome is Outcome.RAN
    assert len(TrustStore(db, clock)) == 2


def answer_500(handler: BaseHTTPRequestHandler) -> None:
    send_json(handler, 500, b'{"error":"boom"}')


def test_backoff_grows_with_full_jitter_and_is_capped_at_the_interval(db: Database) -> None:
    settings = MaintenanceSettings(
        trust_interval_s=120.0, revocation_interval_s=40.0, backoff_base_s=5.0, request_timeout_s=0.5
    )
    clock = ManualClock(START)
    with (
        scripted_server(answer_500) as server,
        UpstreamClient(server.url, "k", connect_timeout_s=0.3, clock=SystemClock()) as down,
    ):
        maintenance = make(db, down, clock, settings=settings, seed=9)
        delays: dict[Job, list[float]] = {Job.TRUST: [], Job.REVOCATIONS: []}
        for _ in range(8):
            now = clock.now()
            report = maintenance.run_due(now)
            for job, seen in delays.items():
                r = report.job(job)
                if r.outcome is Outcome.FAILED:
                    assert r.cause == "5xx" and r.retry_after_s is None
                    assert r.next_due_at is not None
                    seen.append(r.next_due_at - now)
            clock.advance(max(settings.trust_interval_s, settings.revocation_interval_s) + 1)
    for job, interval in ((Job.TRUST, 120.0), (Job.REVOCATIONS, 40.0)):
        seen = delays[job]
        assert len(seen) == 8
        for attempt, delay in enumerate(seen):
            assert 0 <= delay <= backoff_ceiling(attempt, settings.backoff_base_s, interval)
        assert max(seen) <= interval
        assert max(seen[4:]) > settings.backoff_base_s  # the ceiling did grow


# --- the breaker and reconciliation ------------------------------------------------------


def test_open_breaker_skips_everything_even_a_stale_trust_list(db: Database) -> None:
    clock = ManualClock(START)
    _, der = make_signer("ES256", "XA", "Old DSC", None, START - 400 * 86400, START + 400 * 86400)
    TrustStore(db, clock).add(load_signer_cert(der), START - 100 * HOUR)  # well past the stale age
    recorded_visit(db, "URN:UVCI:01:XA:WAITING01", random.Random(4))
    breaker = open_breaker(clock)
    with (
        scripted_server(answer_500) as server,
        UpstreamClient(server.url, "k", connect_timeout_s=0.3, clock=SystemClock()) as down,
    ):
        maintenance = make(db, down, clock, breaker=breaker)
        report = maintenance.run_due(clock.now())
        assert server.hits == 0  # not a single request to a failing upstream
    assert {r.skip_reason for r in report.jobs} == {SkipReason.BREAKER_OPEN}
    assert report.trust_age.level is TrustAgeLevel.STALE
    assert report.health is Health.DEGRADED and not report.probed
    assert report.next_run_at == START + FAST.blocked_recheck_s


def test_recovery_probes_the_breaker_and_reconciles_offline_admissions(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    rng = random.Random(5)
    fine = recorded_visit(db, "URN:UVCI:01:XA:FINE00001", rng)
    revoked = recorded_visit(db, "URN:UVCI:01:XA:REVOKED01", rng)
    fresh_sim.state.revoke("URN:UVCI:01:XA:REVOKED01")
    breaker = open_breaker(clock, hold_s=60)
    maintenance = make(db, client, clock, breaker=breaker)

    during = maintenance.run_due(clock.now())
    assert during.job(Job.RECONCILE).skip_reason is SkipReason.BREAKER_OPEN
    assert pending_offline_admissions(db) == 2

    clock.advance(61)
    after = maintenance.run_due(clock.now())
    assert after.probed and breaker.state is BreakerState.CLOSED and after.health is Health.ONLINE
    assert set(after.ran) == set(Job)
    detail = after.job(Job.RECONCILE).detail
    assert detail is not None and (detail.checked, detail.newly_revoked) == (2, 1)  # type: ignore[union-attr]
    assert reconciliation(db, fine) == "valid"
    assert reconciliation(db, revoked) == "revoked"
    assert pending_offline_admissions(db) == 0
    follow_up = maintenance.run_due(clock.now()).job(Job.RECONCILE)
    assert follow_up.skip_reason is SkipReason.NOTHING_PENDING


def test_failed_probe_keeps_the_breaker_open_and_jobs_waiting(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    breaker = open_breaker(clock, hold_s=10)
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=30))
    clock.advance(11)
    report = make(db, client, clock, breaker=breaker).run_due(clock.now())
    assert report.probed and breaker.state is BreakerState.OPEN
    assert {r.skip_reason for r in report.jobs} == {SkipReason.BREAKER_OPEN, SkipReason.NOTHING_PENDING}
    assert len(TrustStore(db, clock)) == 0


def test_reconciliation_waits_its_interval_between_runs(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    rng = random.Random(6)
    maintenance = make(db, client, clock)
    recorded_visit(db, "URN:UVCI:01:XA:FIRST0001", rng)
    assert maintenance.run_due(clock.now()).job(Job.RECONCILE).outcome is Outcome.RAN
    clock.advance(30)
    recorded_visit(db, "URN:UVCI:01:XA:SECOND001", rng, scanned_at=clock.now())  # after the last sync
    assert maintenance.run_due(clock.now()).job(Job.RECONCILE).skip_reason is SkipReason.NOT_DUE
    clock.advance(0.11 * FAST.reconcile_interval_s + 30)
    assert maintenance.run_due(clock.now()).job(Job.RECONCILE).outcome is Outcome.RAN
    assert pending_offline_admissions(db) == 0


# --- values and settings ------------------------------------------------------------------


def test_settings_from_config() -> None:
    config = Config(trust=TrustConfig(sync_interval_minutes=30, warn_age_hours=12, stale_age_hours=48))
    settings = MaintenanceSettings.from_config(config)
    assert (settings.trust_interval_s, settings.warn_age_s, settings.stale_age_s) == (
        1800,
        12 * HOUR,
        48 * HOUR,
    )
    assert MaintenanceSettings.from_config(Config()).trust_interval_s == 60 * 60
    with pytest.raises(ValueError):
        MaintenanceSettings(jitter=1.5)


# --- the thread ---------------------------------------------------------------------------


@pytest.fixture
def started() -> Iterator[list[MaintenanceThread]]:
    threads: list[MaintenanceThread] = []
    yield threads
    for t in threads:
        t.stop(2.0)


def test_thread_runs_wakes_and_stops_promptly(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, started: list[MaintenanceThread]
) -> None:
    clock = SystemClock()
    maintenance = Maintenance(db, client, clock, random.Random(7), FAST)
    thread = MaintenanceThread(maintenance, clock)
    started.append(thread)
    thread.start()
    assert wait_until(lambda: thread.last_report is not None)
    assert len(TrustStore(db, clock)) == 2

    # Next syncs are an hour away; a wake makes the thread notice a new offline admission now.
    vid = recorded_visit(db, "URN:UVCI:01:XA:THREAD001", random.Random(8), scanned_at=clock.now())
    fresh_sim.state.revoke("URN:UVCI:01:XA:THREAD001")
    thread.wake()
    assert wait_until(lambda: reconciliation(db, vid) == "revoked")

    t0 = time.monotonic()
    thread.stop()
    assert not thread.alive
    assert time.monotonic() - t0 < 1.0


def test_thread_survives_a_failing_round(
    tmp_path: Path, client: UpstreamClient, started: list[MaintenanceThread], caplog: pytest.LogCaptureFixture
) -> None:
    broken = open_database(tmp_path / "broken.db")
    broken.close()  # every store access now raises
    clock = SystemClock()
    settings = MaintenanceSettings(request_timeout_s=0.5, min_sleep_s=0.02, max_sleep_s=0.05)
    thread = MaintenanceThread(Maintenance(broken, client, clock, random.Random(9), settings), clock)
    started.append(thread)
    with caplog.at_level(logging.ERROR, logger="kiosk.upstream.maintenance"):
        thread.start()
        assert wait_until(lambda: thread.rounds >= 3)
        assert thread.alive
    assert any("maintenance round failed" in r.getMessage() for r in caplog.records)
