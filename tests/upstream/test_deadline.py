"""The client's total deadline covers the whole exchange, not only the body.

A server trickling its status line and headers a byte every 50 ms answers every single
socket read in time, so per-read timeouts never fire; only a deadline enforced on every
socket operation stops it. Real sockets against the simulator's trickle faults.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from kiosk.clock import SystemClock
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient
from kiosk.verify.online import FailureCause, OnlineResult, UpstreamFailure

TIMEOUT_S = 0.4
# Wide on purpose: this bounds a hang (the old code took over 5 s), it does not measure speed.
SLACK_S = 0.25


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with UpstreamClient(fresh_sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock()) as c:
        yield c


def timed_failure(call: Callable[[], object]) -> tuple[UpstreamFailure, float]:
    start = time.monotonic()
    with pytest.raises(UpstreamFailure) as info:
        call()
    return info.value, time.monotonic() - start


@pytest.mark.parametrize("call", ["verify", "health"])
def test_trickled_headers_time_out_within_the_deadline(
    client: UpstreamClient, fresh_sim: Simulator, call: str
) -> None:
    fresh_sim.set_faults(Faults(trickle_headers=True, trickle_interval_ms=50, max_hang_s=10))
    if call == "verify":
        action: Callable[[], object] = lambda: client.verify(  # noqa: E731
            "KP1:dHJpY2tsZQ", scanned_at=time.time(), timeout_s=TIMEOUT_S
        )
    else:
        action = lambda: client.health(timeout_s=TIMEOUT_S)  # noqa: E731
    exc, elapsed = timed_failure(action)
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_trickled_body_times_out_within_the_deadline(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(trickle_body=True, trickle_interval_ms=50, max_hang_s=10))
    exc, elapsed = timed_failure(lambda: client.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_a_fast_trickle_within_the_deadline_still_answers(
    client: UpstreamClient, fresh_sim: Simulator
) -> None:
    # The deadline is total, not "no slow reads": a head that arrives in time is read in full.
    fresh_sim.set_faults(Faults(trickle_headers=True, trickle_interval_ms=1, max_hang_s=10))
    token = fresh_sim.state.issue_token().token
    verdict = client.verify(token, scanned_at=time.time(), timeout_s=5.0)
    assert verdict.result is OnlineResult.VALID


def test_pooled_connection_serves_the_next_call_after_a_deadline(
    client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(trickle_headers=True, max_hang_s=10))
    timed_failure(lambda: client.health(timeout_s=0.2))
    fresh_sim.set_faults(Faults())
    # A new deadline per call: a shrunken socket timeout left by the last call must not leak.
    for _ in range(3):
        assert client.health(timeout_s=TIMEOUT_S) < TIMEOUT_S
