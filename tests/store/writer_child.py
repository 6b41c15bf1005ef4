"""What the killed-writer child processes share: their arguments, clock, random source and time limit.

The children run as `python -m tests.store.<writer> DB SEED` from the repository root.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import SystemClock

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
