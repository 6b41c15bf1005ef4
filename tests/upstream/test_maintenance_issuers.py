"""Background sync of NZCP/SHC issuer documents against the real simulator and a real SQLite file.

The issuer documents (DID documents, JWKS, revocation lists) are a maintenance job on
the trust schedule: same jitter, same breaker gating, own back-off.
"""

from __future__ import annotations

import random
from http.server import BaseHTTPRequestHandler

from kiosk.clock import ManualClock, SystemClock
from kiosk.config import BreakerSettings
from kiosk.passes.shc import check_shc
from kiosk.simulator.faults import Faults
from kiosk.simulator.foreign import NZCP_ISSUER, SHC_ISSUER
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome, SkipReason
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.online import FailureCause
from tests.upstream.support import scripted_server, send_json

START = 1_790_000_000.0
# A background budget wide enough that pacing never waits: these tests read the schedule's
# times off the clock (pacing has its own tests in test_trust_sync_conditional.py).
FAST = MaintenanceSettings(request_timeout_s=0.5, probe_timeout_s=0.5, max_requests_per_s=100, burst=100)


def make(db: Database, client: UpstreamClient, clock: ManualClock, *, seed: int = 1,
         breaker: CircuitBreaker | None = None) -> Maintenance:
    return Maintenance(db, client, clock, random.Random(seed), FAST, breaker=breaker)


def test_first_round_stores_every_issuer_upstream_mirrors(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    report = make(db, client, clock).run_due(clock.now())
    issuers = report.job(Job.ISSUERS)
    assert issuers.outcome is Outcome.RAN
    assert issuers.detail is not None and issuers.detail.stored == 2  # type: ignore[union-attr]
    entries = {e.issuer: e for e in IssuerStore(db, clock).list()}
    assert set(entries) == {NZCP_ISSUER, SHC_ISSUER}
    assert all(e.source == "upstream" and e.fetched_at == START and e.keys == 1 for e in entries.values())
    assert entries[SHC_ISSUER].revocation_lists == 1
    due = issuers.next_due_at
    interval = FAST.trust_interval_s
    assert due is not None and START + 0.9 * interval <= due <= START + 1.1 * interval


def test_a_revocation_reaches_the_engines_store_at_the_next_sync(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    maintenance = make(db, client, clock)
    maintenance.run_due(clock.now())
    engine_store = IssuerStore(db, clock)  # the engine's own instance, with its parsed-key cache
    card = fresh_sim.state.foreign.issue_shc({"revoked": True})["passes"][0]
    assert check_shc(card, engine_store, clock.now()).revoked is False  # the kiosk's list predates it

    clock.advance(0.5 * FAST.trust_interval_s)
    assert maintenance.run_due(clock.now()).job(Job.ISSUERS).skip_reason is SkipReason.NOT_DUE
    assert check_shc(card, engine_store, clock.now()).revoked is False

    clock.set_wall(START + 1.11 * FAST.trust_interval_s)
    assert maintenance.run_due(clock.now()).job(Job.ISSUERS).outcome is Outcome.RAN
    assert check_shc(card, engine_store, clock.now()).revoked is True


def test_restart_keeps_recent_issuer_documents_until_their_time_and_update_now_refreshes(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    make(db, client, clock).run_due(clock.now())
    clock.advance(600)
    restarted = make(db, client, clock, seed=2)
    issuers = restarted.run_due(clock.now()).job(Job.ISSUERS)
    assert issuers.skip_reason is SkipReason.NOT_DUE
    assert issuers.next_due_at is not None and issuers.next_due_at >= START + 0.9 * FAST.trust_interval_s
    restarted.run_soon(Job.TRUST)  # the owner's "update now" refreshes the issuers too
    assert restarted.run_due(clock.now()).job(Job.ISSUERS).outcome is Outcome.RAN
    assert {e.fetched_at for e in IssuerStore(db, clock).list()} == {START + 600}


def test_no_issuer_request_while_degraded(db: Database) -> None:
    clock = ManualClock(START)
    breaker = CircuitBreaker(clock, random.Random(3), BreakerSettings(failure_threshold=1))
    breaker.record_failure(FailureCause.SERVER_ERROR, retry_after_s=600)
    assert breaker.state is BreakerState.OPEN

    class Answer500(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            send_json(self, 500, b'{"error": "down"}')

    with (
        scripted_server(Answer500) as server,
        UpstreamClient(server.url, "k", connect_timeout_s=0.3, clock=SystemClock()) as down,
    ):
        report = make(db, down, clock, breaker=breaker).run_due(clock.now())
        assert server.hits == 0
    assert report.job(Job.ISSUERS).skip_reason is SkipReason.BREAKER_OPEN
    assert IssuerStore(db, clock).list() == []


def test_a_failing_issuer_list_backs_off_on_its_own_and_the_signer_list_still_syncs(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    fresh_sim.set_faults(Faults(error_rate=1.0, paths=("/v1/trust/issuers",)))
    report = make(db, client, clock).run_due(clock.now())
    assert report.job(Job.TRUST).outcome is Outcome.RAN and TrustStore(db, clock).last_updated() == START
    failed = report.job(Job.ISSUERS)
    assert failed.outcome is Outcome.FAILED and failed.cause == FailureCause.SERVER_ERROR.value
    assert failed.next_due_at is not None and START <= failed.next_due_at <= START + FAST.trust_interval_s
    assert IssuerStore(db, clock).list() == []


def test_the_trust_age_shown_is_the_older_of_the_signer_and_the_issuer_list(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    maintenance = make(db, client, clock)
    assert maintenance.run_due(clock.now()).trust_age.updated_at == START
    fresh_sim.set_faults(Faults(error_rate=1.0, paths=("/v1/trust/issuers",)))
    clock.set_wall(START + 1.2 * FAST.trust_interval_s)
    report = maintenance.run_due(clock.now())
    assert report.job(Job.TRUST).outcome is Outcome.RAN
    assert report.job(Job.ISSUERS).outcome is Outcome.FAILED
    assert TrustStore(db, clock).last_updated() == clock.now()  # the signer list is current...
    assert report.trust_age.updated_at == START  # ...the issuer list is not, and the owner sees that
