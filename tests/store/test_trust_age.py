"""The trust list's age as the owner sees it: levels, and the older of the signer and issuer lists."""

from __future__ import annotations

from kiosk.clock import ManualClock
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.trust_age import TrustAge, TrustAgeLevel, trust_lists_updated_at
from kiosk.store.trust_store import TrustStore
from tests.store.test_trust_store import make_cert

START = 1_790_000_000.0
HOUR = 3600.0


def test_levels_follow_the_warn_and_stale_ages() -> None:
    levels = [TrustAge.at(START - h * HOUR, START, 12 * HOUR, 48 * HOUR).level for h in (0, 12, 47, 48)]
    assert levels == [TrustAgeLevel.FRESH, TrustAgeLevel.AGING, TrustAgeLevel.AGING, TrustAgeLevel.STALE]
    assert TrustAge.at(None, START, 1, 2).level is TrustAgeLevel.MISSING
    assert TrustAge.at(START + 50, START, 1, 2).age_s == 0.0  # kiosk clock set back


def test_the_list_is_as_old_as_the_older_of_signers_and_issuers(db: Database, clock: ManualClock) -> None:
    trust, issuers = TrustStore(db, clock), IssuerStore(db, clock)
    issuers.mark_synced(START)
    assert trust_lists_updated_at(trust, issuers) is None  # no signer list: still "missing"
    trust.add(make_cert("XA", "signer"), START + 600)
    assert trust_lists_updated_at(trust, issuers) == START
    issuers.mark_synced(START + 900)
    assert trust_lists_updated_at(trust, issuers) == START + 600
