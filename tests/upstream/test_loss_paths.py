"""Loss and leak paths through the real simulator: a partial batch answer, a holder name sent
by upstream. Real sockets, a real SQLite file, the real uploader and engine."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.config import RulesConfig
from kiosk.decision import PassKind, Verdict, VerifiedBy
from kiosk.passes.masking import mask_text
from kiosk.passes.signer import StaticTrust, load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from kiosk.store.visits import UpstreamState, get_visit
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.uploader import StopReason, Uploader, UploaderSettings
from kiosk.verify.breaker import CircuitBreaker
from kiosk.verify.engine import EngineSettings, VerificationEngine
from tests.upstream.support import recorded_visit

# --- records upstream neither accepted nor rejected stay owed ------------------------------


def test_records_missing_from_a_partial_answer_stay_pending(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    rng = random.Random(5)
    ids = [recorded_visit(db, f"URN:UVCI:01:XA:{n}", rng) for n in range(5)]
    clock = SystemClock()
    settings = UploaderSettings(batch_size=10, max_requests_per_s=100.0, burst=10, request_timeout_s=2.0)
    uploader = Uploader(db, client, clock, random.Random(1), settings)
    fresh_sim.set_faults(Faults(partial_batch=True, paths=("/v1/visits:batch",)))

    report = uploader.run_once()

    stored = {v["id"] for v in fresh_sim.state.stored_visits()}
    assert len(stored) == 2  # upstream took the first half of the five and said nothing of the rest
    assert (report.batches, report.sent, report.failed) == (1, 2, 3)
    owed = set(ids) - stored
    assert outbox.pending_count(db) == 3
    for vid in ids:
        visit = get_visit(db, vid)
        assert visit is not None
        expected = UpstreamState.CONFIRMED if vid in stored else UpstreamState.PENDING
        assert visit.upstream_state is expected, vid
    assert {item.visit_id for item in outbox.due(db, clock.now() + 3600)} == owed

    # Upstream answers in full again: the owed records go, once each.
    fresh_sim.set_faults(Faults())
    report = uploader.run_once(clock.now() + 3600)
    assert (report.sent, report.stopped) == (3, StopReason.DRAINED)
    assert outbox.pending_count(db) == 0
    assert {v["id"] for v in fresh_sim.state.stored_visits()} == set(ids)
    assert fresh_sim.state.counters().duplicates == 0


# --- a holder name from upstream is masked before the screen and the database ---------------


@pytest.fixture
def engine_and_db(fresh_sim: Simulator, tmp_path: Path) -> Iterator[tuple[VerificationEngine, Database]]:
    clock = SystemClock()
    db = open_database(tmp_path / "kiosk.db")
    client = UpstreamClient(fresh_sim.url, "demo-key", clock=clock, connect_timeout_s=0.3, kiosk_id="kiosk-h")
    engine = VerificationEngine(
        trust=StaticTrust(load_signer_cert(s.der) for s in fresh_sim.state.signers),
        rules=RulesConfig(),
        clock=clock,
        settings=EngineSettings(kiosk_id="kiosk-h", budget_s=2.0, reserve_s=0.1),
        recorder=StoreRecorder(db, kiosk_id="kiosk-h", rng=random.Random(4)),
        online=client,
        breaker=CircuitBreaker(clock, random.Random(2)),
    )
    yield engine, db
    client.close()
    db.close()


@pytest.mark.parametrize(
    ("holder", "parts"),
    [
        ("Gildong Hong", ("Gildong", "Hong")),
        ("홍길동", ("홍길동", "길동")),
        ("Ana María Muñoz-Ortega", ("María", "Muñoz", "Ortega")),
    ],
    ids=["latin", "hangul", "accented"],
)
def test_holder_sent_by_upstream_reaches_screen_and_database_masked(
    engine_and_db: tuple[VerificationEngine, Database],
    fresh_sim: Simulator,
    tmp_path: Path,
    holder: str,
    parts: tuple[str, ...],
) -> None:
    engine, db = engine_and_db
    token = fresh_sim.state.issue_token(holder=holder).token

    decision = engine.verify(token).decision

    assert (decision.verdict, decision.verified_by, decision.kind) == (
        Verdict.ADMIT,
        VerifiedBy.ONLINE,
        PassKind.TOKEN,
    )
    masked = mask_text(holder)
    assert decision.holder_masked == masked  # staff see the (masked) name upstream sent
    assert all(part not in decision.holder_masked for part in parts)
    assert decision.visit_id is not None
    visit = get_visit(db, decision.visit_id)
    assert visit is not None and visit.holder_masked == masked
    db.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("kiosk.db")]
    content = b"".join(p.read_bytes() for p in files)
    assert masked.encode("utf-8") in content  # the masked name was stored: this file is the right one
    for part in parts:
        assert part.encode("utf-8") not in content, part
