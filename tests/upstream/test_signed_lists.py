"""Upstream's lists are taken only signed by the pinned key; a refused one leaves the old in force.

The real client against the real simulator (which signs every list with its own key) and
a real SQLite file. "Another key" is a kiosk pinned to a key that is not the simulator's:
to the kiosk that is exactly a list signed by someone else.
"""

from __future__ import annotations

import base64
import logging
import random
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.clock import ManualClock, SystemClock
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.revocations import revocation_count, revocations_cursor
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import TrustUpdate, UpstreamClient
from kiosk.upstream.issuer_sync import sync_issuers
from kiosk.upstream.list_signature import ListSignatureError, public_key_text, sign_list
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, MaintenanceSettings, Outcome
from kiosk.upstream.revocation_sync import sync_revocations
from kiosk.upstream.trust_sync import sync_trust_list, sync_trust_list_if_changed
from tests.upstream.support import pinned, scripted_server, send_json

START = 1_790_000_000.0
TIMEOUT_S = 1.0
FAST = MaintenanceSettings(request_timeout_s=TIMEOUT_S, probe_timeout_s=TIMEOUT_S, burst=20)


def other_key() -> bytes:
    return base64.b64decode(public_key_text(ec.generate_private_key(ec.SECP256R1())))


@pytest.fixture
def good(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with pinned(fresh_sim) as client:
        yield client


@pytest.fixture
def forged(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with pinned(fresh_sim, other_key()) as client:
        yield client


def trust_state(store: TrustStore) -> tuple[frozenset[str], float | None]:
    return store.kid_hexes(), store.last_updated()


def issuer_state(store: IssuerStore) -> tuple[list[tuple[str, int, float]], float | None, str | None]:
    return [(e.issuer, e.keys, e.fetched_at) for e in store.list()], store.last_synced(), store.list_etag()


# --- the DCC signer list ------------------------------------------------------------------


def test_lists_signed_by_the_pinned_key_are_taken(db: Database, good: UpstreamClient) -> None:
    clock = ManualClock(START)
    assert sync_trust_list(good, TrustStore(db, clock), clock, timeout_s=TIMEOUT_S).stored == 2
    assert sync_issuers(good, IssuerStore(db, clock), clock, timeout_s=TIMEOUT_S).stored == 2
    sync_revocations(good, db, clock, timeout_s=TIMEOUT_S)
    assert revocations_cursor(db) is not None


def synced(db: Database, client: UpstreamClient) -> tuple[ManualClock, TrustStore]:
    """A trust list taken from `client`, and the clock an hour later."""
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    sync_trust_list(client, store, clock, timeout_s=TIMEOUT_S)
    clock.advance(3600)
    return clock, store


def test_a_trust_list_signed_by_another_key_is_refused_and_the_old_one_kept(
    db: Database, good: UpstreamClient, forged: UpstreamClient
) -> None:
    clock, store = synced(db, good)
    before = trust_state(store)
    with pytest.raises(ListSignatureError, match="does not verify with \\[trust\\] signing_key"):
        sync_trust_list(forged, store, clock, timeout_s=TIMEOUT_S)
    # The conditional path (what the maintenance thread runs) refuses the same.
    with pytest.raises(ListSignatureError):
        sync_trust_list_if_changed(forged, store, clock, etag=None, timeout_s=TIMEOUT_S)
    assert trust_state(store) == before


def test_a_tampered_entry_is_refused_and_the_old_list_kept(
    db: Database, good: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock, store = synced(db, good)
    before = trust_state(store)
    answer = requests.post(fresh_sim.url + "/_sim/trust/tampered", timeout=TIMEOUT_S)
    injected = base64.b64decode(answer.json()["kid"])
    with pytest.raises(ListSignatureError, match="trust list refused"):
        sync_trust_list(good, store, clock, timeout_s=TIMEOUT_S)
    assert trust_state(store) == before
    assert store.signers_for(injected) == []


def test_an_entry_the_signed_status_does_not_list_is_not_taken(db: Database, good: UpstreamClient) -> None:
    """Each certificate is signed on its own, so an old, withdrawn one could be replayed with
    its genuine signature: the signed status decides which are current."""
    genuine = good.trust_update(None, timeout_s=TIMEOUT_S)
    assert genuine is not None

    class Replaying:
        def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
            return good.trust_status(timeout_s=timeout_s)[1:]  # the first signer was withdrawn

        def trust_update(self, token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
            return good.trust_update(token, timeout_s=timeout_s)

    clock = ManualClock(START)
    report = sync_trust_list(Replaying(), TrustStore(db, clock), clock, timeout_s=TIMEOUT_S)
    assert report.stored == 1
    assert [(s.kid, s.reason) for s in report.skipped] == [(genuine.kid, "not in upstream's status list")]
    assert TrustStore(db).signers_for(base64.b64decode(genuine.kid)) == []


# --- issuers and revocations ----------------------------------------------------------------


def test_an_issuer_list_signed_by_another_key_is_refused_and_the_old_one_kept(
    db: Database, good: UpstreamClient, forged: UpstreamClient
) -> None:
    clock = ManualClock(START)
    issuers = IssuerStore(db, clock)
    sync_issuers(good, issuers, clock, timeout_s=TIMEOUT_S)
    before = issuer_state(issuers)
    clock.advance(3600)
    with pytest.raises(ListSignatureError, match="NZCP/SHC issuer list refused"):
        sync_issuers(forged, issuers, clock, timeout_s=TIMEOUT_S, conditional=True)
    assert issuer_state(issuers) == before


def test_a_revocation_list_signed_by_another_key_is_refused(
    db: Database, good: UpstreamClient, forged: UpstreamClient, fresh_sim: Simulator
) -> None:
    clock = ManualClock(START)
    fresh_sim.state.revoke("URN:UVCI:01:XA:SIGNED1")
    sync_revocations(good, db, clock, timeout_s=TIMEOUT_S)
    before = (revocation_count(db), revocations_cursor(db))
    fresh_sim.state.revoke("URN:UVCI:01:XA:SIGNED2")
    with pytest.raises(ListSignatureError, match="revocation list refused"):
        sync_revocations(forged, db, clock, full=True, timeout_s=TIMEOUT_S)
    assert (revocation_count(db), revocations_cursor(db)) == before == (1, before[1])


# --- unsigned answers, and no key at all ------------------------------------------------------


def test_an_unsigned_answer_is_refused_when_a_key_is_pinned() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    body = b'["AAAAAAAAAAA="]'

    def status(handler: BaseHTTPRequestHandler, signature: str | None) -> None:
        headers = {} if signature is None else {"X_SIGNATURE": signature}
        send_json(handler, 200, body, **headers)

    der = base64.b64decode(public_key_text(key))
    for signature, taken in ((None, False), ("bm90IGEgc2lnbmF0dXJl", False), (sign_list(key, body), True)):
        with scripted_server(lambda h, s=signature: status(h, s)) as server, UpstreamClient(
            server.url, "k", clock=SystemClock(), list_key=der
        ) as client:
            if taken:
                assert client.trust_status(timeout_s=TIMEOUT_S) == ["AAAAAAAAAAA="]
            else:
                with pytest.raises(ListSignatureError, match=r"unsigned|does not verify"):
                    client.trust_status(timeout_s=TIMEOUT_S)


def test_without_a_key_no_list_is_asked_of_an_upstream_elsewhere() -> None:
    # No network is involved: a request would have failed on the name (.invalid) instead.
    with UpstreamClient("https://upstream.invalid", "k", clock=SystemClock()) as client:
        for ask in (
            lambda: client.trust_status(timeout_s=TIMEOUT_S),
            lambda: client.trust_update(None, timeout_s=TIMEOUT_S),
            lambda: client.trust_issuers(timeout_s=TIMEOUT_S),
            lambda: client.revocations(None, timeout_s=TIMEOUT_S),
        ):
            with pytest.raises(ListSignatureError, match="set \\[trust\\] signing_key"):
                ask()


def test_plain_http_to_another_computer_is_refused_by_the_client() -> None:
    with pytest.raises(ValueError, match="https"):
        UpstreamClient("http://upstream.example", "k", clock=SystemClock())


# --- the maintenance thread: a log line, a note for doctor and the status bar --------------------


def test_maintenance_notes_a_refusal_until_the_list_is_taken_again(
    db: Database, forged: UpstreamClient, good: UpstreamClient, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(START)
    store = TrustStore(db, clock)
    with caplog.at_level(logging.WARNING, logger="kiosk.upstream.maintenance"):
        report = Maintenance(db, forged, clock, random.Random(1), FAST).run_due(START)
    for job in (Job.TRUST, Job.ISSUERS, Job.REVOCATIONS):
        assert report.job(job).outcome is Outcome.FAILED
        assert report.job(job).cause == "trust.signature_refused"
    assert "trust list refused" in caplog.text and "previous list stays in force" in caplog.text
    assert {r.job for r in store.refusals()} == {"trust", "issuers", "revocations"}
    assert len(store) == 0

    clock.advance(7200)
    later = Maintenance(db, good, clock, random.Random(1), FAST).run_due(clock.now())
    assert later.job(Job.TRUST).outcome is Outcome.RAN
    assert store.refusals() == []
    assert len(store) == 2
