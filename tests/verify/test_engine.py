"""The verify engine offline: real SQLite store, real trust table, passes signed by `kiosk.passes.issue`."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.clock import ManualClock
from kiosk.config import RulesConfig
from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.errors import StoreError
from kiosk.pass_hash import pass_hash, uci_hash
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.model import DccCheck, SignerCert
from kiosk.passes.rules import TEST_RESULT_DETECTED, TEST_RESULT_NOT_DETECTED, TEST_TYPE_NAA, TEST_TYPE_RAT
from kiosk.passes.signer import load_signer_cert
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder, StoreRevocations
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import get_visit
from kiosk.verify.engine import EngineSettings, VerificationEngine

NOW = 1_780_000_000.0  # 2026-05-28, the kiosk's (manual) clock
DAY = 86_400.0
TODAY = datetime.fromtimestamp(NOW, tz=UTC)
UCI = "URN:UVCI:01:XA:ENGINETEST0001#Q"
NAME = {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"}
DOB = "1964-08-12"


@dataclass(frozen=True)
class Signer:
    key: Any
    der: bytes
    cert: SignerCert


def _signer(key_usage: frozenset[str] | None = None) -> Signer:
    key, der = make_signer("ES256", "XA", "Engine test DSC", key_usage, NOW - 365 * DAY, NOW + 365 * DAY)
    return Signer(key, der, load_signer_cert(der))


@pytest.fixture(scope="module")
def signer() -> Signer:
    return _signer()


@pytest.fixture(scope="module")
def test_only_signer() -> Signer:
    return _signer(frozenset({"t"}))


@pytest.fixture(scope="module")
def stranger() -> Signer:
    return _signer()


def vaccination(days_ago: int = 60, dn: int = 2, sd: int = 2) -> dict[str, Any]:
    entry = {
        "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
        "dn": dn, "sd": sd, "dt": (TODAY - timedelta(days=days_ago)).date().isoformat(),
        "co": "XA", "is": "Test issuer", "ci": UCI,
    }
    return {"ver": "1.3.0", "nam": NAME, "dob": DOB, "v": [entry]}


def covid_test(
    hours_ago: float = 10, tt: str = TEST_TYPE_NAA, tr: str = TEST_RESULT_NOT_DETECTED
) -> dict[str, Any]:
    sampled = (TODAY - timedelta(hours=hours_ago)).isoformat().replace("+00:00", "Z")
    entry = {"tg": "840539006", "tt": tt, "sc": sampled, "tr": tr, "tc": "Centre", "co": "XA",
             "is": "Test issuer", "ci": UCI}
    return {"ver": "1.3.0", "nam": NAME, "dob": DOB, "t": [entry]}


def recovery(first_positive_days_ago: int = 30, valid_until_days: int = 100) -> dict[str, Any]:
    entry = {
        "tg": "840539006", "fr": (TODAY - timedelta(days=first_positive_days_ago)).date().isoformat(),
        "co": "XA", "is": "Test issuer",
        "df": (TODAY - timedelta(days=first_positive_days_ago - 11)).date().isoformat(),
        "du": (TODAY + timedelta(days=valid_until_days)).date().isoformat(), "ci": UCI,
    }
    return {"ver": "1.3.0", "nam": NAME, "dob": DOB, "r": [entry]}


def sign(
    hcert: dict[str, Any],
    signer: Signer,
    *,
    kid_of: Signer | None = None,
    issued_at: float = NOW - 10 * DAY,
    expires_at: float = NOW + 300 * DAY,
) -> str:
    return issue_dcc(
        hcert,
        private_key=signer.key,
        kid=(kid_of or signer).cert.kid,
        issuer="XA",
        issued_at=issued_at,
        expires_at=expires_at,
    )


@dataclass
class Kiosk:
    engine: VerificationEngine
    db: Database
    path: Path
    clock: ManualClock


@pytest.fixture
def kiosk(tmp_path: Path, signer: Signer, test_only_signer: Signer) -> Iterator[Kiosk]:
    path = tmp_path / "data" / "kiosk.db"
    db = open_database(path)
    trust = TrustStore(db)
    trust.add(signer.cert, NOW)
    trust.add(test_only_signer.cert, NOW)
    clock = ManualClock(start=NOW)
    engine = VerificationEngine(
        trust=trust,
        rules=RulesConfig(),
        clock=clock,
        settings=EngineSettings(kiosk_id="kiosk-engine-test"),
        recorder=StoreRecorder(db, kiosk_id="kiosk-engine-test", rng=random.Random(5)),
        revocations=StoreRevocations(db),
    )
    yield Kiosk(engine, db, path, clock)
    db.close()


def _row(path: Path, visit_id: str) -> tuple[sqlite3.Row | None, sqlite3.Row | None]:
    """The visit and its outbox row as seen by an independent connection (i.e. committed data)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        visit = conn.execute("SELECT * FROM visits WHERE id = ?", (visit_id,)).fetchone()
        outbox = conn.execute("SELECT * FROM outbox WHERE visit_id = ?", (visit_id,)).fetchone()
    finally:
        conn.close()
    return visit, outbox


# --- admit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("hcert", [vaccination(), covid_test(), recovery()], ids=["v", "t", "r"])
def test_valid_dcc_is_admitted_offline_and_recorded(kiosk: Kiosk, signer: Signer, hcert: dict) -> None:
    text = sign(hcert, signer)
    ev = kiosk.engine.verify(text)
    d = ev.decision
    assert (d.verdict, d.reason, d.verified_by, d.kind) == (
        Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE, PassKind.DCC
    )
    assert ev.online_attempted is False
    assert ev.dcc is not None and ev.dcc.payload == hcert
    assert d.visit_id is not None
    visit = get_visit(kiosk.db, d.visit_id)
    assert visit is not None
    assert (visit.decision, visit.reason, visit.verified_by) == (
        Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE
    )
    assert visit.pass_hash == pass_hash(text)
    assert visit.uci_hash == uci_hash(UCI)
    assert visit.kiosk_id == "kiosk-engine-test"
    assert visit.scanned_at == NOW


def test_holder_is_masked_on_the_decision_and_in_the_visit(kiosk: Kiosk, signer: Signer) -> None:
    d = kiosk.engine.verify(sign(vaccination(), signer)).decision
    assert d.holder_masked == "M********u E."
    assert d.visit_id is not None
    visit = get_visit(kiosk.db, d.visit_id)
    assert visit is not None and visit.holder_masked == "M********u E."


def test_explicit_validation_time_is_used(kiosk: Kiosk, signer: Signer) -> None:
    text = sign(vaccination(), signer, issued_at=NOW - 10 * DAY, expires_at=NOW + DAY)
    assert kiosk.engine.verify(text).decision.reason is Reason.VALID
    later = kiosk.engine.verify(text, at=NOW + 2 * DAY)
    assert later.decision.reason is Reason.EXPIRED
    assert later.decision.visit_id is not None
    visit = get_visit(kiosk.db, later.decision.visit_id)
    assert visit is not None and visit.scanned_at == NOW + 2 * DAY


# --- deny: the pass itself -------------------------------------------------------------------


def test_bad_signature_is_denied(kiosk: Kiosk, signer: Signer, stranger: Signer) -> None:
    # Signed by someone else, but claiming the trusted signer's kid.
    text = sign(vaccination(), stranger, kid_of=signer)
    d = kiosk.engine.verify(text).decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, Reason.BAD_SIGNATURE, VerifiedBy.OFFLINE)


def test_flipped_signature_byte_is_denied(kiosk: Kiosk, signer: Signer) -> None:
    import zlib

    import base45
    import cbor2

    text = sign(vaccination(), signer)
    tag = cbor2.loads(zlib.decompress(base45.b45decode(text[4:])))
    protected, unprotected, payload, signature = tag.value
    forged_sig = bytes([signature[0] ^ 0x01]) + signature[1:]
    forged = cbor2.CBORTag(18, [protected, unprotected, payload, forged_sig])
    forged_text = "HC1:" + base45.b45encode(zlib.compress(cbor2.dumps(forged))).decode()
    d = kiosk.engine.verify(forged_text).decision
    assert (d.verdict, d.reason) == (Verdict.DENY, Reason.BAD_SIGNATURE)


def test_unknown_signer_is_denied(kiosk: Kiosk, stranger: Signer) -> None:
    d = kiosk.engine.verify(sign(vaccination(), stranger)).decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, Reason.UNKNOWN_SIGNER, VerifiedBy.OFFLINE)


def test_expired_pass_is_denied(kiosk: Kiosk, signer: Signer) -> None:
    text = sign(vaccination(), signer, issued_at=NOW - 400 * DAY, expires_at=NOW - DAY)
    d = kiosk.engine.verify(text).decision
    assert (d.verdict, d.reason) == (Verdict.DENY, Reason.EXPIRED)


def test_pass_issued_in_the_future_is_not_yet_valid(kiosk: Kiosk, signer: Signer) -> None:
    text = sign(vaccination(), signer, issued_at=NOW + DAY, expires_at=NOW + 300 * DAY)
    d = kiosk.engine.verify(text).decision
    assert (d.verdict, d.reason) == (Verdict.DENY, Reason.NOT_YET_VALID)


def test_key_usage_mismatch_is_denied(kiosk: Kiosk, test_only_signer: Signer) -> None:
    # A signer allowed to sign tests only, signing a vaccination.
    denied = kiosk.engine.verify(sign(vaccination(), test_only_signer)).decision
    assert (denied.verdict, denied.reason) == (Verdict.DENY, Reason.KEY_USAGE_MISMATCH)
    allowed = kiosk.engine.verify(sign(covid_test(), test_only_signer)).decision
    assert (allowed.verdict, allowed.reason) == (Verdict.ADMIT, Reason.VALID)


def test_revoked_certificate_is_denied(kiosk: Kiosk, signer: Signer) -> None:
    text = sign(vaccination(), signer)
    assert kiosk.engine.verify(text).decision.verdict is Verdict.ADMIT
    with kiosk.db.transaction() as conn:
        conn.execute("INSERT INTO revocations (uci_hash, added_at) VALUES (?, ?)", (uci_hash(UCI), NOW))
    d = kiosk.engine.verify(text).decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, Reason.REVOKED, VerifiedBy.OFFLINE)


@pytest.mark.parametrize(
    ("hcert", "reason"),
    [
        (vaccination(dn=1, sd=2), Reason.VACCINATION_INCOMPLETE),
        (vaccination(days_ago=3), Reason.VACCINATION_TOO_RECENT),
        (vaccination(days_ago=400), Reason.VACCINATION_TOO_OLD),
        (covid_test(tr=TEST_RESULT_DETECTED), Reason.TEST_POSITIVE),
        (covid_test(hours_ago=80), Reason.TEST_TOO_OLD),
        (covid_test(hours_ago=50, tt=TEST_TYPE_RAT), Reason.TEST_TOO_OLD),
        (covid_test(tt="LP0000-0"), Reason.TEST_TYPE_NOT_ACCEPTED),
        (covid_test(hours_ago=-2), Reason.NOT_YET_VALID),
        (recovery(first_positive_days_ago=5), Reason.RECOVERY_NOT_YET_VALID),
        (recovery(first_positive_days_ago=200, valid_until_days=-1), Reason.RECOVERY_EXPIRED),
        ({"ver": "1.3.0", "nam": NAME, "dob": DOB}, Reason.NO_ENTRY),
    ],
    ids=lambda v: v.value if isinstance(v, Reason) else "",
)
def test_each_rule_reason_denies(kiosk: Kiosk, signer: Signer, hcert: dict, reason: Reason) -> None:
    d = kiosk.engine.verify(sign(hcert, signer)).decision
    assert (d.verdict, d.reason, d.verified_by) == (Verdict.DENY, reason, VerifiedBy.OFFLINE)
    assert d.visit_id is not None
    visit = get_visit(kiosk.db, d.visit_id)
    assert visit is not None and visit.reason is reason


# --- other kinds and garbage -----------------------------------------------------------------


def test_token_goes_to_manual_log_when_offline(kiosk: Kiosk) -> None:
    ev = kiosk.engine.verify("KP1:c29tZS1vcGFxdWUtdG9rZW4tdmFsdWU")
    d = ev.decision
    assert (d.verdict, d.reason, d.kind) == (Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE, PassKind.TOKEN)
    assert ev.dcc is None and ev.online_attempted is False
    assert d.visit_id is not None and get_visit(kiosk.db, d.visit_id) is not None


@pytest.mark.parametrize(
    "text", ["hello world", "https://example.com/menu", "", "   ", "hc2:ABC", "nzcp:/1/2KCE", "SHC:/56"]
)
def test_unknown_text_is_not_a_pass(kiosk: Kiosk, text: str) -> None:
    d = kiosk.engine.verify(text).decision
    assert (d.verdict, d.reason, d.verified_by, d.kind) == (
        Verdict.DENY, Reason.NOT_A_PASS, VerifiedBy.NONE, PassKind.UNKNOWN
    )
    assert d.visit_id is not None  # every scan is logged, even a menu link


def _garbage(signer: Signer) -> dict[str, str]:
    valid = sign(vaccination(), signer)
    rng = random.Random(3)
    return {
        "truncated": valid[: len(valid) // 2],
        "truncated_by_one": valid[:-1],
        "bad_base45": "HC1:" + "!!!~~~" * 10,
        "not_zlib": "HC1:" + valid[4:][::-1],
        "prefix_only": "HC1:",
        "one_mb": "HC1:" + "A" * 1_000_000,
        "random_bytes": "HC1:" + bytes(rng.randrange(256) for _ in range(600)).decode("latin-1"),
        "nul_bytes": "HC1:\x00\x00\x00",
        "lowercase_body": "HC1:" + valid[4:].lower(),
    }


@pytest.mark.parametrize(
    "name",
    ["truncated", "truncated_by_one", "bad_base45", "not_zlib", "prefix_only", "one_mb", "random_bytes",
     "nul_bytes", "lowercase_body"],
)
def test_garbled_dcc_is_denied_without_exception(kiosk: Kiosk, signer: Signer, name: str) -> None:
    ev = kiosk.engine.verify(_garbage(signer)[name])
    d = ev.decision
    assert d.verdict is Verdict.DENY
    assert d.reason in (Reason.DECODE_FAILED, Reason.NOT_A_PASS)
    assert d.verified_by is VerifiedBy.NONE
    assert ev.dcc is not None and ev.dcc.decoded is False and ev.dcc.stage_error is not None
    assert d.visit_id is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), prefix=st.sampled_from(["HC1:", "KP1:", "", "HC1"]))
def test_arbitrary_input_never_raises_and_never_admits(kiosk: Kiosk, data: bytes, prefix: str) -> None:
    text = prefix + data.decode("latin-1")
    d = kiosk.engine.verify(text).decision
    assert d.verdict in (Verdict.DENY, Verdict.MANUAL)
    assert d.visit_id is not None


# --- durability and privacy ------------------------------------------------------------------


class _CommittedCheck:
    """Wraps the real recorder and, before the engine gets control back, reads the rows from
    an independent connection: the decision may only leave the engine once they are durable."""

    def __init__(self, inner: StoreRecorder, path: Path) -> None:
        self.inner = inner
        self.path = path
        self.seen: list[tuple[str, str, str]] = []

    def record(
        self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float, *, wait_s: float | None
    ) -> str:
        assert decision.visit_id is None
        visit_id = self.inner.record(text, decision, dcc, scanned_at, wait_s=wait_s)
        visit, outbox = _row(self.path, visit_id)
        assert visit is not None and outbox is not None
        self.seen.append((visit_id, visit["decision"], outbox["state"]))
        return visit_id


def test_visit_and_outbox_are_committed_before_verify_returns(
    tmp_path: Path, signer: Signer
) -> None:
    path = tmp_path / "kiosk.db"
    with open_database(path) as db:
        TrustStore(db).add(signer.cert, NOW)
        clock = ManualClock(start=NOW)
        recorder = _CommittedCheck(StoreRecorder(db, kiosk_id="k", rng=random.Random(1)), path)
        engine = VerificationEngine(trust=TrustStore(db), rules=RulesConfig(), clock=clock, recorder=recorder)
        ev = engine.verify(sign(vaccination(), signer))
        assert recorder.seen == [(ev.decision.visit_id, "admit", "pending")]
        # And straight after return, from yet another connection.
        visit, outbox = _row(path, str(ev.decision.visit_id))
        assert visit is not None and visit["decision"] == "admit" and visit["verified_by"] == "offline"
        assert outbox is not None and outbox["state"] == "pending" and outbox["attempts"] == 0


def test_raw_pass_text_and_personal_data_never_reach_the_database_file(kiosk: Kiosk, signer: Signer) -> None:
    texts = [sign(vaccination(), signer), sign(covid_test(), signer), "KP1:c2VjcmV0LXRva2VuLWJvZHk"]
    for text in texts:
        kiosk.engine.verify(text)
    kiosk.db.close()
    stored = b"".join(p.read_bytes() for p in kiosk.path.parent.iterdir() if p.name.startswith("kiosk.db"))
    for text in texts:
        body = text[4:]
        assert body[:40].encode() not in stored
        assert pass_hash(text).encode() in stored
    for personal in (b"Musterfrau", b"MUSTERFRAU", b"Erika", DOB.encode(), UCI.encode()):
        assert personal not in stored


def test_store_failure_propagates_and_leaves_nothing_half_written(kiosk: Kiosk, signer: Signer) -> None:
    text = sign(vaccination(), signer)
    kept = [kiosk.engine.verify(text).decision.visit_id for _ in range(3)]
    with kiosk.db.transaction() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        # Per-connection cap: the disk is "full" from here on.
        conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as info:
        for _ in range(3000):
            kiosk.engine.verify(text)
    assert info.value.key == "store.disk_full"
    assert "Musterfrau" not in info.value.message and text[4:30] not in info.value.message
    visits = kiosk.db.scalar("SELECT count(*) FROM visits")
    assert kiosk.db.scalar("SELECT count(*) FROM outbox") == visits
    orphan = kiosk.db.scalar("SELECT count(*) FROM visits v LEFT JOIN outbox o ON o.visit_id = v.id "
                             "WHERE o.visit_id IS NULL")
    assert orphan == 0
    for visit_id in kept:
        assert visit_id is not None and get_visit(kiosk.db, visit_id) is not None
    assert kiosk.db.integrity_check(full=True) == []


def test_closed_store_raises_store_error_instead_of_returning_a_verdict(kiosk: Kiosk, signer: Signer) -> None:
    kiosk.db.close()
    with pytest.raises(StoreError):
        kiosk.engine.verify(sign(vaccination(), signer))


def test_without_a_recorder_nothing_is_recorded(kiosk: Kiosk, signer: Signer) -> None:
    engine = VerificationEngine(trust=TrustStore(kiosk.db), rules=RulesConfig(), clock=kiosk.clock)
    ev = engine.verify(sign(vaccination(), signer))
    assert ev.decision.verdict is Verdict.ADMIT and ev.decision.visit_id is None
    assert kiosk.db.scalar("SELECT count(*) FROM visits") == 0


# --- the online seam, without a network ----------------------------------------------------------


class _BrokenChecker:
    """An online checker with a bug in it (not a network failure): raises something unexpected."""

    def __init__(self) -> None:
        self.timeouts: list[float] = []

    def verify(self, text: str, *, scanned_at: float, timeout_s: float) -> Any:
        self.timeouts.append(timeout_s)
        raise RuntimeError("bug in the online path")


def test_a_bug_in_the_online_path_still_yields_the_offline_verdict(
    kiosk: Kiosk, signer: Signer, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.config import BreakerSettings
    from kiosk.verify.breaker import BreakerState, CircuitBreaker

    checker = _BrokenChecker()
    settings = BreakerSettings(failure_threshold=2, min_samples=1, window_size=1)
    breaker = CircuitBreaker(kiosk.clock, random.Random(1), settings)
    engine = VerificationEngine(
        trust=TrustStore(kiosk.db), rules=RulesConfig(), clock=kiosk.clock,
        settings=EngineSettings(budget_s=1.0, reserve_s=0.15), online=checker, breaker=breaker,
    )
    text = sign(vaccination(), signer)
    kiosk.clock.advance(60)  # a latency measured from the wrong end would show
    for _ in range(2):
        with caplog.at_level("ERROR", logger="kiosk.verify.engine"):
            ev = engine.verify(text)
        assert ev.online_attempted and ev.online_failure == "bad-body"
        assert (ev.decision.verdict, ev.decision.verified_by) == (Verdict.ADMIT, VerifiedBy.OFFLINE)
        # Counted as a bad answer, taking no time on the engine's clock.
        assert (breaker.snapshot().last_cause, breaker.snapshot().p90_latency_s) == ("bad-body", 0.0)
    # The online call got the budget minus the reserve (no time passes on a manual clock).
    assert checker.timeouts == [pytest.approx(0.85)] * 2
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.verify.engine"]
    assert said == ["online check failed unexpectedly; using the offline verdict"] * 2
    assert breaker.state is BreakerState.OPEN
    assert not engine.verify(text).online_attempted


# --- what the engine reports beside the verdict, and its guards -------------------------------


def test_an_online_checker_needs_a_breaker(kiosk: Kiosk) -> None:
    with pytest.raises(ValueError) as refused:
        VerificationEngine(trust=TrustStore(kiosk.db), rules=RulesConfig(), clock=kiosk.clock,
                           online=_BrokenChecker())
    assert str(refused.value) == "an online checker needs a circuit breaker"


def test_the_decision_carries_the_checks_detail(kiosk: Kiosk, signer: Signer, stranger: Signer) -> None:
    assert kiosk.engine.verify(sign(vaccination(), signer)).decision.detail is None
    forged = kiosk.engine.verify(sign(vaccination(), stranger, kid_of=signer)).decision
    assert forged.detail == "signature does not verify"
    unknown = kiosk.engine.verify(sign(vaccination(), stranger)).decision
    assert unknown.detail == "kid not in the trust list"


def test_elapsed_time_is_measured_on_the_engines_clock(kiosk: Kiosk, signer: Signer) -> None:
    def slow_check(text: str, trust: Any, at: float) -> DccCheck:
        kiosk.clock.advance(0.25)
        return check_dcc(text, trust, at)

    engine = VerificationEngine(trust=TrustStore(kiosk.db), rules=RulesConfig(), clock=kiosk.clock,
                                dcc_check=slow_check)
    assert engine.verify(sign(vaccination(), signer)).elapsed_s == 0.25


def test_a_failing_offline_decision_denies_and_still_records_the_visit(
    kiosk: Kiosk, signer: Signer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The revocation list cannot be read (its file is gone): the scan is denied, never lost.
    unreadable = open_database(tmp_path / "revocations.db")
    unreadable.close()
    engine = VerificationEngine(
        trust=TrustStore(kiosk.db), rules=RulesConfig(), clock=kiosk.clock,
        recorder=StoreRecorder(kiosk.db, kiosk_id="kiosk-6", rng=random.Random(6)),
        revocations=StoreRevocations(unreadable),
    )
    with caplog.at_level("WARNING", logger="kiosk.verify.engine"):
        d = engine.verify(sign(vaccination(), signer)).decision
    assert (d.verdict, d.reason, d.verified_by, d.kind) == (
        Verdict.DENY, Reason.DECODE_FAILED, VerifiedBy.NONE, PassKind.DCC
    )
    assert d.visit_id is not None
    visit = get_visit(kiosk.db, d.visit_id)
    assert visit is not None and visit.reason is Reason.DECODE_FAILED
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.verify.engine"]
    assert said == ["offline decision failed (StoreError); denied as undecodable"]
