"""Offline verification speed: the EU DCC test corpus, then p50/p99 per format.

Prints p50/p99 milliseconds per pass for the full DCC chain, the share of that time
spent in the signature check, and a decode-only baseline (no trusted key, so no
signature check). Then, for each format (dcc, nzcp, shc), p50/p99 of the offline
check plus the offline decision (rules included) on valid passes: the corpus for
DCCs, passes signed here (and the specifications' published examples when
../shared/testdata holds them) for NZ COVID Passes and SMART Health Cards.
Run: .venv/bin/python benchmarks/verify.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.config import RulesConfig
from kiosk.decision import PassKind
from kiosk.passes import cose, dcc, nzcp_issue, shc_issue
from kiosk.passes.issuers import StaticIssuers, load_did_document, load_jwks
from kiosk.passes.model import DccCheck, SignatureState
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.shc import check_shc
from kiosk.passes.signer import StaticTrust, load_signer_cert
from kiosk.verify.offline import dcc_reason

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "dgc"


def _clock(value: str | None) -> float:
    if not value:
        return time.time()
    parsed = datetime.fromisoformat(value.strip())
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _cases() -> list[tuple[str, StaticTrust, float]]:
    cases = []
    for path in sorted(CORPUS.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        ctx = data.get("TESTCTX") or {}
        cert = ctx.get("CERTIFICATE")
        trust = StaticTrust([load_signer_cert(cert)] if cert else [])
        cases.append((data.get("PREFIX", ""), trust, _clock(ctx.get("VALIDATIONCLOCK"))))
    return cases


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}")
        return
    cases = _cases()

    verify_time = 0.0
    original: Callable[..., bool] = cose.verify

    def timed_verify(*a: Any) -> bool:
        nonlocal verify_time
        start = time.perf_counter()
        try:
            return original(*a)
        finally:
            verify_time += time.perf_counter() - start

    dcc.cose.verify = timed_verify  # type: ignore[assignment]
    full: list[float] = []
    valid = 0
    for _ in range(args.repeat):
        for text, trust, at in cases:
            start = time.perf_counter()
            check = dcc.check_dcc(text, trust, at)
            full.append(time.perf_counter() - start)
            valid += check.signature is SignatureState.VALID
    dcc.cose.verify = original  # type: ignore[assignment]

    empty = StaticTrust()
    decode_only: list[float] = []
    for _ in range(args.repeat):
        for text, _trust, at in cases:
            start = time.perf_counter()
            dcc.check_dcc(text, empty, at)
            decode_only.append(time.perf_counter() - start)

    ms = 1000.0
    total = sum(full)
    print(f"cases: {len(cases)} x {args.repeat} repeats = {len(full)} checks ({valid // args.repeat} verify)")
    print(f"full check   p50 {_percentile(full, 0.5) * ms:.3f} ms  p99 {_percentile(full, 0.99) * ms:.3f} ms"
          f"  mean {statistics.fmean(full) * ms:.3f} ms")
    print(f"decode only  p50 {_percentile(decode_only, 0.5) * ms:.3f} ms"
          f"  p99 {_percentile(decode_only, 0.99) * ms:.3f} ms")
    print(f"signature verification share of full-check time: {verify_time / total * 100:.1f} %")
    print(f"baseline ratio (full p50 / decode-only p50): "
          f"{_percentile(full, 0.5) / _percentile(decode_only, 0.5):.1f}x")
    _per_format(cases, args.repeat)


Check = Callable[[str, float], DccCheck]


def _nzcp_cases() -> tuple[Check, list[tuple[str, float]]]:
    iss, now = "did:web:bench.example.nz", 1_780_000_000
    key = nzcp_issue.new_key()
    doc = json.dumps(nzcp_issue.did_document(iss, {"key-1": key.public_key()}))
    issuers = [load_did_document(doc, iss)]
    texts = [(nzcp_issue.issue_nzcp(key, iss=iss, kid="key-1", nbf=now - 86_400, exp=now + 86_400,
                                    given_name=f"Visitor {i}"), float(now)) for i in range(100)]
    example = CORPUS.parent / "nzcp"
    if (example / "issuer" / ".well-known" / "did.json").is_file():
        nz = "did:web:nzcp.covid19.health.nz"
        issuers.append(load_did_document((example / "issuer" / ".well-known" / "did.json").read_text(), nz))
        texts.append(((example / "valid" / "nzcp.txt").read_text().strip(), _clock("2022-06-01T00:00:00Z")))
    trust = StaticIssuers(issuers)
    return (lambda text, at: check_nzcp(text, trust, at)), texts


def _shc_cases() -> tuple[Check, list[tuple[str, float]]]:
    iss, now = "https://bench.example.org/issuer", 1_780_000_000.0
    key, kid = shc_issue.new_key()
    issuers = [load_jwks(json.dumps(shc_issue.jwks({kid: key.public_key()})), iss)]
    texts = []
    for i in range(100):
        card = shc_issue.card_payload(iss, now - 86_400, [
            shc_issue.patient(f"Visitor{i}"), shc_issue.immunization("208", "2026-03-01"),
            shc_issue.immunization("208", "2026-03-29"),
        ], rid=f"rid{i}")
        texts.append((shc_issue.qr_texts(shc_issue.sign_card(card, key, kid))[0], now))
    example = CORPUS.parent / "shc"
    if (example / "issuer" / ".well-known" / "jwks.json").is_file():
        from kiosk.passes.issuer_files import load_issuer_path

        issuers.append(load_issuer_path("https://spec.smarthealth.cards/examples/issuer", example / "issuer"))
        text = (example / "examples" / "example-00-f-qr-code-numeric-value-0.txt").read_text().strip()
        texts.append((text, _clock("2024-06-01T00:00:00Z")))
    trust = StaticIssuers(issuers)
    return (lambda text, at: check_shc(text, trust, at)), texts


def _per_format(dcc_cases: list[tuple[str, StaticTrust, float]], repeat: int) -> None:
    rules = RulesConfig()
    trusts = {text: trust for text, trust, _ in dcc_cases}
    formats: dict[PassKind, tuple[Check, list[tuple[str, float]]]] = {
        PassKind.DCC: ((lambda text, at: dcc.check_dcc(text, trusts[text], at)),
                       [(t, at) for t, trust, at in dcc_cases if len(trust)]),
        PassKind.NZCP: _nzcp_cases(),
        PassKind.SHC: _shc_cases(),
    }
    print("\noffline check + decision, valid-signature passes only, per format:")
    for kind, (check, texts) in formats.items():
        times: list[float] = []
        verified = 0
        for _ in range(repeat):
            for text, at in texts:
                start = time.perf_counter()
                result = check(text, at)
                dcc_reason(result, at=at, rules=rules, revoked=False, kind=kind)
                elapsed = time.perf_counter() - start
                if result.signature is SignatureState.VALID:
                    times.append(elapsed)
                    verified += 1
        if not times:
            print(f"{kind:<5} no valid pass to time")
            continue
        print(f"{kind:<5} {verified:>6} checks  p50 {_percentile(times, 0.5) * 1000:.3f} ms"
              f"  p99 {_percentile(times, 0.99) * 1000:.3f} ms  max {max(times) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
