"""An unchanged NZCP/SHC issuer list costs one bodiless 304: ETag / If-None-Match.

The real client against the real simulator and a real SQLite file; a thin wrapper
counts the issuer requests that go out and the 304s that come back.
"""

from __future__ import annotations

import random
from collections import Counter

from kiosk.clock import ManualClock
from kiosk.passes.shc import check_shc
from kiosk.simulator.foreign import NZCP_ISSUER, SHC_ISSUER, UNUSABLE_ISSUER
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.upstream.client import IssuerList, UpstreamClient
from kiosk.upstream.issuer_sync import IssuerSyncReport, sync_issuers
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome, SkipReason
from kiosk.upstream.pacing import PacedSource
from kiosk.upstream.rate_limit import TokenBucket

START = 1_790_000_000.0
TIMEOUT_S = 1.0
HOUR_S = 3600.0
FAST = MaintenanceSettings(request_timeout_s=TIMEOUT_S, probe_timeout_s=TIMEOUT_S,
                           max_requests_per_s=100, burst=100)


class CountingIssuers:
    """The real client's issuer calls, counted (and the 304s among them)."""

    def __init__(self, client: UpstreamClient) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()
        self.sent_etags: list[str | None] = []

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, object]]:
        self.calls["issuers"] += 1
        return self._client.trust_issuers(timeout_s=timeout_s)

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        self.calls["issuers"] += 1
        self.sent_etags.append(etag)
        answer = self._client.trust_issuers_if_changed(etag, timeout_s=timeout_s)
        self.calls["not_modified"] += answer is None
        return answer


def _synced_once(
    db: Database, client: UpstreamClient
) -> tuple[ManualClock, IssuerStore, CountingIssuers, IssuerSyncReport]:
    """A first conditional sync at START, on a clock the test moves on."""
    clock = ManualClock(START)
    store = IssuerStore(db, clock)
    source = CountingIssuers(client)
    return clock, store, source, sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)


def _documents(db: Database) -> dict[str, tuple[str, str]]:
    return {r["issuer"]: (r["document"], r["crls"]) for r in db.query(
        "SELECT issuer, document, crls FROM trust_issuers")}


def test_the_issuer_list_answers_304_to_its_own_etag(client: UpstreamClient, fresh_sim: Simulator) -> None:
    first = client.trust_issuers_if_changed(None, timeout_s=TIMEOUT_S)
    assert first is not None and first.etag
    assert {i["issuer"] for i in first.items} == {NZCP_ISSUER, SHC_ISSUER}
    assert client.trust_issuers_if_changed(first.etag, timeout_s=TIMEOUT_S) is None
    assert client.trust_issuers_if_changed('"stale"', timeout_s=TIMEOUT_S) == first
    assert client.trust_issuers(timeout_s=TIMEOUT_S) == list(first.items)  # the plain call still works
    # Background calls go through the pacing wrapper, which passes the condition on.
    clock = ManualClock(START)
    paced = PacedSource(client, TokenBucket(clock, rate_per_s=1.0, burst=2), clock)
    assert paced.trust_issuers_if_changed(first.etag, timeout_s=TIMEOUT_S) is None
    fresh_sim.state.foreign.issue_shc({"revoked": True})  # a new revocation list: a new body
    changed = client.trust_issuers_if_changed(first.etag, timeout_s=TIMEOUT_S)
    assert changed is not None and changed.etag not in (None, first.etag)


def test_an_unchanged_list_is_a_304_that_refreshes_the_stored_entries(
    db: Database, client: UpstreamClient
) -> None:
    clock, store, source, first = _synced_once(db, client)
    assert (first.stored, first.unchanged) == (2, False) and store.list_etag()
    documents = _documents(db)

    clock.advance(HOUR_S)
    source.calls.clear()
    again = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert source.calls == Counter(issuers=1, not_modified=1)
    assert again.unchanged and again.stored == 2 and "unchanged" in again.summary()
    assert _documents(db) == documents  # nothing rewritten
    assert store.last_synced() == START + HOUR_S  # as fresh as a download
    assert {(e.fetched_at, e.age_seconds) for e in store.list()} == {(START + HOUR_S, 0.0)}


def test_a_changed_list_is_downloaded_again(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, store, source, _ = _synced_once(db, client)
    old_etag = store.list_etag()
    card = fresh_sim.state.foreign.issue_shc({"revoked": True})["passes"][0]
    assert check_shc(card, store, clock.now()).revoked is False

    clock.advance(HOUR_S)
    source.calls.clear()
    report = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert source.sent_etags[-1] == old_etag and source.calls == Counter(issuers=1)  # a 200, not a 304
    assert (report.stored, report.unchanged) == (2, False)
    assert check_shc(card, store, clock.now()).revoked is True
    assert store.list_etag() not in (None, old_etag)


def test_a_partly_unusable_answer_keeps_no_etag(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, store, source, _ = _synced_once(db, client)
    assert store.list_etag() is not None

    fresh_sim.state.foreign.publish_unusable()
    partial = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert partial.stored == 2 and [name for name, _ in partial.skipped] == [UNUSABLE_ISSUER]
    # Neither the old ETag (it no longer describes the stored rows) nor the new one (it would
    # make every later sync a 304 that never looks at the skipped entry again).
    assert store.list_etag() is None

    source.calls.clear()
    again = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert source.sent_etags[-1] is None and source.calls == Counter(issuers=1)  # downloaded again
    assert len(again.skipped) == 1

    fresh_sim.state.foreign.publish_unusable(False)  # upstream fixed its mirror
    fixed = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert (fixed.stored, fixed.skipped) == (2, ()) and store.list_etag() is not None
    assert sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True).unchanged


def test_an_owner_change_to_the_issuers_drops_the_etag(db: Database, client: UpstreamClient) -> None:
    clock, store, source, _ = _synced_once(db, client)
    assert store.remove(NZCP_ISSUER) == 1
    assert store.list_etag() is None
    # As before conditional sync: the next sync brings upstream's issuer back.
    report = sync_issuers(source, store, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert not report.unchanged and {e.issuer for e in store.list()} == {NZCP_ISSUER, SHC_ISSUER}


def test_maintenance_syncs_the_issuers_conditionally_across_a_restart(
    db: Database, client: UpstreamClient
) -> None:
    clock = ManualClock(START)
    Maintenance(db, client, clock, random.Random(1), FAST).run_due(clock.now())
    documents = _documents(db)
    clock.advance(2 * HOUR_S)
    restarted = Maintenance(db, client, clock, random.Random(2), FAST)  # the ETag is in the data file
    issuers = restarted.run_due(clock.now()).job(Job.ISSUERS)
    assert issuers.outcome is Outcome.RAN
    assert issuers.detail is not None and issuers.detail.unchanged  # type: ignore[union-attr]
    assert _documents(db) == documents
    assert IssuerStore(db, clock).last_synced() == START + 2 * HOUR_S


def test_without_conditional_sync_maintenance_downloads_the_whole_list(
    db: Database, client: UpstreamClient
) -> None:
    clock = ManualClock(START)
    plain = MaintenanceSettings(request_timeout_s=TIMEOUT_S, probe_timeout_s=TIMEOUT_S,
                                max_requests_per_s=100, burst=100, conditional_sync=False)
    maintenance = Maintenance(db, client, clock, random.Random(1), plain)
    maintenance.run_due(clock.now())
    clock.advance(2 * HOUR_S)
    issuers = maintenance.run_due(clock.now()).job(Job.ISSUERS)
    assert issuers.detail is not None and not issuers.detail.unchanged  # type: ignore[union-attr]
    assert IssuerStore(db, clock).list_etag() is None


def test_an_empty_issuer_list_still_counts_as_synced(db: Database, client: UpstreamClient) -> None:
    clock = ManualClock(START)
    store = IssuerStore(db, clock)
    assert store.last_synced() is None
    store.mark_synced(START - 600)  # upstream listed no issuer ten minutes ago
    assert store.last_synced() == START - 600 and store.list() == []
    # A restart does not sync the issuers at once: the list is in force until its time.
    issuers = Maintenance(db, client, clock, random.Random(1), FAST).run_due(clock.now()).job(Job.ISSUERS)
    assert issuers.skip_reason is SkipReason.NOT_DUE
    assert issuers.next_due_at is not None and issuers.next_due_at >= START - 600 + 0.9 * HOUR_S


def test_the_etag_is_kept_under_its_own_key(db: Database) -> None:
    store = IssuerStore(db, ManualClock(START))
    store.set_list_etag('"abc"')
    assert store.list_etag() == '"abc"'
    keys = {r["key"]: r["value"] for r in db.query("SELECT key, value FROM meta")}
    assert keys.get("trust_issuers_etag") == '"abc"' and "trust_status_etag" not in keys
    store.set_list_etag(None)
    assert store.list_etag() is None
