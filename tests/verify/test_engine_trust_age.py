"""The trust list's age in the engine: a signed pass judged offline against no list, or a list
past `[trust] hard_limit_days`, is a staff check, recorded as such (real SQLite trust tables)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.config import RulesConfig
from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from kiosk.store.trust_age import TrustListDates
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import get_visit
from kiosk.verify.engine import EngineSettings, VerificationEngine
from tests.verify.test_engine import DAY, NOW, Signer, _signer, sign, vaccination

LIMIT_S = 30 * DAY


@dataclass
class Entrance:
    engine: VerificationEngine
    db: Database
    trust: TrustStore
    clock: ManualClock


@pytest.fixture(scope="module")
def signer() -> Signer:
    return _signer()


@pytest.fixture
def entrance(tmp_path: Path) -> Iterator[Entrance]:
    db = open_database(tmp_path / "kiosk.db")
    trust = TrustStore(db)
    clock = ManualClock(start=NOW)
    engine = VerificationEngine(
        trust=trust,
        rules=RulesConfig(),
        clock=clock,
        settings=EngineSettings(trust_hard_limit_s=LIMIT_S),
        recorder=StoreRecorder(db, kiosk_id="kiosk-trust-age", rng=random.Random(7)),
        # No issuer documents stored: only the DCC list may judge an EU DCC.
        trust_dates=TrustListDates(trust, IssuerStore(db, clock)),
    )
    yield Entrance(engine, db, trust, clock)
    db.close()


def _outcome(entrance: Entrance, text: str) -> tuple[Verdict, Reason, VerifiedBy]:
    d = entrance.engine.verify(text).decision
    assert d.visit_id is not None
    visit = get_visit(entrance.db, d.visit_id)
    assert visit is not None and (visit.decision, visit.reason) == (d.verdict, d.reason)
    return d.verdict, d.reason, d.verified_by


def test_a_list_exactly_at_the_hard_limit_still_judges_the_pass(entrance: Entrance, signer: Signer) -> None:
    entrance.trust.add(signer.cert, NOW)
    text = sign(vaccination(), signer, expires_at=NOW + 300 * DAY)
    assert _outcome(entrance, text) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE)
    entrance.clock.advance(LIMIT_S)
    assert _outcome(entrance, text) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE)


def test_a_list_past_the_hard_limit_makes_a_signed_pass_a_staff_check(
    entrance: Entrance, signer: Signer
) -> None:
    entrance.trust.add(signer.cert, NOW)
    text = sign(vaccination(), signer, expires_at=NOW + 300 * DAY)
    entrance.clock.advance(LIMIT_S + 1)
    assert _outcome(entrance, text) == (Verdict.MANUAL, Reason.TRUST_LIST_EXPIRED, VerifiedBy.NONE)
    # A fresh list (a sync, or upstream confirming the stored one) judges it again.
    entrance.trust.mark_current(entrance.clock.now())
    assert _outcome(entrance, text) == (Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE)


def test_no_list_at_all_is_a_staff_check_not_an_unknown_signer(entrance: Entrance, signer: Signer) -> None:
    text = sign(vaccination(), signer)
    assert _outcome(entrance, text) == (Verdict.MANUAL, Reason.TRUST_LIST_MISSING, VerifiedBy.NONE)


def test_a_pass_expired_on_its_own_is_denied_whatever_the_list_age(
    entrance: Entrance, signer: Signer
) -> None:
    entrance.trust.add(signer.cert, NOW)
    text = sign(vaccination(), signer, issued_at=NOW - 400 * DAY, expires_at=NOW - DAY)
    entrance.clock.advance(LIMIT_S + 1)
    assert _outcome(entrance, text) == (Verdict.DENY, Reason.EXPIRED, VerifiedBy.OFFLINE)
