"""Cost of the owner's secrets: scrypt per PIN check, first-run set-up, unlocking the key, a sealed entry.

Prints figures; asserts nothing. Usage: python benchmarks/owner.py [N]
The window runs all of these on a worker; the figures say how long the PIN pad shows
"Checking…" and what one guess costs an attacker who copied the data file.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.clock import SystemClock
from kiosk.owner.account import OwnerAccount
from kiosk.owner.manual_entry import ManualAnswer, ManualRecorder
from kiosk.owner.pin import DEFAULT_SCRYPT, ScryptParams, hash_secret, verify_secret
from kiosk.store.opening import open_database

PIN = "480317"


def _time(label: str, n: int, fn: Callable[[], object]) -> float:
    ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    p50 = statistics.median(ms)
    print(f"{label:<44} n={n:3d}  p50={p50:7.1f} ms  max={max(ms):7.1f} ms")
    return p50


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for log2_n in (13, 14, 15, 16):
        params = ScryptParams(log2_n=log2_n)
        stored = hash_secret(PIN, params)
        mark = "  <- default" if params == DEFAULT_SCRYPT else ""
        _time(
            f"scrypt n=2^{log2_n} r=8 p=1 ({128 * 8 * 2**log2_n >> 20} MiB){mark}",
            n,
            lambda s=stored: verify_secret(PIN, s),
        )
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        clock = SystemClock()
        db = open_database(Path(tmp) / "kiosk.db")
        account = OwnerAccount(db, clock)
        t0 = time.perf_counter()
        account.set_up(PIN)
        setup_ms = (time.perf_counter() - t0) * 1000
        print(f"{'first-run set-up (key pair, 2 wraps, 2 hashes)':<44} {setup_ms:7.1f} ms")
        check = _time("PIN check (scrypt + audit commit)", n, lambda: account.check_pin(PIN))
        _time("unlock private key (check + unwrap)", n, lambda: account.unlock_private_key(PIN))
        recorder = ManualRecorder(
            db, clock=clock, rng=random.Random(1), kiosk_id="bench", sealing_key=account.sealing_key
        )
        _time(
            "manual answer with sealed phone (commit)",
            n,
            lambda: recorder.record_manual(ManualAnswer(True, "010-2345-6789")),
        )
        db.close()
    days = 10**6 * check / 1000 / 86_400
    print(
        f"offline search of all 6-digit PINs at this cost: {days:.1f} CPU-days on one core "
        "(a GPU/ASIC farm is much faster: the PIN alone does not protect a stolen data file)"
    )


if __name__ == "__main__":
    main()
