"""NZ COVID Passes and SMART Health Cards through the engine: offline, against their issuers' keys,
with the rules of their own kind, recorded like any visit."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.clock import ManualClock
from kiosk.config import RulesConfig
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import uci_hash
from kiosk.passes import nzcp_issue, shc_issue
from kiosk.passes.issuers import StaticIssuers, load_did_document, load_jwks
from kiosk.passes.signer import StaticTrust
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from kiosk.store.visits import get_visit
from kiosk.verify.engine import Evaluation, VerificationEngine

NOW = 1_780_000_000.0  # 2026-05-28
DAY = 86_400.0
NZCP_ISS = "did:web:nzcp.example.nz"
SHC_ISS = "https://shc.example.org/issuer"
Key = ec.EllipticCurvePrivateKey


@pytest.fixture(scope="module")
def nzcp_key() -> Key:
    return nzcp_issue.new_key()


@pytest.fixture(scope="module")
def shc_key() -> tuple[Key, str]:
    return shc_issue.new_key()


@pytest.fixture
def issuers(nzcp_key: Key, shc_key: tuple[Key, str]) -> StaticIssuers:
    did = nzcp_issue.did_document(NZCP_ISS, {"key-1": nzcp_key.public_key()})
    key, kid = shc_key
    return StaticIssuers([
        load_did_document(json.dumps(did), NZCP_ISS),
        load_jwks(json.dumps(shc_issue.jwks({kid: key.public_key()})), SHC_ISS),
    ])


class Scanner:
    def __init__(self, path: Path, issuers: StaticIssuers | None) -> None:
        self.db = open_database(path)
        clock = ManualClock(start=NOW)
        self.engine = VerificationEngine(
            trust=StaticTrust(), rules=RulesConfig(), clock=clock, issuers=issuers,
            recorder=StoreRecorder(self.db, kiosk_id="kiosk-foreign", rng=random.Random(3)),
        )

    def verify(self, text: str, at: float | None = None) -> Evaluation:
        return self.engine.verify(text, at=at)


@pytest.fixture
def scanner(tmp_path: Path, issuers: StaticIssuers) -> Iterator[Scanner]:
    made = Scanner(tmp_path / "kiosk.db", issuers)
    yield made
    made.db.close()


def _nzcp(key: Key, exp: float = NOW + DAY) -> str:
    return nzcp_issue.issue_nzcp(key, iss=NZCP_ISS, kid="key-1", nbf=int(NOW - DAY), exp=int(exp),
                                 given_name="Jack", family_name="Sparrow")


def _card(signer: tuple[Key, str], doses: int) -> str:
    key, kid = signer
    first = datetime.fromtimestamp(NOW, UTC) - timedelta(days=60)
    days = [(first + timedelta(days=28 * i)).date().isoformat() for i in range(doses)]
    shots = [shc_issue.immunization("208", day) for day in days]
    claims = shc_issue.card_payload(SHC_ISS, NOW - 30 * DAY, [shc_issue.patient(), *shots])
    [text] = shc_issue.qr_texts(shc_issue.sign_card(claims, key, kid))
    return text


def test_an_nzcp_pass_is_admitted_as_the_pass_itself_and_recorded(scanner: Scanner, nzcp_key: Key) -> None:
    ev = scanner.verify(_nzcp(nzcp_key))
    d = ev.decision
    assert (d.verdict, d.reason, d.verified_by, d.kind) == (
        Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE, PassKind.NZCP
    )
    assert d.holder_masked == "S*****w J." and not ev.online_attempted
    assert ev.dcc is not None and ev.dcc.uci is not None
    assert d.visit_id is not None
    visit = get_visit(scanner.db, d.visit_id)
    assert visit is not None and (visit.kind, visit.uci_hash) == (PassKind.NZCP, uci_hash(ev.dcc.uci))


def test_an_nzcp_pass_is_checked_at_the_scan_time(scanner: Scanner, nzcp_key: Key) -> None:
    text = _nzcp(nzcp_key, exp=NOW + DAY)
    assert scanner.verify(text, at=NOW + DAY - 1).decision.reason is Reason.VALID
    assert scanner.verify(text, at=NOW + DAY).decision.reason is Reason.EXPIRED


@pytest.mark.parametrize(("doses", "reason"), [(2, Reason.VALID), (1, Reason.VACCINATION_INCOMPLETE)])
def test_an_shc_card_meets_the_venues_rules_for_its_kind(
    scanner: Scanner, shc_key: tuple[Key, str], doses: int, reason: Reason
) -> None:
    d = scanner.verify(_card(shc_key, doses)).decision
    assert (d.reason, d.verified_by, d.kind, d.holder_masked) == (
        reason, VerifiedBy.OFFLINE, PassKind.SHC, "A*******n J. B."
    )
    assert scanner.verify(_card(shc_key, doses), at=NOW - 31 * DAY).decision.reason is Reason.NOT_YET_VALID


def test_without_issuers_foreign_passes_come_from_unknown_issuers(
    tmp_path: Path, nzcp_key: Key, shc_key: tuple[Key, str]
) -> None:
    bare = Scanner(tmp_path / "kiosk.db", None)
    try:
        for text in (_nzcp(nzcp_key), _card(shc_key, 2)):
            d = bare.verify(text).decision
            assert (d.verdict, d.reason) == (Verdict.DENY, Reason.UNKNOWN_ISSUER)
    finally:
        bare.db.close()
