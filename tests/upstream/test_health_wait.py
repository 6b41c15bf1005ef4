"""The health-wait extension over real sockets: an upstream that is down says when to look
again on `/v1/health`, and the breaker's next probe honours it (docs/upstream-api.md)."""

from __future__ import annotations

import random

from kiosk.clock import ManualClock
from kiosk.config import BreakerSettings
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import MaintenanceSettings
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.online import FailureCause

START = 1_790_000_000.0
FAST = MaintenanceSettings(request_timeout_s=0.5, probe_timeout_s=0.5, burst=20)


def probe_once(db: Database, client: UpstreamClient, clock: ManualClock) -> CircuitBreaker:
    """Open a breaker (3 failures: its first backoff is at most 1 s), then let maintenance probe."""
    breaker = CircuitBreaker(clock, random.Random(7), BreakerSettings())
    for _ in range(3):
        breaker.record_failure(FailureCause.TIMEOUT)
    clock.advance(1.0)
    report = Maintenance(db, client, clock, random.Random(1), FAST, breaker=breaker).run_due(clock.now())
    assert report.probed and breaker.state is BreakerState.OPEN
    return breaker


def test_a_down_upstream_that_says_when_spares_the_probes_until_then(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    # The service hangs; its front door answers health at once with a Retry-After.
    fresh_sim.set_faults(Faults(hang=True, max_hang_s=5.0, health_retry_after_s=300))
    clock = ManualClock(START)
    breaker = probe_once(db, client, clock)
    wait = breaker.snapshot().next_probe_in_s
    assert wait is not None and 299.0 <= wait <= 300.0
    clock.advance(wait - 1.0)
    assert not breaker.may_call()
    clock.advance(1.0)
    assert breaker.may_call()


def test_a_wait_beyond_ten_minutes_is_cut_to_ten(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(health_retry_after_s=7200))
    clock = ManualClock(START)
    breaker = probe_once(db, client, clock)
    wait = breaker.snapshot().next_probe_in_s
    assert wait is not None and 599.0 <= wait <= 600.0


def test_without_the_extension_a_failed_probe_backs_off_on_its_own(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(error_rate=1.0, paths=("/v1/health",)))
    clock = ManualClock(START)
    breaker = probe_once(db, client, clock)
    # The simulator's plain 503 carries Retry-After: 1 (its default); the backoff's second
    # ceiling is 2 s. Either way, nothing like the front door's five minutes.
    wait = breaker.snapshot().next_probe_in_s
    assert wait is not None and wait <= 2.0
