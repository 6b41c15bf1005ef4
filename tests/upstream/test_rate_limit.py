from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.upstream.rate_limit import TokenBucket


def test_starts_full_and_allows_a_burst() -> None:
    bucket = TokenBucket(ManualClock(), rate_per_s=2.0, burst=5)
    assert [bucket.try_acquire() for _ in range(6)] == [True] * 5 + [False]


def test_refills_at_the_rate() -> None:
    clock = ManualClock()
    bucket = TokenBucket(clock, rate_per_s=2.0, burst=5)
    for _ in range(5):
        assert bucket.try_acquire()
    clock.advance(0.49)
    assert not bucket.try_acquire()
    clock.advance(0.02)
    assert bucket.try_acquire()
    assert not bucket.try_acquire()


def test_never_exceeds_the_burst_after_idle() -> None:
    clock = ManualClock()
    bucket = TokenBucket(clock, rate_per_s=10.0, burst=3)
    clock.advance(3600)
    assert bucket.available() == 3.0
    assert [bucket.try_acquire() for _ in range(4)] == [True, True, True, False]


def test_wait_time_tells_when_tokens_arrive() -> None:
    clock = ManualClock()
    bucket = TokenBucket(clock, rate_per_s=4.0, burst=4)
    assert bucket.wait_time(4) == 0.0
    assert bucket.try_acquire(4)
    assert bucket.wait_time() == pytest.approx(0.25)
    assert bucket.wait_time(2) == pytest.approx(0.5)
    clock.advance(bucket.wait_time(2))
    assert bucket.try_acquire(2)


def test_wait_time_does_not_consume() -> None:
    bucket = TokenBucket(ManualClock(), rate_per_s=1.0, burst=1)
    assert bucket.wait_time() == 0.0
    assert bucket.wait_time() == 0.0
    assert bucket.try_acquire()


def test_long_run_rate_is_respected() -> None:
    clock = ManualClock()
    bucket = TokenBucket(clock, rate_per_s=5.0, burst=10)
    granted = 0
    for _ in range(10_000):  # 100 s of polling every 10 ms
        clock.advance(0.01)
        granted += bucket.try_acquire()
    assert 500 <= granted <= 510  # rate * time, plus the initial burst at most


def test_wall_clock_jump_does_not_refill() -> None:
    clock = ManualClock()
    bucket = TokenBucket(clock, rate_per_s=1.0, burst=1)
    assert bucket.try_acquire()
    clock.set_wall(clock.now() + 86_400)
    assert not bucket.try_acquire()


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (1, 0), (1, 0.5)])
def test_rejects_bad_settings(rate: float, burst: float) -> None:
    with pytest.raises(ValueError):
        TokenBucket(ManualClock(), rate_per_s=rate, burst=burst)


def test_rejects_impossible_requests() -> None:
    bucket = TokenBucket(ManualClock(), rate_per_s=1.0, burst=2)
    with pytest.raises(ValueError):
        bucket.try_acquire(3)
    with pytest.raises(ValueError):
        bucket.wait_time(0)
