"""Reconciliation of offline admissions against the simulator's revocation list."""

from __future__ import annotations

import random

import pytest

from kiosk.clock import ManualClock
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.visits import (
    UpstreamState,
    VisitRecord,
    get_visit,
    new_visit_id,
    pass_hash,
    record_visit,
    uci_hash,
)
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.reconcile import ReconcileReport, reconcile_offline_visits
from kiosk.verify.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.verify.online import FailureCause, UpstreamFailure

START = 1_790_000_000.0
TIMEOUT_S = 1.0


_rng = random.Random(20)


def visit(
    db: Database,
    uci: str | None,
    *,
    verified_by: VerifiedBy = VerifiedBy.OFFLINE,
    decision: Verdict = Verdict.ADMIT,
) -> str:
    vid = new_visit_id(START + _rng.random(), _rng)
    record_visit(
        db,
        VisitRecord(
            id=vid,
            scanned_at=START,
            kind=PassKind.DCC,
            pass_hash=pass_hash(f"HC1:{_rng.random()}"),
            uci_hash=None if uci is None else uci_hash(uci),
            holder_masked=None,
            decision=decision,
            reason=Reason.VALID if decision is Verdict.ADMIT else Reason.BAD_SIGNATURE,
            verified_by=verified_by,
            upstream_state=UpstreamState.PENDING,
            kiosk_id="kiosk-t",
        ),
    )
    return vid


def reconciliation(db: Database, vid: str) -> str | None:
    record = get_visit(db, vid)
    assert record is not None
    return record.reconciliation


def test_revoked_offline_admissions_are_flagged(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fine = visit(db, "URN:UVCI:01:XA:FINE0001")
    revoked = visit(db, "URN:UVCI:01:XA:REVOKED1")
    online = visit(db, "URN:UVCI:01:XA:REVOKED2", verified_by=VerifiedBy.ONLINE)
    denied = visit(db, "URN:UVCI:01:XA:REVOKED3", decision=Verdict.DENY)
    no_uci = visit(db, None)
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
    visit(db, "URN:UVCI:01:XA:A1")
    fresh_sim.state.revoke("URN:UVCI:01:XA:B1")
    assert reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S).checked == 1
    later = visit(db, "URN:UVCI:01:XA:B1")
    report = reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S)
    assert (report.checked, report.newly_revoked, report.issues_total) == (1, 1, 1)
    assert reconciliation(db, later) == "revoked"
    assert reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S).summary().startswith("1 visit ")


def test_upstream_failure_leaves_visits_unreconciled(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    vid = visit(db, "URN:UVCI:01:XA:C1")
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=3))
    with pytest.raises(UpstreamFailure) as info:
        reconcile_offline_visits(db, client, timeout_s=TIMEOUT_S)
    assert info.value.cause is FailureCause.SERVER_ERROR
    assert reconciliation(db, vid) is None


def test_rate_cap_defers_the_run(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    bucket = TokenBucket(clock, rate_per_s=1 / 60, burst=1)
    visit(db, "URN:UVCI:01:XA:D1")
    assert reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S).checked == 1
    visit(db, "URN:UVCI:01:XA:D2")
    deferred = reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S)
    assert deferred.rate_limited and deferred.checked == 0 and deferred.remaining == 1
    clock.advance(60)
    assert reconcile_offline_visits(db, client, bucket=bucket, timeout_s=TIMEOUT_S).checked == 1


def test_limit_bounds_one_run(db: Database, client: UpstreamClient) -> None:
    for n in range(3):
        visit(db, f"URN:UVCI:01:XA:E{n}")
    first = reconcile_offline_visits(db, client, limit=2, timeout_s=TIMEOUT_S)
    assert (first.checked, first.remaining) == (2, 1)
    assert reconcile_offline_visits(db, client, limit=2, timeout_s=TIMEOUT_S).checked == 1


def test_summary_wording() -> None:
    tail = "admitted offline were later reported revoked/invalid"
    assert ReconcileReport(0, 0, 0, 0, 0).summary() == f"0 visits {tail}"
    assert ReconcileReport(3, 2, 0, 0, 2).summary() == f"2 visits {tail}"
