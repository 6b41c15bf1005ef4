"""The outbox uploader against the real simulator, with a real SQLite file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import time

import pytest

from kiosk.clock import ManualClock, SystemClock
from kiosk.config import BreakerSettings
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.manual import resolve_manual
from kiosk.store.visits import UpstreamState, VisitRecord, get_visit, new_visit_id, record_visit
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.uploader import (
    StopReason,
    Uploader,
    UploaderSettings,
    UploaderThread,
    idempotency_key,
)
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.online import FailureCause

START = 1_790_000_000.0


def add_visits(
    db: Database, clock: ManualClock, n: int, rng: random.Random, **overrides: object
) -> list[str]:
    ids = []
    for i in range(n):
        record = VisitRecord(
            id=new_visit_id(clock.now() + i * 0.001, rng),
            scanned_at=clock.now(),
            kind=PassKind.TOKEN,
            pass_hash=pass_hash(f"KP1:token-{rng.random()}"),
            uci_hash=None,
            holder_masked=None,
            decision=Verdict.ADMIT,
            reason=Reason.VALID,
            verified_by=VerifiedBy.ONLINE,
            upstream_state=UpstreamState.PENDING,
            kiosk_id="kiosk-t",
        )
        record_visit(db, dataclasses.replace(record, **overrides))  # type: ignore[arg-type]
        ids.append(record.id)
    return ids


def make_uploader(
    db: Database,
    client: UpstreamClient,
    clock: ManualClock,
    *,
    breaker: CircuitBreaker | None = None,
    **settings: object,
) -> Uploader:
    # Fixed batches unless a test asks for the drain's bigger ones.
    base = {
        "batch_size": 2,
        "max_requests_per_s": 100.0,
        "burst": 10,
        "request_timeout_s": 1.0,
        "drain_batch_size": 0,
    }
    return Uploader(
        db, client, clock, random.Random(1), UploaderSettings(**{**base, **settings}), breaker=breaker
    )


def stored(sim: Simulator) -> int:
    return sim.state.counters().stored


def test_drains_in_batches(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    ids = add_visits(db, clock, 5, random.Random(2))
    report = make_uploader(db, client, clock).run_once(clock.now())
    assert (report.batches, report.sent, report.stopped) == (3, 5, StopReason.DRAINED)
    assert outbox.pending_count(db) == 0
    assert stored(fresh_sim) == 5
    assert {v["id"] for v in fresh_sim.state.stored_visits()} == set(ids)
    assert all(get_visit(db, i).upstream_state is UpstreamState.CONFIRMED for i in ids)  # type: ignore[union-attr]


def test_uploads_carry_no_personal_data(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 1, random.Random(3), holder_masked="K** M**")
    make_uploader(db, client, clock).run_once(clock.now())
    [uploaded] = fresh_sim.state.stored_visits()
    assert "holder_masked" not in uploaded
    assert "K** M**" not in repr(uploaded)


def test_rate_cap_spreads_batches(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 3, random.Random(4))
    uploader = make_uploader(db, client, clock, batch_size=1, max_requests_per_s=1.0, burst=1)
    first = uploader.run_once(clock.now())
    assert (first.batches, first.stopped) == (1, StopReason.RATE_LIMITED)
    again = uploader.run_once(clock.now())
    assert again.batches == 0
    clock.advance(1.0)
    assert uploader.run_once(clock.now()).batches == 1
    assert stored(fresh_sim) == 2


def test_failure_backs_off_and_honours_retry_after(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    ids = add_visits(db, clock, 2, random.Random(5))
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=30))
    uploader = make_uploader(db, client, clock, backoff_base_s=1.0, backoff_max_s=5.0)
    report = uploader.run_once(clock.now())
    assert report.stopped is StopReason.FAILED
    assert report.last_cause is FailureCause.SERVER_ERROR
    assert report.retry_at is not None and report.retry_at >= clock.now() + 30
    # Nothing is dropped before acknowledgement: still pending, attempt counted.
    items = {i.visit_id: i for i in outbox.due(db, report.retry_at, 10)}
    assert set(items) == set(ids)
    assert all(i.attempts == 1 and i.last_error == "5xx" for i in items.values())
    fresh_sim.set_faults(Faults())
    clock.advance(29)
    assert uploader.run_once(clock.now()).batches == 0  # not earlier than Retry-After
    clock.advance(report.retry_at - clock.now())
    assert uploader.run_once(clock.now()).sent == 2


def test_backoff_grows_with_attempts(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 1, random.Random(6))
    fresh_sim.set_faults(Faults(reset=True))
    uploader = make_uploader(db, client, clock, backoff_base_s=1.0, backoff_max_s=1000.0)
    delays = []
    for _ in range(6):
        report = uploader.run_once(clock.now())
        assert report.last_cause is FailureCause.RESET
        assert report.retry_at is not None
        delays.append(report.retry_at - clock.now())
        clock.advance(delays[-1])
    # Full jitter: each delay lies within its exponential ceiling.
    assert all(0 <= d <= 2**n for n, d in enumerate(delays))
    assert max(delays[3:]) > max(delays[:2])


def test_partial_acceptance_quarantines_the_rejected(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    rng = random.Random(7)
    good = add_visits(db, clock, 2, rng)
    [bad] = add_visits(db, clock, 1, rng, pass_hash="not-a-sha256")
    report = make_uploader(db, client, clock, batch_size=10).run_once(clock.now())
    assert (report.sent, report.quarantined, report.failed) == (2, 1, 0)
    assert outbox.pending_count(db) == 0
    [kept] = outbox.quarantined(db)
    assert kept.visit_id == bad and "invalid_pass_hash" in (kept.last_error or "")
    assert get_visit(db, bad).upstream_state is UpstreamState.REJECTED  # type: ignore[union-attr]
    assert all(get_visit(db, g).upstream_state is UpstreamState.CONFIRMED for g in good)  # type: ignore[union-attr]


def test_ack_lost_then_retry_does_not_duplicate(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 3, random.Random(8))
    fresh_sim.set_faults(Faults(drop_after_ack=True))
    uploader = make_uploader(db, client, clock, batch_size=10)
    lost = uploader.run_once(clock.now())
    assert lost.stopped is StopReason.FAILED and lost.last_cause is FailureCause.RESET
    assert stored(fresh_sim) == 3  # upstream has them; the kiosk does not know
    assert outbox.pending_count(db) == 3
    fresh_sim.set_faults(Faults())
    clock.advance(lost.retry_at - clock.now())  # type: ignore[operator]
    retry = uploader.run_once(clock.now())
    assert retry.sent == 3
    counters = fresh_sim.state.counters()
    assert counters.stored == 3
    assert counters.replays == 1  # same key, same body: answered from the idempotency store


def test_breaker_open_blocks_uploads_until_probe(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 2, random.Random(9))
    breaker = CircuitBreaker(
        clock, random.Random(10), BreakerSettings(failure_threshold=1, probe_base_s=1.0, probe_max_s=1.0)
    )
    breaker.record_failure(FailureCause.TIMEOUT)
    assert breaker.state is BreakerState.OPEN
    uploader = make_uploader(db, client, clock, breaker=breaker)
    blocked = uploader.run_once(clock.now())
    assert (blocked.batches, blocked.stopped) == (0, StopReason.BREAKER_OPEN)
    assert fresh_sim.state.counters().batches == 0
    clock.advance(2.0)
    probe = uploader.run_once(clock.now())
    assert probe.sent == 2
    assert breaker.state is BreakerState.CLOSED


def test_failed_upload_counts_against_breaker(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 1, random.Random(11))
    breaker = CircuitBreaker(clock, random.Random(12), BreakerSettings(failure_threshold=1))
    fresh_sim.set_faults(Faults(throttle_rate=1.0, retry_after_s=20))
    make_uploader(db, client, clock, breaker=breaker).run_once(clock.now())
    assert breaker.state is BreakerState.OPEN
    clock.advance(10)
    assert not breaker.allow_request()  # Retry-After holds the breaker shut too


def test_kiosk_clock_hours_off_still_uploads(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(time.time() - 7 * 3600)
    add_visits(db, clock, 2, random.Random(13))
    assert make_uploader(db, client, clock).run_once(clock.now()).sent == 2
    assert stored(fresh_sim) == 2


def test_a_staff_answer_given_after_the_upload_reaches_upstream_under_the_same_id(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    manual = {
        "decision": Verdict.MANUAL,
        "reason": Reason.UPSTREAM_UNAVAILABLE,
        "verified_by": VerifiedBy.NONE,
    }
    (visit_id,) = add_visits(db, clock, 1, random.Random(5), **manual)
    uploader = make_uploader(db, client, clock)
    assert uploader.run_once(clock.now()).sent == 1  # uploaded while staff had not answered
    assert [v["decision"] for v in fresh_sim.state.stored_visits()] == ["manual"]
    clock.advance(30.0)
    resolve_manual(db, visit_id, admitted=True, at=clock.now())
    visit = get_visit(db, visit_id)
    assert visit is not None and visit.upstream_state is UpstreamState.PENDING  # owed again
    assert uploader.run_once(clock.now()).sent == 1
    (kept,) = fresh_sim.state.stored_visits()
    assert (kept["id"], kept["decision"], kept["verified_by"]) == (visit_id, "admit", "staff")
    assert fresh_sim.state.counters().amended == 1
    visit = get_visit(db, visit_id)
    assert visit is not None and visit.upstream_state is UpstreamState.CONFIRMED


def test_idempotency_key_depends_on_the_records_only() -> None:
    a, b, c = ({"id": x, "decision": "manual"} for x in "abc")
    assert idempotency_key([b, a, c]) == idempotency_key([c, b, a])
    assert idempotency_key([a, b]) != idempotency_key([a, b, c])
    # The same visit amended (a staff answer after the upload) is a new batch, not a replay.
    assert idempotency_key([{**a, "decision": "admit"}]) != idempotency_key([a])


def test_idempotency_key_digests_the_records_json_lines() -> None:
    # The key upstream sees for a batch stays what it was: the sorted json.dumps lines.
    records = [
        {"id": "b", "scanned_at": 1_780_311_600.25, "kind": "dcc", "uci_hash": None, "n": 3},
        {"id": "a", "decision": "admit", "kiosk_id": "Kiosk ä \u2028 \"quoted\"", "at": -0.0},
    ]
    lines = sorted(json.dumps(r, sort_keys=True, separators=(",", ":")) for r in records)
    expected = "vb-" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:40]
    assert idempotency_key(records) == expected


def test_settings_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        UploaderSettings(batch_size=0)
    with pytest.raises(ValueError):
        UploaderSettings(backoff_base_s=10, backoff_max_s=1)


def test_thread_uploads_and_stops(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = SystemClock()
    add_visits(db, ManualClock(time.time()), 3, random.Random(14))
    uploader = Uploader(
        db, client, clock, random.Random(15), UploaderSettings(batch_size=10, poll_interval_s=0.05)
    )
    thread = UploaderThread(uploader, clock)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while outbox.pending_count(db) and time.monotonic() < deadline:
            time.sleep(0.02)
        thread.wake()
    finally:
        thread.stop()
    assert not thread.alive
    assert outbox.pending_count(db) == 0
    assert stored(fresh_sim) == 3


def test_a_lone_visit_waits_for_company_and_a_full_batch_goes_at_once(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    uploader = make_uploader(db, client, clock, batch_size=3, gather_s=120.0)
    add_visits(db, clock, 1, random.Random(8))
    clock.advance(30)
    assert uploader.run_once(clock.now()).batches == 0  # waits for others to share the batch
    clock.advance(91)
    report = uploader.run_once(clock.now())
    assert (report.batches, report.sent) == (1, 1)  # waited long enough: sent alone
    add_visits(db, clock, 3, random.Random(9))
    report = uploader.run_once(clock.now())
    assert (report.batches, report.sent) == (1, 3)  # a full batch does not wait
    assert stored(fresh_sim) == 4


def test_a_retry_goes_when_its_backoff_ends_without_waiting_for_company_again(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    uploader = make_uploader(
        db, client, clock, batch_size=3, gather_s=120.0, backoff_base_s=2.0, backoff_max_s=4.0
    )
    add_visits(db, clock, 1, random.Random(10))
    clock.advance(121)
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=1))
    failed = uploader.run_once(clock.now())
    assert failed.stopped is StopReason.FAILED and failed.retry_at is not None
    fresh_sim.set_faults(Faults())
    assert uploader.ripe_at(clock.now()) == failed.retry_at  # not retry_at + gather_s
    clock.set_wall(failed.retry_at)
    report = uploader.run_once(clock.now())
    assert (report.batches, report.sent) == (1, 1)
    assert stored(fresh_sim) == 1


def test_the_apps_uploader_gathers_and_kiosk_sync_does_not() -> None:
    from kiosk.config import Config
    from kiosk.upstream.uploader import APP_GATHER_S

    assert UploaderSettings.from_config(Config().uploader).gather_s == APP_GATHER_S > 0
    assert UploaderSettings().gather_s == 0


def test_a_recovery_voids_the_outages_backoff(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = SystemClock()
    add_visits(db, ManualClock(time.time()), 2, random.Random(21))
    breaker_settings = BreakerSettings(failure_threshold=1, probe_base_s=0.05, probe_max_s=0.05)
    breaker = CircuitBreaker(clock, random.Random(22), breaker_settings)
    settings = UploaderSettings(
        batch_size=10, poll_interval_s=60.0, backoff_base_s=600.0, backoff_max_s=600.0
    )
    uploader = Uploader(db, client, clock, random.Random(23), settings, breaker=breaker)
    fresh_sim.set_faults(Faults(error_rate=1.0))
    assert uploader.run_once(clock.now()).stopped is StopReason.FAILED
    hold = outbox.earliest_hold(db, clock.now())
    assert hold is not None and hold.count == 2  # held back by the failure, in seconds to minutes
    fresh_sim.set_faults(Faults())
    thread = UploaderThread(uploader, clock)
    thread.wake_on_recovery(breaker)
    thread.start()
    try:
        time.sleep(0.2)  # the first round found nothing due: the thread now sleeps its 60 s poll
        assert outbox.pending_count(db) == 2
        deadline = time.monotonic() + 3  # upstream's Retry-After (1 s) holds the probe until then
        while not breaker.allow_request() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert breaker.state is BreakerState.HALF_OPEN  # we hold the probe: it succeeds
        assert outbox.pending_count(db) == 2
        breaker.record_success(0.01)
        deadline = time.monotonic() + 5
        while outbox.pending_count(db) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        thread.stop()
    assert outbox.pending_count(db) == 0 and stored(fresh_sim) == 2


def test_a_backlog_drains_in_bigger_batches_while_upstream_answers_fast(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    ids = add_visits(db, clock, 23, random.Random(30))
    uploader = make_uploader(db, client, clock, drain_batch_size=10, fast_s=1.0)
    report = uploader.run_once(clock.now())
    # 2 first (the configured size), then 10, 10 and the last 1: four requests, not twelve.
    assert (report.batches, report.sent, report.stopped) == (4, 23, StopReason.DRAINED)
    assert {v["id"] for v in fresh_sim.state.stored_visits()} == set(ids)


def test_a_slow_upstream_keeps_the_configured_batch_size(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    add_visits(db, clock, 6, random.Random(31))
    fresh_sim.set_faults(Faults(latency_ms=150))
    # Answers slower than fast_s: upstream is not keeping up, so no bigger batches.
    uploader = make_uploader(db, client, clock, drain_batch_size=10, fast_s=0.1)
    report = uploader.run_once(clock.now())
    assert (report.batches, report.sent) == (3, 6)

