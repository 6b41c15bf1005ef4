from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.backoff import (
    MAX_RETRY_AFTER_S,
    backoff_ceiling,
    equal_jitter_delay,
    full_jitter_delay,
    retry_after_seconds,
)

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (5, 16.0), (6, 30.0), (10, 30.0), (10_000, 30.0)],
)
def test_ceiling_doubles_then_caps(attempt: int, expected: float) -> None:
    assert backoff_ceiling(attempt, 0.5, 30.0) == expected


def test_negative_attempt_is_a_bug() -> None:
    with pytest.raises(ValueError):
        full_jitter_delay(-1, 1.0, 10.0, random.Random(1))


@given(attempt=st.integers(0, 200), seed=st.integers(0, 2**32))
def test_jitter_stays_within_the_ceiling(attempt: int, seed: int) -> None:
    delay = full_jitter_delay(attempt, 0.25, 60.0, random.Random(seed))
    assert 0.0 <= delay <= backoff_ceiling(attempt, 0.25, 60.0)


def test_jitter_spreads_over_the_whole_window() -> None:
    rng = random.Random(42)
    draws = [full_jitter_delay(4, 1.0, 100.0, rng) for _ in range(2000)]
    # Full jitter: the draws cover [0, 16] roughly uniformly, not clustered at the ceiling.
    assert min(draws) < 1.0
    assert max(draws) > 15.0
    assert 7.0 < sum(draws) / len(draws) < 9.0


def test_equal_jitter_spreads_over_the_upper_half_of_the_window() -> None:
    rng = random.Random(42)
    draws = [equal_jitter_delay(4, 1.0, 100.0, rng) for _ in range(2000)]
    # No draw below half the ceiling (16), the top still reached, the mean at 3/4 of it.
    assert 8.0 <= min(draws) < 8.5
    assert max(draws) > 15.5
    assert 11.5 < sum(draws) / len(draws) < 12.5
    assert equal_jitter_delay(10_000, 1.0, 100.0, rng) >= 50.0  # capped like full jitter


def test_same_seed_same_delays() -> None:
    a = [full_jitter_delay(i, 1.0, 30.0, random.Random(7)) for i in range(8)]
    b = [full_jitter_delay(i, 1.0, 30.0, random.Random(7)) for i in range(8)]
    assert a == b


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("999999", MAX_RETRY_AFTER_S),
        ("soon", None),
        ("nan", None),
        ("inf", MAX_RETRY_AFTER_S),
    ],
)
def test_delta_seconds(header: str | None, expected: float | None) -> None:
    assert retry_after_seconds(header, NOW) == expected


def test_http_date_in_the_future() -> None:
    when = datetime.fromtimestamp(NOW + 90, tz=UTC)
    assert retry_after_seconds(format_datetime(when, usegmt=True), NOW) == pytest.approx(90.0)


def test_http_date_rfc_example_form() -> None:
    # The literal example from RFC 9110, against a "now" one minute before it.
    now = datetime(2015, 10, 21, 7, 27, tzinfo=UTC).timestamp()
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now) == pytest.approx(60.0)


def test_http_date_in_the_past_means_now() -> None:
    when = datetime.fromtimestamp(NOW - 3000, tz=UTC)
    assert retry_after_seconds(format_datetime(when, usegmt=True), NOW) == 0.0


def test_http_date_far_future_is_clamped() -> None:
    when = datetime.fromtimestamp(NOW + 86_400 * 30, tz=UTC)
    assert retry_after_seconds(format_datetime(when, usegmt=True), NOW) == MAX_RETRY_AFTER_S


@given(st.text(max_size=60))
def test_any_header_text_never_raises(text: str) -> None:
    result = retry_after_seconds(text, NOW)
    assert result is None or 0.0 <= result <= MAX_RETRY_AFTER_S
