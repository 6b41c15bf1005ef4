"""Reconciliation of offline admissions against the simulator's revocation list."""

from __future__ import annotations

import random

import pytest

from kiosk.clock import ManualClock
from kiosk.decision import Verdict, VerifiedBy
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.reconcile import ReconcileReport, reconcile_offline_visits
from kiosk.verify.online import FailureCause, UpstreamFailure
from tests.upstream.support import reconciliation, recorded_visit

START = 1_790_000_000.0
TIMEOUT_S = 1.0


_rng = random.Random(20)


def test_revoked_offline_admissions_are_flagged(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fine = recorded_visit(db, "URN:UVCI:01:XA:FINE0001", _rng)
    revoked = recorded_visit(db, "URN:UVCI:01:XA:REVOKED1", _rng)
    online = recorded_visit(db, "URN:UVCI:01:XA:REVOKED2", _rng, verified_by=VerifiedBy.ONLINE)
    denied = recorded_visit(db, "URN:UVCI:01:XA:REVOKED3", _rng, decision=Verdict.DENY)
    no_uci = recorded_visit(db, None, _rng)
    for uci in ("URN:UVCI:01:XA:REVOKED1", "URN:UVCI:01:XA:REVOKED2", "URN:UVCI:01:XA:REVOKED3"):
        fresh_sim.state.revoke(uci)

    report = reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S)

    assert (report.checked, report.newly_revoked, report.uncheckable, report.remaining) == (2, 1, 1, 0)
    assert report.issues_total == 1
    assert report.summary() == "1 visit admitted offline was later reported revoked/invalid"
    assert reconciliation(db, fine) == "valid"
    assert reconciliation(db, revoked) == "revoked"
    # Only offline admissions are re-checked; the others already had upstream's word or were denied.
    assert reconciliation(db, online) is None
    assert reconciliation(db, denied) is None
    assert reconciliation(db, no_uci) is None


def test_second_run_checks_only_new_visits(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    recorded_visit(db, "URN:UVCI:01:XA:A1", _rng)
    fresh_sim.state.revoke("URN:UVCI:01:XA:B1")
    assert reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S).checked == 1
    later = recorded_visit(db, "URN:UVCI:01:XA:B1", _rng)
    report = reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S)
    assert (report.checked, report.newly_revoked, report.issues_total) == (1, 1, 1)
    assert reconciliation(db, later) == "revoked"
    assert reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S).summary().startswith("1 visit ")


def test_upstream_failure_leaves_visits_unreconciled(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    vid = recorded_visit(db, "URN:UVCI:01:XA:C1", _rng)
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=3))
    with pytest.raises(UpstreamFailure) as info:
        reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S)
    assert info.value.cause is FailureCause.SERVER_ERROR
    assert reconciliation(db, vid) is None


def test_rate_cap_defers_the_run(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    bucket = TokenBucket(clock, rate_per_s=1 / 60, burst=1)
    recorded_visit(db, "URN:UVCI:01:XA:D1", _rng)
    assert reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S).checked == 1
    recorded_visit(db, "URN:UVCI:01:XA:D2", _rng)
    deferred = reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S)
    assert deferred.rate_limited and deferred.checked == 0 and deferred.remaining == 1
    clock.advance(60)
    assert reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S).checked == 1


def test_limit_bounds_one_run(db: Database, client: UpstreamClient) -> None:
    for n in range(3):
        recorded_visit(db, f"URN:UVCI:01:XA:E{n}", _rng)
    first = reconcile_offline_visits(db, client, limit=2, timeout_s=TIMEOUT_S)
    assert (first.checked, first.remaining) == (2, 1)
    assert reconcile_offline_visits(db, client, limit=2, timeout_s=TIMEOUT_S).checked == 1


def test_summary_wording() -> None:
    tail = "admitted offline were later reported revoked/invalid"
    assert ReconcileReport(0, 0, 0, 0, 0).summary() == f"0 visits {tail}"
    assert ReconcileReport(3, 2, 0, 0, 2).summary() == f"2 visits {tail}"
