"""An unchanged trust list costs one small request: ETag / If-None-Match and the kid comparison.

The real client against the real simulator; a thin wrapper counts the calls that go out.
"""

from __future__ import annotations

import random
from collections import Counter

from kiosk.clock import ManualClock
from kiosk.passes.issue import make_signer
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import IssuerList, RevocationList, TrustStatus, TrustUpdate, UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings
from kiosk.upstream.pacing import PacedSource
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.trust_sync import sync_trust_list_if_changed

START = 1_790_000_000.0
TIMEOUT_S = 1.0


class Counting:
    """The real client; counts each call by endpoint (and 304s)."""

    def __init__(self, client: UpstreamClient) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        self.calls["status"] += 1
        return self._client.trust_status(timeout_s=timeout_s)

    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        self.calls["status"] += 1
        status = self._client.trust_status_if_changed(etag, timeout_s=timeout_s)
        self.calls["not_modified"] += status is None
        return status

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        self.calls["update"] += 1
        return self._client.trust_update(resume_token, timeout_s=timeout_s)

    def health(self, *, timeout_s: float = 1.0) -> float:
        self.calls["health"] += 1
        return self._client.health(timeout_s=timeout_s)

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        self.calls["revocations"] += 1
        return self._client.revocations(since, timeout_s=timeout_s)

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, object]]:
        self.calls["issuers"] += 1
        return self._client.trust_issuers(timeout_s=timeout_s)

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        self.calls["issuers"] += 1
        answer = self._client.trust_issuers_if_changed(etag, timeout_s=timeout_s)
        self.calls["issuers_not_modified"] += answer is None
        return answer


def test_the_status_answers_304_to_its_own_etag(client: UpstreamClient, fresh_sim: Simulator) -> None:
    first = client.trust_status_if_changed(None, timeout_s=TIMEOUT_S)
    assert first is not None and first.etag and len(first.kids) == 2
    assert client.trust_status_if_changed(first.etag, timeout_s=TIMEOUT_S) is None
    assert client.trust_status_if_changed('"stale"', timeout_s=TIMEOUT_S) == first
    _, der = make_signer("ES256", "XB", "Extra DSC", None, START - 86400, START + 86400 * 365)
    fresh_sim.state.add_trust_entry(der, "XB")
    changed = client.trust_status_if_changed(first.etag, timeout_s=TIMEOUT_S)
    assert changed is not None and len(changed.kids) == 3 and changed.etag != first.etag


def test_an_unchanged_list_costs_one_request(db: Database, client: UpstreamClient) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    source = Counting(client)
    first = sync_trust_list_if_changed(source, store, clock, etag=None, timeout_s=TIMEOUT_S)
    assert (first.stored, first.unchanged) == (2, False) and first.etag
    assert source.calls == Counter(status=1, update=3)  # status, two certificates, the 204

    source.calls.clear()
    clock.advance(3600)
    again = sync_trust_list_if_changed(source, store, clock, etag=first.etag, timeout_s=TIMEOUT_S)
    assert again.unchanged and again.etag == first.etag
    assert source.calls == Counter(status=1, not_modified=1)
    assert store.last_updated() == START + 3600  # confirmed current: as fresh as a download

    # After a restart the ETag is gone: the kids are compared and nothing else is fetched.
    source.calls.clear()
    restarted = sync_trust_list_if_changed(source, store, clock, etag=None, timeout_s=TIMEOUT_S)
    assert restarted.unchanged and restarted.etag == first.etag
    assert source.calls == Counter(status=1)


def test_a_changed_list_is_downloaded(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    source = Counting(client)
    first = sync_trust_list_if_changed(source, store, clock, etag=None, timeout_s=TIMEOUT_S)
    _, der = make_signer("ES256", "XB", "Extra DSC", None, START - 86400, START + 86400 * 365)
    fresh_sim.state.add_trust_entry(der, "XB")
    source.calls.clear()
    report = sync_trust_list_if_changed(source, store, clock, etag=first.etag, timeout_s=TIMEOUT_S)
    assert (report.stored, report.unchanged) == (3, False) and report.etag != first.etag
    assert source.calls == Counter(status=1, update=4)  # the status is not asked twice
    assert len(store) == 3


def test_background_requests_are_paced_on_the_clock(client: UpstreamClient) -> None:
    clock = ManualClock(START)
    source = Counting(client)
    paced = PacedSource(source, TokenBucket(clock, rate_per_s=1.0, burst=2), clock)
    for _ in range(5):
        paced.health(timeout_s=TIMEOUT_S)
    assert source.calls["health"] == 5
    # Two from the burst, then one a second: the background never bursts past its budget.
    assert clock.monotonic() == 3.0


def test_maintenance_keeps_the_etag_between_rounds(db: Database, client: UpstreamClient) -> None:
    clock = ManualClock(START)
    source = Counting(client)
    settings = MaintenanceSettings(request_timeout_s=TIMEOUT_S, burst=10)
    maintenance = Maintenance(db, source, clock, random.Random(3), settings)
    assert Job.TRUST in maintenance.run_due().ran
    source.calls.clear()
    clock.advance(2 * 3600)
    report = maintenance.run_due()
    assert Job.TRUST in report.ran and Job.REVOCATIONS in report.ran and Job.ISSUERS in report.ran
    assert source.calls == Counter(status=1, not_modified=1, revocations=1, issuers=1, issuers_not_modified=1)


def test_a_restarted_kiosk_still_gets_a_304(db: Database, client: UpstreamClient) -> None:
    clock = ManualClock(START)
    settings = MaintenanceSettings(request_timeout_s=TIMEOUT_S, burst=10)
    Maintenance(db, Counting(client), clock, random.Random(3), settings).run_due()
    clock.advance(2 * 3600)
    source = Counting(client)
    restarted = Maintenance(db, source, clock, random.Random(4), settings)  # the ETag is in the data file
    assert Job.TRUST in restarted.run_due().ran
    assert source.calls["status"] == source.calls["not_modified"] == 1
