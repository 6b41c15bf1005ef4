"""Offline DCC verification speed over the EU test corpus.

Prints p50/p99 milliseconds per pass for the full chain, the share of that time
spent in the signature check, and a decode-only baseline (no trusted key, so no
signature check). Run: .venv/bin/python benchmarks/verify.py [--repeat N]
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

from kiosk.passes import cose, dcc
from kiosk.passes.model import SignatureState
from kiosk.passes.signer import StaticTrust, load_signer_cert

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


if __name__ == "__main__":
    main()
