"""Fuzzing the verification engine: mutated passes in, and every one must come out as a decision.

Mutation operators (picked at random for each input):
- bit-flip / byte-set / truncate / insert: on the zlib-decompressed COSE bytes of a pass,
  re-compressed (mostly stops at COSE/CBOR, or at the signature);
- text: a base45 character changed, or the text cut;
- value: structure-aware; the CWT of a pass (forged or from the EU DCC corpus) is decoded,
  a hostile value (huge or negative integers, NaN/inf, bytes for text, nested containers,
  wrong key types, odd CBOR tags) replaces the value at a random CWT/hcert/name/entry/header
  key, and the pass is re-signed with a trusted key, so it gets past the signature check.

A crash is any exception out of `VerificationEngine.verify`, or output `kiosk verify --json`
could not print. The recorder is off by default (an fsynced SQLite commit per input would
measure the disk); `--record` stores every visit in a temporary SQLite file instead.

Run: .venv/bin/python benchmarks/fuzz.py [--mutations N] [--seed S] [--record]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import base45
import cbor2

from kiosk.clock import ManualClock
from kiosk.commands.verify import to_json, to_line
from kiosk.config import RulesConfig
from kiosk.errors import TrustError
from kiosk.passes import cose
from kiosk.passes.issue import make_signer, sign_claims
from kiosk.passes.signer import StaticTrust, load_signer_cert
from kiosk.verify.engine import VerificationEngine

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "dgc"
NOW = 1_780_000_000.0  # 2026-05-28
DAY = 86_400.0

_ENTRIES: dict[str, dict[str, Any]] = {
    "v": {"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2,
          "sd": 2, "dt": "2026-03-01", "co": "XA", "is": "Bench issuer", "ci": "URN:UVCI:01:XA:BENCH#V"},
    "t": {"tg": "840539006", "tt": "LP6464-4", "sc": "2026-05-27T20:00:00Z", "tr": "260415000",
          "tc": "Centre", "co": "XA", "is": "Bench issuer", "ci": "URN:UVCI:01:XA:BENCH#T"},
    "r": {"tg": "840539006", "fr": "2026-04-01", "df": "2026-04-12", "du": "2026-09-01", "co": "XA",
          "is": "Bench issuer", "ci": "URN:UVCI:01:XA:BENCH#R"},
}
_SPECIAL: list[Any] = [
    10**400, -(10**400), 10**5000, 2**64, -(2**64) - 1, 2**63, -1, 0, math.nan, math.inf, -math.inf, 1e308,
    True, None, b"", b"\xff" * 9, "", "\x00", "2026-05-28", "9999-12-31T23:59:59-23:59", "0001-01-01",
    "LP6464-4", "260373001", cbor2.undefined, cbor2.CBORTag(1, 10**30), cbor2.CBORTag(0, "x"),
    cbor2.CBORTag(4, [10**9, 1]), cbor2.CBORTag(30, [1, 0]), cbor2.CBORTag(258, [1, 2]),
]


def _clock(value: object) -> float:
    """The corpus case's validation time (ISO 8601, no zone means UTC), else NOW."""
    if not isinstance(value, str):
        return NOW
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return NOW
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _hostile(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(_SPECIAL)
    if roll < 0.5:
        return rng.randint(-(2**70), 2**70)
    if roll < 0.6:
        return rng.uniform(-1e12, 1e12)
    if roll < 0.7:
        return rng.randbytes(rng.randrange(0, 40))
    if roll < 0.8:
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0xD800)]))
                       for _ in range(rng.randrange(0, 30)))
    if depth >= 3:
        return None
    if roll < 0.9:
        return [_hostile(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    choices = [rng.randrange(-300, 300), "fn", "v", "dn", b"k", 2.5]  # wrong key types too
    return {rng.choice(choices): _hostile(rng, depth + 1) for _ in range(rng.randrange(4))}


class Fuzzer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.key, der = make_signer("ES256", "XA", "Fuzz DSC", None, NOW - 365 * DAY, NOW + 365 * DAY)
        cert = load_signer_cert(der)
        self.kid = cert.kid
        self.trust = StaticTrust([cert])
        # Seeds: valid forged passes of each kind, and the corpus passes (their claims are
        # re-signed by our key for the structure-aware operator).
        self.seeds: list[tuple[str, float]] = [(self._sign(self._base(k)), NOW) for k in _ENTRIES]
        self.claims_seeds: list[Any] = [self._base(k) for k in _ENTRIES]
        self._load_corpus()

    def _base(self, kind: str) -> dict[Any, Any]:
        hcert = {"ver": "1.3.0", "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika",
                                         "gnt": "ERIKA"}, "dob": "1964-08-12", kind: [dict(_ENTRIES[kind])]}
        return {1: "XA", 6: int(NOW - 10 * DAY), 4: int(NOW + 300 * DAY), -260: {1: hcert}}

    def _sign(self, claims: Any, protected: dict[Any, Any] | None = None,
              unprotected: dict[Any, Any] | None = None) -> str:
        protected = protected if protected is not None else {cose.HEADER_ALG: cose.ALG_ES256,
                                                             cose.HEADER_KID: self.kid}
        return sign_claims(claims, private_key=self.key, protected=protected, unprotected=unprotected)

    def _load_corpus(self) -> None:
        for path in sorted(CORPUS.rglob("*.json")) if CORPUS.is_dir() else []:
            data = json.loads(path.read_text(encoding="utf-8"))
            text = data.get("PREFIX") if isinstance(data, dict) else None
            if not isinstance(text, str) or not text.startswith("HC1:"):
                continue
            ctx = data.get("TESTCTX") or {}
            cert = ctx.get("CERTIFICATE")
            if cert:
                with contextlib.suppress(TrustError):
                    self.trust.add(load_signer_cert(cert))
            try:
                raw = zlib.decompress(base45.b45decode(text[4:]))
                item = cbor2.loads(raw)
                while isinstance(item, cbor2.CBORTag):
                    item = item.value
                claims = cbor2.loads(item[2])
                if isinstance(claims, dict):
                    # Valid today, so that a re-signed corpus payload reaches the rules.
                    claims.update({6: int(NOW - 10 * DAY), 4: int(NOW + 300 * DAY)})
                    self.claims_seeds.append(claims)
            except Exception:  # broken on purpose: still a seed for the byte/text operators
                pass
            self.seeds.append((text, _clock(ctx.get("VALIDATIONCLOCK"))))

    # --- operators -------------------------------------------------------------------

    def _raw(self, text: str) -> bytearray | None:
        try:
            return bytearray(zlib.decompress(base45.b45decode(text[4:])))
        except Exception:
            return None

    def _pack(self, raw: bytes) -> str:
        return "HC1:" + base45.b45encode(zlib.compress(bytes(raw))).decode("ascii")

    def bit_flip(self, text: str) -> str:
        raw = self._raw(text)
        if not raw:
            return self.text(text)
        for _ in range(self.rng.randrange(1, 4)):
            raw[self.rng.randrange(len(raw))] ^= 1 << self.rng.randrange(8)
        return self._pack(raw)

    def byte_set(self, text: str) -> str:
        raw = self._raw(text)
        if not raw:
            return self.text(text)
        for _ in range(self.rng.randrange(1, 4)):
            raw[self.rng.randrange(len(raw))] = self.rng.randrange(256)
        return self._pack(raw)

    def truncate(self, text: str) -> str:
        raw = self._raw(text)
        if not raw or self.rng.random() < 0.3:
            return text[: self.rng.randrange(len(text) + 1)]
        return self._pack(raw[: self.rng.randrange(len(raw))])

    def insert(self, text: str) -> str:
        raw = self._raw(text)
        if raw is None:
            return self.text(text)
        pos = self.rng.randrange(len(raw) + 1)
        raw[pos:pos] = self.rng.randbytes(self.rng.randrange(1, 9))
        return self._pack(raw)

    def text(self, text: str) -> str:
        chars = list(text)
        pos = self.rng.randrange(len(chars) + 1)
        code = self.rng.choice([self.rng.randrange(32, 127), self.rng.randrange(0x110000)])
        chars[pos : pos + 1] = [chr(code)]
        return "".join(chars)

    def value(self, _text: str) -> str:
        claims = _copy(self.rng.choice(self.claims_seeds))
        protected: dict[Any, Any] = {cose.HEADER_ALG: cose.ALG_ES256, cose.HEADER_KID: self.kid}
        unprotected: dict[Any, Any] = {}
        for _ in range(self.rng.randrange(1, 4)):
            target, key = self._place(claims, protected, unprotected)
            if target is not None:
                target[key] = _hostile(self.rng)
        return self._sign(claims, protected, unprotected)

    def _place(self, claims: Any, protected: dict[Any, Any],
               unprotected: dict[Any, Any]) -> tuple[dict[Any, Any] | None, Any]:
        roll = self.rng.random()
        if roll < 0.1:
            return self.rng.choice([protected, unprotected]), self.rng.choice([1, 4, 3, -1, "kid"])
        if not isinstance(claims, dict):
            return None, None
        if roll < 0.35:
            return claims, self.rng.choice([1, 4, 6, -260, 2, 99, "4", b"\x04"])
        container = claims.get(-260)
        if not isinstance(container, dict):
            return claims, -260
        hcert = container.get(1)
        if roll < 0.45 or not isinstance(hcert, dict):
            return container, self.rng.choice([1, 2, "1"])
        if roll < 0.6:
            return hcert, self.rng.choice(["ver", "nam", "dob", "v", "t", "r", 1, ""])
        nam = hcert.get("nam")
        if roll < 0.75 and isinstance(nam, dict):
            return nam, self.rng.choice(["fn", "gn", "fnt", "gnt", 1])
        for kind in ("v", "t", "r"):
            entries = hcert.get(kind)
            if isinstance(entries, list) and entries and isinstance(entries[0], dict):
                keys = [*sorted({k for e in _ENTRIES.values() for k in e}), 7]
                return entries[0], self.rng.choice(keys)
        return hcert, self.rng.choice(["v", "t", "r"])


def _copy(value: Any) -> Any:
    """A copy of the containers a mutation may edit (copy.deepcopy cannot copy a CBORTag)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def run(mutations: int, seed: int, record: bool) -> None:
    rng = random.Random(seed)
    fuzzer = Fuzzer(rng)
    operators: dict[str, Callable[[str], str]] = {
        "bit-flip": fuzzer.bit_flip, "byte-set": fuzzer.byte_set, "truncate": fuzzer.truncate,
        "insert": fuzzer.insert, "text": fuzzer.text, "value": fuzzer.value,
    }
    names = list(operators)
    weights = [1, 1, 1, 1, 1, 3]  # the structure-aware operator reaches deepest: give it half

    clock = ManualClock(start=NOW)
    recorder = db = None
    if record:
        from kiosk.store.opening import open_database
        from kiosk.store.recorder import StoreRecorder

        folder = tempfile.TemporaryDirectory()
        db = open_database(Path(folder.name) / "fuzz.db")
        recorder = StoreRecorder(db, kiosk_id="fuzz", rng=random.Random(seed))
    engine = VerificationEngine(trust=fuzzer.trust, rules=RulesConfig(), clock=clock, recorder=recorder)

    crashes: Counter[str] = Counter()
    by_operator: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    value_decisions: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    first_crash: str | None = None
    elapsed = 0.0
    wall = time.perf_counter()
    for _ in range(mutations):
        op = rng.choices(names, weights)[0]
        text, at = rng.choice(fuzzer.seeds)
        mutated = operators[op](text)
        if op == "value":
            at = NOW  # re-signed claims are valid at NOW until a hostile value says otherwise
        by_operator[op] += 1
        started = time.perf_counter()
        try:
            evaluation = engine.verify(mutated, at=at)
            json.dumps(to_json(evaluation), ensure_ascii=False).encode("utf-8")
            to_line(evaluation).encode("utf-8")
        except Exception as exc:
            crashes[f"{op}: {type(exc).__name__}"] += 1
            first_crash = first_crash or "".join(traceback.format_exception(exc)[-3:])
            continue
        finally:
            elapsed += time.perf_counter() - started
        d = evaluation.decision
        decisions[f"{d.verdict}/{d.reason}"] += 1
        if op == "value":
            value_decisions[f"{d.verdict}/{d.reason}"] += 1
        stage = evaluation.dcc.stage_error if evaluation.dcc else None
        stages[str(stage) if stage else ("decoded" if evaluation.dcc else "not a DCC")] += 1

    print(f"fuzz: {mutations:,} mutations, seed {seed}, recorder {'temp-file SQLite' if record else 'off'}")
    print(f"  crashes: {sum(crashes.values())}")
    for what, n in crashes.most_common():
        print(f"    {n:>7,}  {what}")
    if first_crash:
        print("  first crash:\n" + first_crash)
    wall = time.perf_counter() - wall
    print(f"  engine time: {elapsed:.1f} s -> {mutations / elapsed:,.0f} mutations/s (verify + JSON output)")
    print(f"  wall time:   {wall:.1f} s -> {mutations / wall:,.0f} mutations/s (with mutating, re-signing)")
    print("  operators: " + ", ".join(f"{k} {v:,}" for k, v in by_operator.most_common()))
    print("  where decoding stopped:")
    for what, n in stages.most_common():
        print(f"    {n:>7,}  {what}")
    print("  decisions:")
    for what, n in decisions.most_common():
        print(f"    {n:>7,}  {what}")
    print("  decisions for re-signed passes with hostile values (operator 'value'):")
    for what, n in value_decisions.most_common():
        print(f"    {n:>7,}  {what}")
    if db is not None:
        visits = db.scalar("SELECT count(*) FROM visits")
        expected = mutations - sum(crashes.values())
        print(f"  visits recorded: {visits:,} (one per verdict: {visits == expected})")
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mutations", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--record", action="store_true", help="record every visit in a temporary SQLite file")
    args = parser.parse_args()
    run(args.mutations, args.seed, args.record)


if __name__ == "__main__":
    main()
