from __future__ import annotations

import random
import threading
from dataclasses import replace

import pytest

from kiosk.backoff import backoff_ceiling
from kiosk.clock import ManualClock
from kiosk.config import LATENCY_TRIGGER_SHARE, BreakerSettings, Config
from kiosk.decision import Health
from kiosk.verify.breaker import LATENCY_CAUSE, BreakerState, CircuitBreaker
from kiosk.verify.online import FailureCause

SETTINGS = BreakerSettings(
    failure_threshold=3,
    window_size=10,
    min_samples=5,
    p90_threshold_s=1.0,
    probe_base_s=2.0,
    probe_max_s=16.0,
)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[Health, Health, str | None, float]] = []

    def __call__(self, old: Health, new: Health, cause: str | None, at: float) -> None:
        self.events.append((old, new, cause, at))


def make(seed: int = 1, settings: BreakerSettings = SETTINGS) -> tuple[ManualClock, CircuitBreaker, Recorder]:
    clock = ManualClock()
    breaker = CircuitBreaker(clock, random.Random(seed), settings)
    recorder = Recorder()
    breaker.on_transition.append(recorder)
    return clock, breaker, recorder


def fail(breaker: CircuitBreaker, n: int, cause: FailureCause = FailureCause.SERVER_ERROR) -> None:
    for _ in range(n):
        breaker.record_failure(cause)


def advance_to_probe(clock: ManualClock, breaker: CircuitBreaker) -> None:
    wait = breaker.snapshot().next_probe_in_s
    assert wait is not None
    clock.advance(wait)


def on_probation_after_four_failed_probes() -> tuple[ManualClock, CircuitBreaker]:
    """Opened, four failed probes (the backoff exponent is 4), then a probe that succeeded."""
    clock, breaker, _ = make()
    fail(breaker, 3)
    for _ in range(4):
        advance_to_probe(clock, breaker)
        assert breaker.allow_request()
        breaker.record_failure(FailureCause.TIMEOUT)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_success(0.1)
    return clock, breaker


def test_starts_closed_and_online() -> None:
    _, breaker, recorder = make()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.health is Health.ONLINE
    assert breaker.allow_request()
    assert recorder.events == []


def test_opens_after_threshold_consecutive_failures() -> None:
    clock, breaker, recorder = make()
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED
    fail(breaker, 1)
    assert breaker.state is BreakerState.OPEN
    assert breaker.health is Health.DEGRADED
    assert not breaker.allow_request()
    assert recorder.events == [(Health.ONLINE, Health.DEGRADED, "5xx", clock.now())]


def test_a_success_resets_the_consecutive_count() -> None:
    _, breaker, _ = make()
    fail(breaker, 2)
    breaker.record_success(0.05)
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().consecutive_failures == 2


@pytest.mark.parametrize("cause", [FailureCause.DNS, FailureCause.REFUSED])
def test_network_level_failure_means_offline(cause: FailureCause) -> None:
    _, breaker, recorder = make()
    fail(breaker, 3, cause)
    assert breaker.health is Health.OFFLINE
    assert recorder.events[-1][:3] == (Health.ONLINE, Health.OFFLINE, cause.value)


def test_health_follows_the_latest_cause_while_open() -> None:
    _, breaker, recorder = make()
    fail(breaker, 3, FailureCause.TIMEOUT)
    assert breaker.health is Health.DEGRADED
    breaker.record_failure(FailureCause.DNS)  # a late failure of an in-flight call
    assert breaker.health is Health.OFFLINE
    assert breaker.state is BreakerState.OPEN
    assert [e[1] for e in recorder.events] == [Health.DEGRADED, Health.OFFLINE]


def test_probe_waits_for_the_jittered_delay() -> None:
    clock, breaker, _ = make(seed=3)
    fail(breaker, 3)
    wait = breaker.snapshot().next_probe_in_s
    assert 0.0 <= wait <= SETTINGS.probe_base_s
    clock.advance(wait * 0.99)
    assert not breaker.allow_request() or wait == 0.0
    clock.advance(wait * 0.02 + 1e-9)
    assert breaker.allow_request()
    assert breaker.state is BreakerState.HALF_OPEN


def test_half_open_allows_exactly_one_probe() -> None:
    clock, breaker, _ = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    assert not breaker.allow_request()
    assert not breaker.allow_request()


def test_half_open_is_exclusive_across_threads() -> None:
    clock, breaker, _ = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    barrier = threading.Barrier(8)
    granted: list[bool] = []
    lock = threading.Lock()

    def contend() -> None:
        barrier.wait()
        ok = breaker.allow_request()
        with lock:
            granted.append(ok)

    threads = [threading.Thread(target=contend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(granted) == [False] * 7 + [True]


def test_probe_success_closes_and_resets() -> None:
    clock, breaker, recorder = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_success(0.1)
    snap = breaker.snapshot()
    assert (snap.state, snap.health, snap.consecutive_failures, snap.open_count) == (
        BreakerState.CLOSED,
        Health.ONLINE,
        0,
        0,
    )
    assert snap.next_probe_at is None
    assert recorder.events[-1][:3] == (Health.DEGRADED, Health.ONLINE, None)
    clock.advance(SETTINGS.settle_s)  # past the probation
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED  # the counter really restarted


def test_a_failure_on_probation_reopens_at_once_with_the_backoff_reached() -> None:
    clock, breaker = on_probation_after_four_failed_probes()
    assert breaker.state is BreakerState.CLOSED
    clock.advance(SETTINGS.settle_s / 2)
    breaker.record_failure(FailureCause.TIMEOUT)  # one failure, not failure_threshold
    snap = breaker.snapshot()
    assert snap.state is BreakerState.OPEN and snap.open_count == 5
    assert snap.next_probe_in_s is not None
    # One flap: the probation doubled, still short of its ceiling, so probes keep probe_max_s.
    assert snap.next_probe_in_s <= backoff_ceiling(5, SETTINGS.probe_base_s, SETTINGS.probe_max_s)


def test_probe_failure_reopens_with_growing_backoff() -> None:
    # Over many seeds, the wait after k failed probes lies in the upper half of the ceiling
    # base*2**k (equal jitter) and its mean tracks 3/4 of it.
    waits: dict[int, list[float]] = {0: [], 1: [], 2: [], 3: [], 4: []}
    for seed in range(300):
        clock, breaker, _ = make(seed=seed)
        fail(breaker, 3)
        for k in range(5):
            snap = breaker.snapshot()
            assert snap.open_count == k
            wait = snap.next_probe_in_s
            assert wait is not None
            ceiling = backoff_ceiling(k, SETTINGS.probe_base_s, SETTINGS.probe_max_s)
            assert ceiling / 2 <= wait <= ceiling
            waits[k].append(wait)
            clock.advance(wait)
            assert breaker.allow_request()
            breaker.record_failure(FailureCause.TIMEOUT)
            assert breaker.state is BreakerState.OPEN
    means = [sum(w) / len(w) for w in waits.values()]
    for k, mean in enumerate(means):
        three_quarters = 0.75 * backoff_ceiling(k, SETTINGS.probe_base_s, SETTINGS.probe_max_s)
        assert three_quarters * 0.9 < mean < three_quarters * 1.1


def test_no_transition_event_for_a_failed_probe_with_the_same_health() -> None:
    clock, breaker, recorder = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    breaker.allow_request()
    breaker.record_failure(FailureCause.SERVER_ERROR)
    assert len(recorder.events) == 1


def test_retry_after_delays_the_probe() -> None:
    clock, breaker, _ = make()
    fail(breaker, 2)
    breaker.record_failure(FailureCause.THROTTLED, retry_after_s=120.0)
    snap = breaker.snapshot()
    assert snap.next_probe_at == pytest.approx(clock.now() + 120.0)
    clock.advance(119.9)
    assert not breaker.allow_request()
    clock.advance(0.2)
    assert breaker.allow_request()


def failed_probe(retry_after_s: float) -> tuple[ManualClock, CircuitBreaker]:
    """Opened, then a probe that failed with this Retry-After."""
    clock, breaker, _ = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_failure(FailureCause.SERVER_ERROR, retry_after_s=retry_after_s)
    return clock, breaker


@pytest.mark.parametrize("asked", [600.0, 7200.0])
def test_retry_after_on_a_failed_probe_is_honoured_up_to_ten_minutes(asked: float) -> None:
    clock, breaker = failed_probe(asked)
    assert breaker.snapshot().next_probe_in_s == pytest.approx(600.0)
    clock.advance(599.0)
    assert not breaker.allow_request()
    clock.advance(1.0)
    assert breaker.allow_request()


@pytest.mark.parametrize("garbage", [float("nan"), float("inf"), -30.0, 0.0])
def test_a_retry_after_that_is_no_wait_is_not_honoured(garbage: float) -> None:
    clock, breaker = failed_probe(garbage)
    # The backoff alone decides: the second opening's ceiling is 2 x probe_base_s.
    wait = breaker.snapshot().next_probe_in_s
    assert wait is not None and wait <= 2 * SETTINGS.probe_base_s
    clock.advance(2 * SETTINGS.probe_base_s)
    assert breaker.allow_request()


def test_retry_after_opens_at_once_and_no_probe_comes_before_it() -> None:
    clock, breaker, recorder = make()
    breaker.record_failure(FailureCause.THROTTLED, retry_after_s=5.0)
    # One answer with Retry-After is enough: the screen must show DEGRADED while verdicts are offline.
    assert breaker.state is BreakerState.OPEN
    assert breaker.health is Health.DEGRADED
    assert recorder.events[-1][2] == "429"
    clock.advance(4.9)
    assert not breaker.allow_request()
    clock.advance(0.1 + breaker.settings.probe_max_s)
    assert breaker.allow_request()
    breaker.record_success(0.01)
    assert breaker.health is Health.ONLINE


def test_a_failure_without_retry_after_does_not_open_below_the_threshold() -> None:
    _, breaker, _ = make()
    breaker.record_failure(FailureCause.SERVER_ERROR)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow_request()


def test_opens_on_p90_latency() -> None:
    _, breaker, recorder = make()
    for _ in range(4):
        breaker.record_success(1.5)  # slow, but fewer than min_samples
    assert breaker.state is BreakerState.CLOSED
    breaker.record_success(1.5)
    assert breaker.state is BreakerState.OPEN
    assert breaker.health is Health.DEGRADED
    assert recorder.events[-1][2] == LATENCY_CAUSE


def test_p90_tolerates_a_slow_tail_below_ten_percent() -> None:
    _, breaker, _ = make()
    for _ in range(9):
        breaker.record_success(0.1)
    breaker.record_success(5.0)  # 1 in 10 slow: p90 is still fast
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().p90_latency_s == pytest.approx(0.1)
    breaker.record_success(5.0)  # now 2 of the last 10
    assert breaker.state is BreakerState.OPEN


def test_window_slides() -> None:
    _, breaker, _ = make()
    for _ in range(10):
        breaker.record_success(0.9)
    assert breaker.snapshot().p90_latency_s == pytest.approx(0.9)
    for _ in range(10):
        breaker.record_success(0.2)
    assert breaker.snapshot().p90_latency_s == pytest.approx(0.2)


def test_timeouts_feed_the_latency_window() -> None:
    settings = BreakerSettings(failure_threshold=100, window_size=10, min_samples=5, p90_threshold_s=1.0)
    _, breaker, _ = make(settings=settings)
    for _ in range(4):
        breaker.record_success(0.1)
        breaker.record_failure(FailureCause.TIMEOUT, latency_s=1.2)
    assert breaker.state is BreakerState.OPEN


# The app's own trigger (Config.breaker_settings): no online call outlasts budget - reserve.
APP = Config()
LONGEST_CALL_S = (APP.verify.budget_ms - APP.verify.reserve_ms) / 1000


def test_the_apps_latency_trigger_sits_below_the_longest_online_call() -> None:
    settings = APP.breaker_settings()
    assert settings.p90_threshold_s < LONGEST_CALL_S
    assert settings.p90_threshold_s == pytest.approx(LATENCY_TRIGGER_SHARE * LONGEST_CALL_S)
    # A configured trigger below the cap is kept as it is.
    low = replace(APP, upstream=replace(APP.upstream, p90_threshold_ms=300))
    assert low.breaker_settings().p90_threshold_s == pytest.approx(0.3)


def test_slow_answers_within_the_budget_fire_the_apps_trigger() -> None:
    clock, breaker, recorder = make(settings=APP.breaker_settings())
    for i in range(20):
        clock.advance(1.0)
        breaker.record_success(0.7 if i % 5 == 0 else 0.1)  # 1 in 5 answers takes 0.7 s
        if breaker.state is BreakerState.OPEN:
            break
    assert breaker.state is BreakerState.OPEN and recorder.events[-1][2] == LATENCY_CAUSE
    assert breaker.snapshot().p90_latency_s == pytest.approx(0.7)


def test_timeouts_at_the_longest_call_fire_the_apps_trigger_before_the_failure_count() -> None:
    clock, breaker, _ = make(settings=APP.breaker_settings())
    for _ in range(5):  # never two failures in a row: the failure count alone would not open
        clock.advance(1.0)
        breaker.record_success(0.1)
        breaker.record_failure(FailureCause.TIMEOUT, latency_s=LONGEST_CALL_S)
    assert breaker.state is BreakerState.OPEN


def test_the_path_stays_unsettled_while_open_and_on_probation() -> None:
    clock, breaker, _ = make()
    assert not breaker.unsettled()
    fail(breaker, 3)
    assert breaker.unsettled()
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_success(0.1)
    assert breaker.state is BreakerState.CLOSED and breaker.unsettled()
    clock.advance(SETTINGS.settle_s - 0.1)
    assert breaker.unsettled()
    clock.advance(0.1)
    assert not breaker.unsettled()


def test_recovery_clears_old_latency_samples() -> None:
    clock, breaker, _ = make()
    for _ in range(5):
        breaker.record_success(2.0)
    assert breaker.state is BreakerState.OPEN
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_success(0.1)
    breaker.record_success(0.1)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().p90_latency_s is None


def test_cancelled_probe_frees_the_slot() -> None:
    clock, breaker, _ = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.cancel()
    assert breaker.state is BreakerState.OPEN
    assert breaker.allow_request()


def test_lost_probe_is_released_after_its_lease() -> None:
    clock, breaker, _ = make()
    fail(breaker, 3)
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()  # and its caller never reports back
    clock.advance(SETTINGS.probe_lease_s - 0.1)
    assert not breaker.allow_request()
    clock.advance(0.1)
    assert breaker.allow_request()


def test_late_success_while_open_does_not_close() -> None:
    _, breaker, _ = make()
    fail(breaker, 3)
    breaker.record_success(0.1)
    assert breaker.state is BreakerState.OPEN


def test_snapshot_reports_wall_time_of_the_next_probe() -> None:
    clock, breaker, _ = make()
    clock.set_wall(2_000_000_000.0)
    breaker.record_failure(FailureCause.THROTTLED, retry_after_s=30.0)
    fail(breaker, 2)
    snap = breaker.snapshot()
    assert snap.next_probe_at == pytest.approx(2_000_000_030.0)
    assert snap.last_cause == "5xx"
    assert snap.consecutive_failures == 3


def test_a_failing_listener_does_not_break_the_breaker() -> None:
    _, breaker, recorder = make()

    def broken(*_: object) -> None:
        raise RuntimeError("database is locked")

    breaker.on_transition.insert(0, broken)
    fail(breaker, 3)
    assert breaker.state is BreakerState.OPEN
    assert len(recorder.events) == 1


def test_same_seed_same_schedule() -> None:
    def schedule(seed: int) -> list[float]:
        clock, breaker, _ = make(seed=seed)
        fail(breaker, 3)
        out = []
        for _ in range(6):
            out.append(breaker.snapshot().next_probe_in_s or 0.0)
            advance_to_probe(clock, breaker)
            breaker.allow_request()
            breaker.record_failure(FailureCause.TIMEOUT)
        return out

    assert schedule(11) == schedule(11)
    assert schedule(11) != schedule(12)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"failure_threshold": 0},
        {"window_size": 0},
        {"min_samples": 30, "window_size": 20},
        {"p90_threshold_s": 0},
        {"probe_base_s": 10.0, "probe_max_s": 5.0},
    ],
)
def test_settings_are_validated(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BreakerSettings(**kwargs)  # type: ignore[arg-type]


def test_a_busy_upstream_on_probation_is_waited_for_as_it_asked() -> None:
    _, breaker = on_probation_after_four_failed_probes()
    breaker.record_failure(FailureCause.SERVER_ERROR, retry_after_s=10.0)  # busy, and says when
    snap = breaker.snapshot()
    assert snap.state is BreakerState.OPEN and snap.open_count == 0  # no carried backoff
    assert snap.next_probe_in_s == 10.0


def test_may_call_answers_like_allow_request_without_taking_the_probe() -> None:
    clock, breaker, _ = make()
    assert breaker.may_call()
    fail(breaker, SETTINGS.failure_threshold)
    assert not breaker.may_call()
    advance_to_probe(clock, breaker)
    assert breaker.may_call()
    assert breaker.state is BreakerState.OPEN  # asking took no slot
    assert breaker.allow_request()
    assert not breaker.may_call()  # the single probe is out
    breaker.record_success(0.05)
    assert breaker.may_call()
    breaker.record_failure(FailureCause.THROTTLED, retry_after_s=5.0)
    assert not breaker.may_call()  # a Retry-After holds


def close_by_probe(clock: ManualClock, breaker: CircuitBreaker) -> None:
    advance_to_probe(clock, breaker)
    assert breaker.allow_request()
    breaker.record_success(0.1)
    assert breaker.state is BreakerState.CLOSED


def probation_length(clock: ManualClock, breaker: CircuitBreaker) -> float:
    """Seconds from now until the path settles (to the next whole second; the clock is moved on)."""
    waited = 0.0
    while breaker.unsettled():
        clock.advance(1.0)
        waited += 1.0
    return waited


def test_a_flapping_upstream_lengthens_the_probation_up_to_its_ceiling() -> None:
    settings = replace(SETTINGS, settle_s=10.0, settle_max_s=35.0)
    clock, breaker, _ = make(settings=settings)
    fail(breaker, 3)
    for _ in range(4):
        close_by_probe(clock, breaker)
        clock.advance(1.0)
        breaker.record_failure(FailureCause.TIMEOUT)  # gone again on probation: a flap
        assert breaker.state is BreakerState.OPEN
    close_by_probe(clock, breaker)
    assert probation_length(clock, breaker) == pytest.approx(35.0, abs=1.0)  # 10 -> 20 -> 35 (the ceiling)


def test_a_probation_that_held_gives_the_next_recovery_the_ordinary_one() -> None:
    settings = replace(SETTINGS, settle_s=10.0, settle_max_s=80.0)
    clock, breaker, _ = make(settings=settings)
    fail(breaker, 3)
    close_by_probe(clock, breaker)
    clock.advance(1.0)
    breaker.record_failure(FailureCause.TIMEOUT)
    close_by_probe(clock, breaker)
    assert probation_length(clock, breaker) == pytest.approx(20.0, abs=1.0)  # one flap: twice settle_s
    fail(breaker, 3)  # a new outage after the probation held
    close_by_probe(clock, breaker)
    assert probation_length(clock, breaker) == pytest.approx(10.0, abs=1.0)


def test_the_probation_ceiling_cannot_be_below_the_probation() -> None:
    with pytest.raises(ValueError, match="settle_max_s"):
        BreakerSettings(settle_s=120.0, settle_max_s=60.0)


def test_however_long_upstream_flaps_a_probe_waits_at_most_probe_max_s() -> None:
    # A lost answer now and then also looks like a flap: a longer wait would hold a
    # recovered kiosk's backlog for minutes (the fleet's drain after 5 % lost answers).
    settings = replace(SETTINGS, probe_base_s=1.0, probe_max_s=4.0, settle_s=30.0, settle_max_s=120.0)
    clock, breaker, _ = make(settings=settings)
    fail(breaker, 3)
    for _ in range(10):  # enough opens for the exponent to reach the ceiling
        advance_to_probe(clock, breaker)
        assert breaker.allow_request()
        breaker.record_failure(FailureCause.TIMEOUT)
    for _ in range(5):  # 30 -> 60 -> 120 (the probation's ceiling) and on
        close_by_probe(clock, breaker)
        clock.advance(1.0)
        breaker.record_failure(FailureCause.TIMEOUT)
        wait = breaker.snapshot().next_probe_in_s
        assert wait is not None and 2.0 <= wait <= 4.0


def test_an_upstream_gone_again_three_minutes_after_recovering_reopens_at_the_first_failure() -> None:
    # A 2-minute flap goes down again just after a 120 s probation: each kiosk then timed
    # out three times per down phase and probed from the first backoff step again.
    clock, breaker, _ = make(settings=BreakerSettings())
    fail(breaker, 3)
    close_by_probe(clock, breaker)
    clock.advance(180.0)
    breaker.record_failure(FailureCause.TIMEOUT)
    assert breaker.state is BreakerState.OPEN
