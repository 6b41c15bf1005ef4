from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk.clock import ManualClock
from kiosk.errors import StoreError, TrustError
from kiosk.passes.issue import make_signer
from kiosk.passes.model import SignerCert, TrustLookup
from kiosk.passes.signer import load_signer_cert
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore


def make_cert(country: str, name: str, usages: str = "") -> SignerCert:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()
    _, der = make_signer("ES256", country, name, frozenset(usages), start, start + 730 * 86_400)
    return load_signer_cert(der)


@pytest.fixture(scope="module")
def certs() -> list[SignerCert]:
    return [make_cert("AT", "AT DSC 1", "v"), make_cert("DE", "DE DSC 1", "tr"), make_cert("FR", "FR DSC")]


def _same(a: SignerCert, b: SignerCert) -> bool:
    return (a.kid, a.der, a.country, a.subject, a.allowed_types) == (
        b.kid, b.der, b.country, b.subject, b.allowed_types
    )


def test_round_trip_through_the_file(db: Database, certs: list[SignerCert], clock: ManualClock) -> None:
    store = TrustStore(db, clock)
    lookup: TrustLookup = store  # the engine sees only the protocol
    for cert in certs:
        store.add(cert, fetched_at=clock.now())
    reopened = open_database(db.path)
    try:
        fresh = TrustStore(reopened, clock)
        for cert in certs:
            [found] = fresh.signers_for(cert.kid)
            assert [c.der for c in lookup.signers_for(cert.kid)] == [cert.der]
            assert _same(found, cert)
            assert found.public_key.public_numbers() == cert.public_key.public_numbers()
        assert fresh.signers_for(b"\x00" * 8) == []
    finally:
        reopened.close()


def test_list_shows_age_and_key_usage(db: Database, certs: list[SignerCert], clock: ManualClock) -> None:
    store = TrustStore(db, clock)
    t0 = clock.now()
    store.add(certs[0], fetched_at=t0 - 3600)
    store.add(certs[1], fetched_at=t0)
    clock.advance(60)
    entries = store.list()
    assert [(e.country, e.key_usage, e.age_seconds) for e in entries] == [
        ("AT", "v", 3660.0),
        ("DE", "r,t", 60.0),
    ]
    assert entries[0].kid_hex == certs[0].kid.hex()
    assert entries[0].subject == certs[0].subject
    assert store.last_updated() == t0
    assert len(store) == 2


def test_kid_collisions_return_every_candidate(db: Database, certs: list[SignerCert]) -> None:
    store = TrustStore(db)
    colliding = dataclasses.replace(certs[1], kid=certs[0].kid)
    store.add(certs[0], 1.0)
    store.add(colliding, 2.0)
    found = store.signers_for(certs[0].kid)
    assert {c.der for c in found} == {certs[0].der, certs[1].der}
    assert all(c.kid == certs[0].kid for c in found)  # the list's kid is kept, not recomputed
    store.add(certs[0], 3.0)  # re-adding the same certificate does not duplicate it
    assert len(store) == 2


def test_replace_all_swaps_atomically(db: Database, certs: list[SignerCert]) -> None:
    store = TrustStore(db)
    store.add(certs[0], 1.0)
    assert store.signers_for(certs[0].kid)  # warms the cache
    assert store.replace_all(certs[1:], fetched_at=10.0) == 2
    assert store.signers_for(certs[0].kid) == []
    assert {e.kid_hex for e in store.list()} == {c.kid.hex() for c in certs[1:]}
    assert store.last_updated() == 10.0
    assert audit_entries(db)[-1].detail == {"before": 1, "after": 2}


def test_failed_replace_keeps_old_list(db: Database, certs: list[SignerCert]) -> None:
    store = TrustStore(db)
    store.replace_all(certs[:2], fetched_at=1.0)
    broken = dataclasses.replace(certs[2], subject=None)  # violates NOT NULL half-way through
    with pytest.raises(StoreError):
        store.replace_all([certs[2], broken], fetched_at=2.0)
    assert {e.kid_hex for e in store.list()} == {c.kid.hex() for c in certs[:2]}
    with pytest.raises(TrustError):
        store.replace_all([], fetched_at=3.0)
    assert len(store) == 2
    assert store.replace_all([], fetched_at=4.0, allow_empty=True) == 0


def test_unreadable_stored_certificate_is_skipped(db: Database, certs: list[SignerCert]) -> None:
    store = TrustStore(db)
    store.add(certs[0], 1.0)
    store.add(dataclasses.replace(certs[1], kid=certs[0].kid, der=b"\x30\x03\x02\x01\x00"), 1.0)
    assert [c.der for c in store.signers_for(certs[0].kid)] == [certs[0].der]


def test_remove(db: Database, certs: list[SignerCert]) -> None:
    store = TrustStore(db)
    store.add(certs[0], 1.0)
    assert store.remove(certs[0].kid) == 1
    assert store.signers_for(certs[0].kid) == []
    assert store.last_updated() is None
