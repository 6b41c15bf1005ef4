"""The killed-writer tests: a child records visits and prints each id ("the verdict was shown")
until the parent kills it. The child's side reads its arguments, clock, random source and time
limit here; the parent's side starts it as `python -m tests.store.<writer> DB SEED` from the
repository root and collects what it printed before the kill.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kiosk.clock import SystemClock

REPO = Path(__file__).resolve().parents[2]
# An orphaned writer (parent gone) must not run forever.
_MAX_SECONDS = 30.0


@dataclass(frozen=True)
class ChildRun:
    db_path: Path
    seed: int
    clock: SystemClock
    rng: random.Random
    started: float

    @classmethod
    def from_argv(cls, argv: list[str]) -> ChildRun:
        clock = SystemClock()
        seed = int(argv[2])
        return cls(Path(argv[1]), seed, clock, random.Random(seed), clock.monotonic())

    def running(self) -> bool:
        return self.clock.monotonic() - self.started < _MAX_SECONDS


def start_writer(module: str, db_path: Path, seed: int, stderr: IO[str] | int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module, str(db_path), str(seed)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=REPO,
        text=True,
    )


def printed_until_killed(
    proc: subprocess.Popen[str], pause_s: float, *, read_first: bool = True
) -> list[str]:
    """Let the writer run `pause_s` more (after its first visit when `read_first`), kill it,
    and return every visit id it printed."""
    assert proc.stdout is not None
    first = ""
    if read_first:
        first = proc.stdout.readline()
        assert first, "writer died before its first visit"
    time.sleep(pause_s)
    proc.kill()
    # Read through the same buffered pipe object as readline() did, or lines it
    # already buffered would be lost (communicate() reads the raw descriptor).
    out = proc.stdout.read()
    proc.stdout.close()
    proc.wait(timeout=20)
    return (first + out).split()
