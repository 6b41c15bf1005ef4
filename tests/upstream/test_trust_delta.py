"""The trust-list delta extension: a changed list costs one request that brings only the new
signers (after the stored resume token) and drops the withdrawn ones; an upstream without the
extension is synced with the DGCA update stream as before.

The real client against the real simulator and a real SQLite file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from kiosk.clock import ManualClock
from kiosk.passes.issue import make_signer
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome
from kiosk.upstream.trust_sync import SyncReport
from tests.upstream.support import Counting, pinned

START = 1_790_000_000.0
SETTINGS = MaintenanceSettings(request_timeout_s=2.0, probe_timeout_s=2.0, burst=50, jitter=0.0)


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with pinned(fresh_sim) as c:
        yield c


def _publish(sim: Simulator, n: int) -> list[bytes]:
    kids = []
    for i in range(n):
        _, der = make_signer("ES256", "XB", f"New signer {i}", None, START - 86400, START + 86400 * 365)
        kids.append(sim.state.add_trust_entry(der, "XB").kid)
    return kids


def _trust_round(maintenance: Maintenance, clock: ManualClock) -> SyncReport:
    maintenance.run_soon(Job.TRUST)
    report = maintenance.run_due(clock.now()).job(Job.TRUST)
    assert report.outcome is Outcome.RAN, report
    assert isinstance(report.detail, SyncReport)
    return report.detail


def test_a_changed_list_costs_one_request_with_only_the_new_signers(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    counting = Counting(client)
    maintenance = Maintenance(db, counting, clock, random.Random(1), SETTINGS)
    store = TrustStore(db, clock)
    first = _trust_round(maintenance, clock)  # no token yet: the whole list in one answer
    assert counting.calls["trust_delta"] == 1 and counting.calls["trust_update"] == 0
    assert first.stored == len(fresh_sim.state.trust_list()) and store.resume_token() == first.resume_token

    added = _publish(fresh_sim, 5)
    withdrawn = fresh_sim.state.trust_list()[0].kid
    assert fresh_sim.state.withdraw_trust_entry(withdrawn) == 1
    clock.advance(60)
    second = _trust_round(maintenance, clock)
    assert counting.calls["trust_delta"] == 2 and counting.calls["trust_update"] == 0
    published = {e.kid.hex() for e in fresh_sim.state.trust_list()}
    assert store.kid_hexes() == published
    assert {k.hex() for k in added} <= store.kid_hexes() and withdrawn.hex() not in store.kid_hexes()
    assert int(second.resume_token or 0) > int(first.resume_token or 0)

    clock.advance(60)
    third = _trust_round(maintenance, clock)  # nothing changed: a bodiless 304
    assert third.unchanged and counting.calls["trust_delta"] == 3


def test_the_delta_answer_is_signed_and_carries_each_certificates_signature(
    client: UpstreamClient, fresh_sim: Simulator
) -> None:
    delta = client.trust_delta(None, None, timeout_s=2.0)
    assert delta is not None and len(delta.certificates) == len(delta.kids) > 0
    fresh_sim.state.add_tampered_entry()  # a certificate swapped in under another's signature
    with pytest.raises(Exception, match="signature"):
        client.trust_delta(delta.token, None, timeout_s=2.0)


def test_an_upstream_without_the_delta_is_synced_with_the_update_stream(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.state.extensions = frozenset()
    clock = ManualClock(START)
    counting = Counting(client)
    maintenance = Maintenance(db, counting, clock, random.Random(1), SETTINGS)
    report = _trust_round(maintenance, clock)
    listed = len(fresh_sim.state.trust_list())
    assert report.stored == listed
    assert counting.calls["trust_delta"] == 1 and counting.calls["trust_update"] == listed + 1
    clock.advance(60)
    _trust_round(maintenance, clock)
    assert counting.calls["trust_delta"] == 1  # asked once, then never again
