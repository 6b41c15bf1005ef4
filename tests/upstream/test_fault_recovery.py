"""After an upstream fault, every visit shown at the door reaches upstream exactly once.

The real engine, client, breaker, store and uploader against the simulator on a real
socket, with a small verdict budget so the hang costs little. This is a behaviour
test, not a timing one: the figures are in benchmarks/latency_under_faults.py.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.config import BreakerSettings, Config
from kiosk.decision import PassKind, Verdict, VerifiedBy
from kiosk.passes.signer import load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.outbox import pending_count, quarantined_count
from kiosk.store.recorder import StoreRecorder, StoreRevocations
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import UpstreamState, list_visits
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.uploader import Uploader, UploaderSettings
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.engine import EngineSettings, Evaluation, VerificationEngine

KIOSK_ID = "kiosk-recovery"
SCANS = 10
DRAIN_DEADLINE_S = 8.0
SETTLE_S = 0.2  # probation after a recovery, during which signed passes stay offline


@dataclass
class Kiosk:
    db: Database
    engine: VerificationEngine
    breaker: CircuitBreaker
    uploader: Uploader
    client: UpstreamClient


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(fault_rng=random.Random(3)) as simulator:
        yield simulator


@pytest.fixture
def kiosk(sim: Simulator, tmp_path: Path) -> Iterator[Kiosk]:
    sim.reset()
    clock, rng = SystemClock(), random.Random(11)
    db = open_database(tmp_path / "kiosk.db")
    trust = TrustStore(db)
    for signer in sim.state.signers:
        trust.add(load_signer_cert(signer.der), clock.now())
    client = UpstreamClient(sim.url, "demo-key", connect_timeout_s=0.2, clock=clock, kiosk_id=KIOSK_ID)
    settings = BreakerSettings(probe_base_s=0.1, probe_max_s=0.4, settle_s=SETTLE_S)
    breaker = CircuitBreaker(clock, rng, settings)
    engine = VerificationEngine(
        trust=trust,
        rules=Config().rules,
        clock=clock,
        settings=EngineSettings(kiosk_id=KIOSK_ID, budget_s=0.3, reserve_s=0.05),
        recorder=StoreRecorder(db, kiosk_id=KIOSK_ID, rng=rng),
        online=client,
        breaker=breaker,
        revocations=StoreRevocations(db),
    )
    settings = UploaderSettings(
        batch_size=50,
        max_requests_per_s=50,
        burst=10,
        backoff_base_s=0.05,
        backoff_max_s=0.2,
        request_timeout_s=1.0,
    )
    uploader = Uploader(db, client, clock, rng, settings, breaker=breaker)
    yield Kiosk(db, engine, breaker, uploader, client)
    client.close()
    db.close()
    sim.reset()


def issue_passes(sim: Simulator, n: int) -> list[str]:
    """DCCs and check-in tokens as visitors would show them, issued by upstream itself."""
    texts = []
    for i in range(n):
        if i % 3 == 2:
            texts.append(sim.state.issue_token().token)
        else:
            texts.append(sim.state.issue_dcc({"type": "v" if i % 2 else "t"}).text)
    return texts


def drain(kiosk: Kiosk) -> None:
    """Run upload rounds (the uploader's batch doubles as the breaker's probe) until nothing is owed."""
    deadline = time.monotonic() + DRAIN_DEADLINE_S
    while pending_count(kiosk.db) and time.monotonic() < deadline:
        kiosk.uploader.run_once()
        if pending_count(kiosk.db):
            time.sleep(0.05)


FAULTS = {
    "hang": Faults(hang=True, max_hang_s=3),
    "503": Faults(error_rate=1.0, retry_after_s=0.2),
    "reset": Faults(reset=True),
    "drop_after_ack": Faults(drop_after_ack=True),
    "garbage-html": Faults(garbage="html"),
    "truncated": Faults(garbage="truncated"),
}
# drop_after_ack only touches visit uploads; the verdict path stays online.
VERDICT_PATH_UNAFFECTED = {"drop_after_ack"}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_no_visit_is_lost_or_stored_twice(sim: Simulator, kiosk: Kiosk, fault: str) -> None:
    texts = issue_passes(sim, SCANS)
    sim.set_faults(FAULTS[fault])

    evaluations: list[Evaluation] = []
    for n, text in enumerate(texts):
        evaluations.append(kiosk.engine.verify(text))
        if n in (SCANS // 2, SCANS - 1):
            # The background uploader keeps trying during the outage, as in the app.
            kiosk.uploader.run_once()

    decisions = [e.decision for e in evaluations]
    assert all(d.visit_id for d in decisions)
    assert all(d.verdict in (Verdict.ADMIT, Verdict.MANUAL) for d in decisions)
    if fault in VERDICT_PATH_UNAFFECTED:
        assert all(d.verified_by is VerifiedBy.ONLINE for d in decisions)
    else:
        assert not any(d.verified_by is VerifiedBy.ONLINE for d in decisions)
        for d in decisions:
            if d.kind is PassKind.TOKEN:
                assert d.verdict is Verdict.MANUAL  # a token cannot be checked without upstream
            else:
                assert (d.verdict, d.verified_by) == (Verdict.ADMIT, VerifiedBy.OFFLINE)
        # The breaker (open, or honouring Retry-After) spared most scans the upstream call.
        assert sum(e.online_attempted for e in evaluations) < SCANS

    sim.set_faults(Faults())
    drain(kiosk)

    local = {v.id for v in list_visits(kiosk.db)}
    stored = [v["id"] for v in sim.state.stored_visits()]
    assert len(local) == SCANS
    assert sorted(stored) == sorted(local)  # none lost, none foreign, each once
    assert pending_count(kiosk.db) == quarantined_count(kiosk.db) == 0
    assert {v.upstream_state for v in list_visits(kiosk.db)} == {UpstreamState.CONFIRMED}
    counters = sim.state.counters()
    assert (counters.stored, counters.rejected) == (SCANS, 0)
    from_batches = counters.stored - counters.recorded_by_verify
    assert counters.duplicates + counters.superseded == counters.received - from_batches
    if fault in VERDICT_PATH_UNAFFECTED:
        # Every online verification carried its visit: nothing was left for a batch.
        assert counters.recorded_by_verify == SCANS and counters.batches == 0

    # The verdict path is back online too: a fresh scan after recovery (and after the
    # probation that keeps signed passes offline) is verified upstream.
    assert kiosk.breaker.state is BreakerState.CLOSED
    time.sleep(SETTLE_S)
    after = kiosk.engine.verify(issue_passes(sim, 1)[0]).decision
    assert after.verified_by is VerifiedBy.ONLINE
