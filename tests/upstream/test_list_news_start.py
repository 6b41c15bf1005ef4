"""List news at a kiosk's start and in reconciliation: a kiosk whose verifications brought
news before waits a little at start for the first one instead of polling every list, and
reconciles offline admissions against revocations the news already made current.

The real client against the real simulator and a real SQLite file; a counting wrapper
tells which requests the maintenance service sent.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest

from kiosk.clock import ManualClock
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.meta import list_news_heard_at
from kiosk.store.revocations import is_revoked_hash
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome, SkipReason
from tests.upstream.support import Counting, pinned, reconciliation, recorded_visit

START = 1_790_000_000.0
SETTINGS = MaintenanceSettings(
    request_timeout_s=2.0, probe_timeout_s=2.0, burst=20, jitter=0.0, reconcile_interval_s=60
)


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with pinned(fresh_sim) as c:
        yield c


def start(db: Database, client: UpstreamClient, at: float) -> tuple[ManualClock, Counting, Maintenance]:
    """A kiosk switched on at `at`, taking the news of `client`'s verifications."""
    clock = ManualClock(at)
    counting = Counting(client)
    maintenance = Maintenance(db, counting, clock, random.Random(1), SETTINGS)
    client.news = maintenance
    return clock, counting, maintenance


def verify(client: UpstreamClient, sim: Simulator, at: float) -> None:
    client.verify(sim.state.issue_token().token, scanned_at=at, timeout_s=2.0)


def heard_news_yesterday(db: Database, client: UpstreamClient, sim: Simulator) -> None:
    """Yesterday: the first round polled everything, and a verification brought news."""
    clock, _, maintenance = start(db, client, START)
    maintenance.run_due()
    verify(client, sim, START + 60)
    clock.advance(60)
    maintenance.run_due()
    assert list_news_heard_at(db) == pytest.approx(START + 60)


def test_a_kiosk_that_heard_news_before_waits_at_start_for_the_first_verification(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    heard_news_yesterday(db, client, fresh_sim)
    # This morning, a new process on the same data file: no poll at switch-on.
    morning = START + 14 * 3600
    clock, counting, maintenance = start(db, client, morning)
    report = maintenance.run_due()
    assert counting.calls == Counter()
    for job in (Job.TRUST, Job.ISSUERS, Job.REVOCATIONS):
        assert report.job(job).next_due_at == pytest.approx(morning + SETTINGS.start_grace_s)
    digest = fresh_sim.state.revoke("URN:UVCI:01:XA:OVERNIGHT1")
    clock.advance(30)
    verify(client, fresh_sim, clock.now())  # the first scan's news says nothing changed
    report = maintenance.run_due()
    assert is_revoked_hash(db, digest) and counting.calls == Counter()
    assert report.job(Job.REVOCATIONS).skip_reason is SkipReason.NOT_DUE
    assert report.job(Job.REVOCATIONS).next_due_at >= clock.now() + 0.9 * SETTINGS.revocation_interval_s


def test_an_idle_kiosk_polls_when_the_start_grace_runs_out(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    heard_news_yesterday(db, client, fresh_sim)
    clock, counting, maintenance = start(db, client, START + 14 * 3600)
    maintenance.run_due()
    clock.advance(SETTINGS.start_grace_s)  # nothing scanned
    report = maintenance.run_due()
    assert report.job(Job.REVOCATIONS).outcome is Outcome.RAN
    assert counting.calls["revocations"] == 1


def test_reconciliation_uses_the_revocations_news_made_current_after_the_admission(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, counting, maintenance = start(db, client, START)
    maintenance.run_due()
    admitted = recorded_visit(db, "URN:UVCI:01:XA:RECON1", random.Random(3), scanned_at=START + 10)
    fresh_sim.state.revoke("URN:UVCI:01:XA:RECON1")
    clock.advance(20)
    verify(client, fresh_sim, clock.now())  # news after the admission, with its revocation
    before = Counter(counting.calls)
    report = maintenance.run_due()
    assert report.job(Job.RECONCILE).outcome is Outcome.RAN
    assert reconciliation(db, admitted) == "revoked"
    assert counting.calls == before  # compared without downloading the list again


def test_an_admission_newer_than_the_news_is_reconciled_against_a_download(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, counting, maintenance = start(db, client, START)
    maintenance.run_due()
    verify(client, fresh_sim, START + 5)
    clock.advance(5)
    maintenance.run_due()  # the news is taken: current as of START + 5
    admitted = recorded_visit(db, "URN:UVCI:01:XA:RECON2", random.Random(4), scanned_at=START + 10)
    fresh_sim.state.revoke("URN:UVCI:01:XA:RECON2")
    clock.advance(SETTINGS.reconcile_interval_s / 2)
    before = counting.calls["revocations"]
    report = maintenance.run_due()  # news may still cover it: no download yet
    assert report.job(Job.RECONCILE).skip_reason is SkipReason.NOT_DUE
    assert counting.calls["revocations"] == before
    clock.advance(SETTINGS.reconcile_interval_s / 2 + 10)  # uncovered for a whole interval
    report = maintenance.run_due()
    assert report.job(Job.RECONCILE).outcome is Outcome.RAN
    assert counting.calls["revocations"] == before + 1
    assert reconciliation(db, admitted) == "revoked"
