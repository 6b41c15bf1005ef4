"""The verify engine online: the real simulator on 127.0.0.1, the real UpstreamClient and breaker.

Real sockets need real time, so these use SystemClock with a small budget; bounds on
elapsed time are generous (they check that the budget is honoured, not speed).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.clock import ManualClock, SystemClock
from kiosk.config import BreakerSettings, RulesConfig
from kiosk.decision import Health, PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import uci_hash
from kiosk.passes.signer import StaticTrust, load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator, SimulatorState
from kiosk.simulator.state import EXTENSIONS, VerifyResult
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.outbox import pending_count
from kiosk.store.recorder import StoreRecorder, StoreRevocations
from kiosk.store.visits import UpstreamState, get_visit
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.uploader import Uploader
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.engine import EngineSettings, Evaluation, VerificationEngine
from kiosk.verify.online import FailureCause

BUDGET_S = 0.5
RESERVE_S = 0.05
SLACK_S = 0.5
FAILURE_THRESHOLD = 3
PROBE_BASE_S = 0.2
SETTLE_S = 0.3  # probation after a recovery: signed passes stay offline meanwhile


class CountingState(SimulatorState):
    """The simulator's own state, counting the verify calls that reached it."""

    def __init__(self) -> None:
        super().__init__(clock=SystemClock(), rng=random.Random(17))
        self._count_lock = threading.Lock()
        self.verify_calls = 0

    def verify(self, text: str, scanned_at: float) -> VerifyResult:
        with self._count_lock:
            self.verify_calls += 1
        return super().verify(text, scanned_at)

    def reset(self) -> None:
        super().reset()
        with self._count_lock:
            self.verify_calls = 0


@pytest.fixture(scope="module")
def state() -> CountingState:
    return CountingState()  # RSA key generation: once per module


@pytest.fixture
def sim(state: CountingState) -> Iterator[Simulator]:
    state.reset()
    with Simulator(state=state, fault_rng=random.Random(3)) as simulator:
        yield simulator


@dataclass
class Online:
    engine: VerificationEngine
    breaker: CircuitBreaker
    sim: Simulator
    state: CountingState
    db: Database

    def verify(self, text: str) -> Evaluation:
        return self.engine.verify(text)


@pytest.fixture
def online(sim: Simulator, state: CountingState, tmp_path: Path) -> Iterator[Online]:
    clock = SystemClock()
    db = open_database(tmp_path / "kiosk.db")
    breaker = CircuitBreaker(
        clock,
        random.Random(2),
        BreakerSettings(
            failure_threshold=FAILURE_THRESHOLD, probe_base_s=PROBE_BASE_S, probe_max_s=0.4, settle_s=SETTLE_S
        ),
    )
    client = UpstreamClient(sim.url, "demo-key", clock=clock, connect_timeout_s=0.2, kiosk_id="kiosk-online")
    engine = VerificationEngine(
        trust=StaticTrust(load_signer_cert(s.der) for s in state.signers),
        rules=RulesConfig(),
        clock=clock,
        settings=EngineSettings(kiosk_id="kiosk-online", budget_s=BUDGET_S, reserve_s=RESERVE_S),
        recorder=StoreRecorder(db, kiosk_id="kiosk-online", rng=random.Random(4)),
        online=client,
        breaker=breaker,
        revocations=StoreRevocations(db),
    )
    yield Online(engine, breaker, sim, state, db)
    client.close()
    db.close()


def _dcc(state: CountingState) -> tuple[str, str]:
    issued = state.issue_dcc({"type": "v", "days_ago": 30})
    return issued.text, issued.uci


def _engine(
    sim: Simulator, state: CountingState, clock: ManualClock | SystemClock, breaker: CircuitBreaker,
    *, budget_s: float = BUDGET_S, reserve_s: float = RESERVE_S,
) -> tuple[VerificationEngine, UpstreamClient]:
    """An engine without a recorder, on the given clock, asking the simulator."""
    client = UpstreamClient(sim.url, "demo-key", clock=SystemClock(), kiosk_id="kiosk-online")
    engine = VerificationEngine(
        trust=StaticTrust(load_signer_cert(s.der) for s in state.signers), rules=RulesConfig(), clock=clock,
        settings=EngineSettings(kiosk_id="kiosk-online", budget_s=budget_s, reserve_s=reserve_s),
        online=client, breaker=breaker,
    )
    return engine, client


def test_valid_dcc_is_admitted_online(online: Online) -> None:
    text, uci = _dcc(online.state)
    ev = online.verify(text)
    d = ev.decision
    assert (d.verdict, d.reason, d.verified_by, d.health) == (
        Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, Health.ONLINE
    )
    assert ev.online_attempted and ev.online_failure is None
    assert online.state.verify_calls == 1
    assert d.holder_masked == "M********u E."
    assert d.visit_id is not None
    visit = get_visit(online.db, d.visit_id)
    assert visit is not None and visit.verified_by is VerifiedBy.ONLINE
    # The record drafted for upstream before the call keeps the pass's identifier (as a hash).
    assert visit.uci_hash == uci_hash(uci)
    assert [v["uci_hash"] for v in online.state.stored_visits()] == [uci_hash(uci)]


def test_revoked_upstream_is_denied_although_offline_would_admit(online: Online) -> None:
    text, uci = _dcc(online.state)
    online.state.revoke(uci)
    d = online.verify(text).decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, Reason.REVOKED, VerifiedBy.ONLINE)
    assert d.detail == "revoked"  # upstream's own reason, for the JSON output and the log
    # The visit drafted as "admit" before the call is stored as decided after it.
    assert d.visit_id is not None
    visit = get_visit(online.db, d.visit_id)
    assert visit is not None and (visit.decision, visit.reason, visit.verified_by) == (
        Verdict.DENY, Reason.REVOKED, VerifiedBy.ONLINE
    )


def test_token_is_redeemed_once(online: Online) -> None:
    token = online.state.issue_token().token
    first = online.verify(token).decision
    assert (first.verdict, first.reason, first.verified_by, first.kind) == (
        Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, PassKind.TOKEN
    )
    second = online.verify(token).decision
    assert (second.verdict, second.verified_by) == (Verdict.DENY, VerifiedBy.ONLINE)
    assert second.reason is Reason.UPSTREAM_INVALID


def test_a_holder_name_sent_by_upstream_is_masked(online: Online) -> None:
    token = online.state.issue_token(holder="Max Mustermann").token
    d = online.verify(token).decision
    assert (d.verified_by, d.holder_masked) == (VerifiedBy.ONLINE, "M*x M********n")
    assert d.visit_id is not None
    visit = get_visit(online.db, d.visit_id)
    assert visit is not None and visit.holder_masked == "M*x M********n"


def test_unknown_token_is_denied_online(online: Online) -> None:
    d = online.verify("KP1:bm90LWlzc3VlZC1ieS11cHN0cmVhbQ").decision
    assert (d.verdict, d.verified_by) == (Verdict.DENY, VerifiedBy.ONLINE)


def test_not_a_pass_never_asks_upstream(online: Online) -> None:
    ev = online.verify("https://example.com/menu")
    assert ev.decision.reason is Reason.NOT_A_PASS
    assert not ev.online_attempted and online.state.verify_calls == 0


def test_hanging_upstream_keeps_the_budget_and_falls_back(online: Online) -> None:
    online.sim.set_faults(Faults(hang=True, max_hang_s=5.0))
    text, _ = _dcc(online.state)
    started = time.monotonic()
    ev = online.verify(text)
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_S + SLACK_S
    assert ev.online_attempted and ev.online_failure == FailureCause.TIMEOUT.value
    d = ev.decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE)
    assert d.visit_id is not None

    token = online.state.issue_token().token
    started = time.monotonic()
    ev = online.verify(token)
    assert time.monotonic() - started < BUDGET_S + SLACK_S
    assert (ev.decision.verdict, ev.decision.reason) == (Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE)


@pytest.mark.parametrize("where", ["headers", "body"])
def test_trickling_upstream_keeps_the_budget(online: Online, where: str) -> None:
    # Each byte arrives well within any per-read timeout: only the total deadline stops it.
    online.sim.set_faults(
        Faults(trickle_headers=where == "headers", trickle_body=where == "body", max_hang_s=10.0)
    )
    token = online.state.issue_token().token
    started = time.monotonic()
    ev = online.verify(token)
    assert time.monotonic() - started < BUDGET_S + SLACK_S
    assert ev.online_attempted and ev.online_failure == FailureCause.TIMEOUT.value
    assert (ev.decision.verdict, ev.decision.reason) == (Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE)
    assert ev.decision.visit_id is not None


@pytest.mark.parametrize(
    ("faults", "cause"),
    [
        (Faults(garbage="html"), FailureCause.BAD_BODY),
        (Faults(garbage="json-wrong"), FailureCause.BAD_BODY),
        (Faults(garbage="truncated"), None),  # truncated body: bad-body or reset, both are failures
        (Faults(error_rate=1.0), FailureCause.SERVER_ERROR),
        (Faults(throttle_rate=1.0, retry_after_s=30), FailureCause.THROTTLED),
        (Faults(reset=True), FailureCause.RESET),
    ],
    ids=["html", "json-wrong", "truncated", "503", "429", "reset"],
)
def test_each_upstream_fault_falls_back(online: Online, faults: Faults, cause: FailureCause | None) -> None:
    online.sim.set_faults(faults)
    text, _ = _dcc(online.state)
    ev = online.verify(text)
    assert ev.online_attempted
    assert ev.online_failure is not None
    if cause is not None:
        assert ev.online_failure == cause.value
    d = ev.decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE)
    token = online.state.issue_token().token
    ev2 = online.verify(token)
    assert (ev2.decision.verdict, ev2.decision.reason) == (Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE)


def test_retry_after_is_honoured_on_the_verdict_path(online: Online) -> None:
    online.sim.set_faults(Faults(throttle_rate=1.0, retry_after_s=30))
    text, _ = _dcc(online.state)
    assert online.verify(text).online_failure == FailureCause.THROTTLED.value
    online.sim.set_faults(Faults())
    calls = online.state.verify_calls
    ev = online.verify(text)
    # Upstream asked for 30 s of quiet: the next scan must not call it, whatever the breaker count.
    assert not ev.online_attempted
    assert ev.decision.verified_by is VerifiedBy.OFFLINE
    assert online.state.verify_calls == calls


def test_breaker_opens_after_repeated_failures_and_stops_calling(online: Online) -> None:
    # html garbage still runs the real handler, so every call that reaches upstream is counted.
    online.sim.set_faults(Faults(garbage="html"))
    text, _ = _dcc(online.state)
    for n in range(1, FAILURE_THRESHOLD + 1):
        ev = online.verify(text)
        assert ev.online_attempted
        assert online.state.verify_calls == n
    assert online.breaker.state is BreakerState.OPEN
    assert ev.decision.health is Health.DEGRADED

    for _ in range(3):
        ev = online.verify(text)
        assert not ev.online_attempted
        d = ev.decision
        assert (d.verdict, d.verified_by, d.health) == (Verdict.ADMIT, VerifiedBy.OFFLINE, Health.DEGRADED)
        token = online.state.issue_token().token
        td = online.verify(token).decision
        assert (td.verdict, td.reason, td.health) == (
            Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE, Health.DEGRADED
        )
    assert online.state.verify_calls == FAILURE_THRESHOLD
    assert online.engine.health is Health.DEGRADED


def test_breaker_recovers_after_the_probe_time(online: Online) -> None:
    online.sim.set_faults(Faults(error_rate=1.0, retry_after_s=0))
    text, _ = _dcc(online.state)
    for _ in range(FAILURE_THRESHOLD):
        online.verify(text)
    assert online.breaker.state is BreakerState.OPEN
    online.sim.set_faults(Faults())
    # Full jitter: the first probe comes at most probe_base_s after opening.
    time.sleep(PROBE_BASE_S + 0.05)
    assert not online.verify(text).online_attempted  # a signed pass keeps its offline verdict...
    ev = online.verify(online.state.issue_token().token)  # ...a token, only upstream can judge, probes
    assert ev.online_attempted
    assert online.breaker.state is BreakerState.CLOSED
    d = ev.decision
    assert (d.verdict, d.verified_by, d.health) == (Verdict.ADMIT, VerifiedBy.ONLINE, Health.ONLINE)
    calls = online.state.verify_calls
    assert online.verify(text).decision.verified_by is VerifiedBy.OFFLINE  # on probation: no call
    assert online.state.verify_calls == calls
    time.sleep(SETTLE_S)
    assert online.verify(text).decision.verified_by is VerifiedBy.ONLINE  # settled


def test_failed_probe_reopens_the_breaker(online: Online) -> None:
    online.sim.set_faults(Faults(error_rate=1.0, retry_after_s=0))
    text, _ = _dcc(online.state)
    for _ in range(FAILURE_THRESHOLD):
        online.verify(text)
    time.sleep(PROBE_BASE_S + 0.05)
    ev = online.verify(online.state.issue_token().token)  # the probe, still failing
    assert ev.online_attempted and ev.decision.verified_by is VerifiedBy.NONE
    assert online.breaker.state is BreakerState.OPEN
    assert not online.verify(online.state.issue_token().token).online_attempted


# --- one request per healthy scan: the verification carries the visit -------------------------


def _uploader(online: Online, clock: SystemClock) -> Uploader:
    client = UpstreamClient(online.sim.url, "demo-key", clock=clock, kiosk_id="kiosk-online")
    return Uploader(online.db, client, clock, random.Random(5), breaker=online.breaker)


def test_an_online_verdict_records_the_visit_upstream_in_the_same_call(online: Online) -> None:
    text, _ = _dcc(online.state)
    token = online.state.issue_token().token
    decisions = [online.verify(t).decision for t in (text, token)]
    stored = {v["id"]: v for v in online.state.stored_visits()}
    for d in decisions:
        assert d.verified_by is VerifiedBy.ONLINE and d.visit_id in stored
        local = get_visit(online.db, d.visit_id)
        assert local is not None and local.upstream_state is UpstreamState.CONFIRMED
        assert (stored[d.visit_id]["decision"], stored[d.visit_id]["verified_by"]) == ("admit", "online")
    assert online.state.verify_calls == 2
    assert pending_count(online.db) == 0  # nothing waits for a batch
    report = _uploader(online, SystemClock()).run_once()
    assert report.batches == 0 and online.state.counters().batches == 0


def test_a_denied_online_verdict_waits_for_the_batch(online: Online) -> None:
    text, uci = _dcc(online.state)
    online.state.revoke(uci)
    d = online.verify(text).decision
    assert d.reason is Reason.REVOKED
    assert online.state.stored_visits() == []  # upstream stores only what the kiosk proposed for "valid"
    assert pending_count(online.db) == 1
    report = _uploader(online, SystemClock()).run_once()
    assert report.sent == 1
    assert [(v["id"], v["reason"]) for v in online.state.stored_visits()] == [(d.visit_id, "revoked")]


def test_a_lost_verify_answer_is_resent_under_the_same_id(online: Online) -> None:
    # Upstream stores the visit, but its answer comes after the kiosk gave up (budget 0.5 s).
    online.sim.set_faults(Faults(latency_ms=BUDGET_S * 1000 + 300))
    text, _ = _dcc(online.state)
    d = online.verify(text).decision
    assert d.verified_by is VerifiedBy.OFFLINE and d.visit_id is not None
    deadline = time.monotonic() + 3.0
    while not online.state.stored_visits() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server finishes the call the kiosk abandoned
    assert [v["verified_by"] for v in online.state.stored_visits()] == ["online"]
    online.sim.set_faults(Faults())
    online.breaker.record_success(0.01)  # recovery is not what this test is about
    report = _uploader(online, SystemClock()).run_once()
    assert report.sent == 1
    # Stored once, under the id the kiosk showed, and now as the kiosk decided it.
    assert [(v["id"], v["verified_by"]) for v in online.state.stored_visits()] == [(d.visit_id, "offline")]
    assert online.state.counters().superseded == 1


# --- the carry extension: pending visits go with the next online verification -------------------


def _pending_visit(online: Online) -> str:
    """A visit that waits for an upload: a revoked pass, denied online (upstream stores only valid ones)."""
    text, uci = _dcc(online.state)
    online.state.revoke(uci)
    decision = online.verify(text).decision
    assert decision.reason is Reason.REVOKED and decision.visit_id is not None
    assert pending_count(online.db) == 1
    return decision.visit_id


def _stored(online: Online) -> dict[str, str]:
    return {v["id"]: v["reason"] for v in online.state.stored_visits()}


def test_a_pending_visit_goes_with_the_next_online_verify_and_is_stored_once(online: Online) -> None:
    waiting = _pending_visit(online)
    text, _ = _dcc(online.state)
    decision = online.verify(text).decision
    assert decision.verified_by is VerifiedBy.ONLINE
    assert _stored(online) == {waiting: "revoked", decision.visit_id: "valid"}
    assert pending_count(online.db) == 0
    local = get_visit(online.db, waiting)
    assert local is not None and local.upstream_state is UpstreamState.CONFIRMED
    report = _uploader(online, SystemClock()).run_once()
    assert report.batches == 0 and online.state.counters().batches == 0
    assert online.state.counters().carried == 1


def test_an_upstream_without_the_extension_leaves_it_to_the_uploader(online: Online) -> None:
    online.state.extensions = EXTENSIONS - {"carry"}
    waiting = _pending_visit(online)
    text, _ = _dcc(online.state)
    assert online.verify(text).decision.verified_by is VerifiedBy.ONLINE
    assert waiting not in _stored(online) and pending_count(online.db) == 1
    report = _uploader(online, SystemClock()).run_once()
    assert report.sent == 1 and pending_count(online.db) == 0
    assert _stored(online)[waiting] == "revoked"


def test_carried_visits_whose_answer_was_lost_are_uploaded_under_their_ids_and_stored_once(
    online: Online,
) -> None:
    waiting = _pending_visit(online)
    # Upstream stores what the call carried, but answers after the kiosk gave up.
    online.sim.set_faults(Faults(latency_ms=BUDGET_S * 1000 + 300))
    text, _ = _dcc(online.state)
    shown = online.verify(text).decision
    assert shown.verified_by is VerifiedBy.OFFLINE
    deadline = time.monotonic() + 3.0
    while waiting not in _stored(online) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server finishes the call the kiosk abandoned
    assert waiting in _stored(online) and pending_count(online.db) == 2  # no ack: still owed
    online.sim.set_faults(Faults())
    online.breaker.record_success(0.01)  # recovery is not what this test is about
    assert _uploader(online, SystemClock()).run_once().sent == 2
    assert sorted(v["id"] for v in online.state.stored_visits()) == sorted([waiting, shown.visit_id])


# --- upstream vouches for the pass, the venue's rules still decide the entry ---------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"type": "t", "hours_ago": RulesConfig().test_naa_max_hours + 24}, Reason.TEST_TOO_OLD),
        ({"type": "v", "days_ago": RulesConfig().vaccination_min_days - 10}, Reason.VACCINATION_TOO_RECENT),
    ],
    ids=["test-too-old", "vaccination-too-recent"],
)
def test_an_online_valid_pass_still_meets_the_venues_rules(
    online: Online, body: dict[str, object], reason: Reason
) -> None:
    text = online.state.issue_dcc(body).text
    ev = online.verify(text)
    d = ev.decision
    assert ev.online_attempted and ev.online_failure is None
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, reason, VerifiedBy.ONLINE)
    # Upstream answered valid (it stores the carried record only then), and what it stored
    # is the venue's refusal, not an admission.
    stored = online.state.stored_visits()
    assert [(v["id"], v["decision"], v["reason"]) for v in stored] == [(d.visit_id, "deny", str(reason))]


def test_a_scan_without_budget_left_does_not_take_the_probe_slot(online: Online) -> None:
    text = online.state.issue_token().token  # a signed pass would not probe at all
    for _ in range(FAILURE_THRESHOLD):
        online.breaker.record_failure(FailureCause.SERVER_ERROR)
    assert online.breaker.state is BreakerState.OPEN
    time.sleep(PROBE_BASE_S + 0.05)  # full jitter: the probe is due at most probe_base_s after opening
    # The same breaker and upstream, but all of the budget kept back for storing: no time to call.
    hurried, client = _engine(
        online.sim, online.state, SystemClock(), online.breaker, budget_s=RESERVE_S, reserve_s=RESERVE_S
    )
    try:
        ev = hurried.verify(text)
    finally:
        client.close()
    assert not ev.online_attempted and ev.decision.verified_by is VerifiedBy.NONE
    assert online.breaker.state is BreakerState.OPEN  # the probe slot is still free...
    probe = online.verify(text)  # ...so the next scan with time to spare is the probe
    assert probe.online_attempted and probe.decision.verified_by is VerifiedBy.ONLINE
    assert online.breaker.state is BreakerState.CLOSED
    assert online.state.verify_calls == 1


# --- the engine's own clock and no recorder -----------------------------------------------------


def test_each_answer_feeds_the_breaker_its_cause_and_the_engines_time(
    sim: Simulator, state: CountingState
) -> None:
    text, _ = _dcc(state)
    clock = ManualClock(start=time.time())
    clock.advance(60)  # a latency measured from the wrong end would show
    breaker = CircuitBreaker(clock, random.Random(2), BreakerSettings(min_samples=1, window_size=1))
    engine, client = _engine(sim, state, clock, breaker)
    try:
        sim.set_faults(Faults(error_rate=1.0, retry_after_s=0))
        assert engine.verify(text).online_failure == FailureCause.SERVER_ERROR.value
        # No time passes on the engine's clock: the sample is 0, whatever the network took.
        assert (breaker.snapshot().last_cause, breaker.snapshot().p90_latency_s) == ("5xx", 0.0)
        sim.set_faults(Faults())
        assert engine.verify(text).decision.verified_by is VerifiedBy.ONLINE
        assert breaker.snapshot().p90_latency_s == 0.0
    finally:
        client.close()


def test_exactly_the_minimum_time_left_still_asks_upstream(sim: Simulator, state: CountingState) -> None:
    text, _ = _dcc(state)
    clock = ManualClock(start=time.time())
    breaker = CircuitBreaker(clock, random.Random(2))
    engine, client = _engine(sim, state, clock, breaker, budget_s=0.05, reserve_s=0.0)
    try:
        assert engine.verify(text).online_attempted  # answered or timed out: it was asked
    finally:
        client.close()


def test_without_a_recorder_upstreams_answer_still_decides(sim: Simulator, state: CountingState) -> None:
    text, _ = _dcc(state)
    clock = SystemClock()
    engine, client = _engine(sim, state, clock, CircuitBreaker(clock, random.Random(2)))
    try:
        d = engine.verify(text).decision
    finally:
        client.close()
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE)
    assert d.visit_id is None
    assert state.verify_calls == 1 and state.stored_visits() == []
