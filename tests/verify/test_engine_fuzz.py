"""Standing fuzz checks: whatever is scanned, the engine returns a decision and records one visit.

Real parts only: a real SQLite file holding the trust list and the visits, passes forged
and signed with a key that trust list holds, the EU DCC corpus when present. Each test
asserts the verdict promise: `verify` never raises, always decides, and commits exactly
one visit per input; the CLI's JSON and line forms of the result can always be printed.
"""

from __future__ import annotations

import contextlib
import json
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import base45
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.clock import ManualClock
from kiosk.commands.verify import to_json, to_line
from kiosk.config import RulesConfig
from kiosk.decision import Decision
from kiosk.errors import TrustError
from kiosk.pass_hash import pass_hash
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder, StoreRevocations
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import get_visit
from kiosk.verify.engine import VerificationEngine
from tests.passes.corpus import load_cases
from tests.passes.forge import DAY, NOW, any_text, forged_passes

_SCALE = settings.default.max_examples  # 100 under the "ci" profile, more under "fuzz"
_SETTINGS = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@dataclass
class Kiosk:
    db: Database
    engine: VerificationEngine
    key: Any
    kid: bytes
    corpus: list[tuple[str, float]]  # (HC1 text, validation time)

    def visits(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM visits"))

    def scan(self, text: str, at: float | None = None) -> None:
        """The verdict promise for one input."""
        before = self.visits()
        evaluation = self.engine.verify(text, at=at)
        decision = evaluation.decision
        assert isinstance(decision, Decision)
        assert self.visits() == before + 1
        assert decision.visit_id is not None
        stored = get_visit(self.db, decision.visit_id)
        assert stored is not None and stored.pass_hash == pass_hash(text)
        assert (stored.decision, stored.reason) == (decision.verdict, decision.reason)
        # What `kiosk verify` prints must be printable, whatever the pass held.
        json.dumps(to_json(evaluation), ensure_ascii=False).encode("utf-8")
        to_line(evaluation).encode("utf-8")


def _corpus(trust: TrustStore) -> list[tuple[str, float]]:
    found = []
    for case in load_cases():
        if not case.text.startswith("HC1:"):
            continue
        cert = case.context.get("CERTIFICATE")
        if cert:
            # A corpus case with an unreadable certificate still mutates fine.
            with contextlib.suppress(TrustError):
                trust.add(load_signer_cert(cert), fetched_at=NOW)
        if _decompressible(case.text):
            found.append((case.text, case.clock() or NOW))
    return found


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    db = open_database(tmp_path_factory.mktemp("fuzz") / "kiosk.db")
    key, der = make_signer("ES256", "XA", "Fuzz DSC", None, NOW - 365 * DAY, NOW + 365 * DAY)
    cert = load_signer_cert(der)
    trust = TrustStore(db)
    trust.add(cert, fetched_at=NOW)
    clock = ManualClock(start=NOW)
    engine = VerificationEngine(
        trust=trust,
        rules=RulesConfig(),
        clock=clock,
        recorder=StoreRecorder(db, kiosk_id="kiosk-fuzz", rng=random.Random(5)),
        revocations=StoreRevocations(db),
    )
    yield Kiosk(db, engine, key, cert.kid, _corpus(trust))
    db.close()


def test_a_forged_pass_is_trusted_and_admitted(kiosk: Kiosk) -> None:
    """The forging really gets past the signature: without edits the pass is admitted."""
    from tests.passes.forge import forge

    for kind in ("v", "t", "r"):
        decision = kiosk.engine.verify(forge(kiosk.key, kiosk.kid, kind, [])).decision
        assert (decision.verdict, decision.reason) == ("admit", "valid"), kind


@settings(max_examples=3 * _SCALE // 2, **_SETTINGS)
@given(data=st.data())
def test_hostile_values_at_every_key(kiosk: Kiosk, data: st.DataObject) -> None:
    kiosk.scan(data.draw(forged_passes(kiosk.key, kiosk.kid)))


@settings(max_examples=_SCALE, **_SETTINGS)
@given(text=any_text())
def test_any_text(kiosk: Kiosk, text: str) -> None:
    kiosk.scan(text)


def _mutate(text: str, data: st.DataObject) -> str:
    raw = bytearray(zlib.decompress(base45.b45decode(text[4:])))
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        op = data.draw(st.sampled_from(["flip", "set", "cut", "insert", "delete"]), label="op")
        pos = data.draw(st.integers(0, max(len(raw) - 1, 0)), label="pos")
        if op == "flip" and raw:
            raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "set" and raw:
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del raw[pos:]
        elif op == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=9))
        elif op == "delete" and raw:
            del raw[pos]
    return "HC1:" + base45.b45encode(zlib.compress(bytes(raw))).decode("ascii")


@pytest.mark.skipif(not load_cases(), reason="DCC corpus not found at ../shared/testdata/dgc")
@settings(max_examples=_SCALE, **_SETTINGS)
@given(data=st.data())
def test_mutated_corpus_passes(kiosk: Kiosk, data: st.DataObject) -> None:
    text, at = data.draw(st.sampled_from(kiosk.corpus), label="case")
    if data.draw(st.booleans(), label="text-level"):
        pos = data.draw(st.integers(0, len(text) - 1))
        mutated = text[:pos] + data.draw(st.text(max_size=3)) + text[pos + 1 :]
    else:
        mutated = _mutate(text, data)
    kiosk.scan(mutated, at=at)


def _decompressible(text: str) -> bool:
    try:
        zlib.decompress(base45.b45decode(text[4:]))
    except Exception:  # corpus cases broken on purpose: the byte-level mutation needs a whole stream
        return False
    return True
