"""Trust-list sync (DGCA protocol) from the real simulator into a real SQLite trust store."""

from __future__ import annotations

import base64

import pytest

from kiosk.clock import ManualClock
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import compute_kid
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import TrustUpdate, UpstreamClient
from kiosk.upstream.trust_sync import TrustSyncError, sync_trust_list
from kiosk.verify.online import FailureCause, UpstreamFailure

START = 1_790_000_000.0
TIMEOUT_S = 1.0


def new_signer_der(now: float) -> bytes:
    _, der = make_signer("ES256", "XB", "Extra DSC", None, now - 86400, now + 86400 * 365)
    return der


def test_sync_stores_the_published_list(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    report = sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    assert (report.stored, report.listed, report.skipped, report.missing_kids) == (2, 2, (), ())
    assert report.fetched_at == START and report.previous_age_s is None
    assert store.last_updated() == START
    for signer in fresh_sim.state.signers:
        [found] = store.signers_for(signer.kid)
        assert found.der == signer.der


def test_malformed_certificate_is_skipped_and_reported(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    junk = fresh_sim.state.add_malformed_cert()
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    report = sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    assert report.stored == 2
    assert [s.kid for s in report.skipped] == [base64.b64encode(junk.kid).decode()]
    assert report.skipped[0].reason == "not a certificate"
    assert len(store) == 2


def test_second_sync_replaces_and_reports_age(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    extra = new_signer_der(START)
    fresh_sim.state.add_trust_entry(extra, "XB")
    clock.advance(3600)
    report = sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    assert report.stored == 3
    assert report.previous_age_s == 3600
    assert store.last_updated() == START + 3600
    assert store.signers_for(compute_kid(extra))


class FailHalfWay:
    """The real client; after `after` certificates the simulator starts resetting connections."""

    def __init__(self, client: UpstreamClient, sim: Simulator, after: int) -> None:
        self._client, self._sim, self._left = client, sim, after

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        return self._client.trust_status(timeout_s=timeout_s)

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        if self._left == 0:
            self._sim.set_faults(Faults(reset=True))
        self._left -= 1
        return self._client.trust_update(resume_token, timeout_s=timeout_s)


def test_sync_failing_half_way_keeps_the_previous_list(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    before = sorted((e.kid_hex, e.fetched_at) for e in store.list())
    fresh_sim.state.add_trust_entry(new_signer_der(START), "XB")
    clock.advance(60)
    with pytest.raises(UpstreamFailure) as info:
        sync_trust_list(FailHalfWay(client, fresh_sim, after=2), store, clock, timeout_s=TIMEOUT_S)
    assert info.value.cause is FailureCause.RESET
    assert sorted((e.kid_hex, e.fetched_at) for e in store.list()) == before
    assert store.last_updated() == START


def test_status_failure_changes_nothing(db: Database, client: UpstreamClient, fresh_sim: Simulator) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    fresh_sim.set_faults(Faults(garbage="html"))
    with pytest.raises(UpstreamFailure) as info:
        sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    assert info.value.cause is FailureCause.BAD_BODY
    assert len(store) == 2


class Scripted:
    """A trust source serving a fixed update stream (no HTTP): for protocol edge cases."""

    def __init__(self, kids: list[str], updates: list[TrustUpdate]) -> None:
        self._kids, self._updates = kids, updates

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        return list(self._kids)

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        index = 0 if resume_token is None else int(resume_token)
        return self._updates[index] if index < len(self._updates) else None


def test_only_malformed_certificates_keep_the_previous_list(db: Database, client: UpstreamClient) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    broken = Scripted(["AAAAAAAAAAA="], [TrustUpdate("AAAAAAAAAAA=", "bm90IGEgY2VydA==", "1")])
    with pytest.raises(TrustSyncError):
        sync_trust_list(broken, store, clock)
    assert len(store) == 2


def test_a_resume_token_that_does_not_advance_is_an_error(db: Database) -> None:
    der = new_signer_der(START)
    kid = base64.b64encode(compute_kid(der)).decode()
    looping = Scripted([kid], [TrustUpdate(kid, base64.b64encode(der).decode(), "0")])
    with pytest.raises(TrustSyncError):
        sync_trust_list(looping, TrustStore(db, ManualClock(START)), ManualClock(START))


def test_missing_kids_are_reported(db: Database) -> None:
    der = new_signer_der(START)
    kid = base64.b64encode(compute_kid(der)).decode()
    source = Scripted([kid, "ZZZZZZZZZZZ="], [TrustUpdate(kid, base64.b64encode(der).decode(), "1")])
    report = sync_trust_list(source, TrustStore(db, ManualClock(START)), ManualClock(START))
    assert report.stored == 1
    assert report.missing_kids == ("ZZZZZZZZZZZ=",)
