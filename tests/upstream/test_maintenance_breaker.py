"""Maintenance's failures count against the kiosk's one breaker, as the verdict path's and
the uploader's do: real simulator or a scripted server on 127.0.0.1, a real SQLite file."""

from __future__ import annotations

import random
from http.server import BaseHTTPRequestHandler

from kiosk.clock import ManualClock, SystemClock
from kiosk.config import BreakerSettings
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome, SkipReason
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from tests.upstream.support import START, scripted_server, send_json

SETTINGS = MaintenanceSettings(request_timeout_s=0.5, probe_timeout_s=0.5, burst=20)


def breaker(clock: ManualClock) -> CircuitBreaker:
    return CircuitBreaker(clock, random.Random(2), BreakerSettings(failure_threshold=1))


def test_failing_polls_open_the_breaker_and_the_rest_of_the_round_waits(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    gate = breaker(clock)
    fresh_sim.set_faults(Faults(error_rate=1.0))  # 500s without a Retry-After
    report = Maintenance(db, client, clock, random.Random(1), SETTINGS, breaker=gate).run_due()
    assert gate.state is BreakerState.OPEN  # the failed trust poll counted
    assert report.job(Job.TRUST).outcome is Outcome.FAILED
    for job in (Job.ISSUERS, Job.REVOCATIONS):  # not sent at all
        assert report.job(job).skip_reason is SkipReason.BREAKER_OPEN


def answer_401(handler: BaseHTTPRequestHandler) -> None:
    send_json(handler, 401, b'{"error":"unknown key"}')


def test_an_answer_about_the_request_itself_does_not_count_against_upstream(db: Database) -> None:
    clock = ManualClock(START)
    gate = breaker(clock)
    with (
        scripted_server(answer_401) as server,
        UpstreamClient(server.url, "wrong", connect_timeout_s=0.3, clock=SystemClock()) as client,
    ):
        report = Maintenance(db, client, clock, random.Random(1), SETTINGS, breaker=gate).run_due()
        assert server.hits >= 3
    assert set(report.failed) == {Job.TRUST, Job.ISSUERS, Job.REVOCATIONS}
    assert gate.state is BreakerState.CLOSED  # a wrong key is the installer's, not upstream's, trouble
