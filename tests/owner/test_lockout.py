"""The PIN lockout: its rule, and against someone trying to beat it (parallel tries, a clock set back).

The parallel tries run in real processes against one real data file, as 30 copies of
`kiosk export --with-phones --pin-stdin` started at once would.
"""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.clock import ManualClock, SystemClock
from kiosk.owner.account import OwnerAccount, PinOutcome
from kiosk.owner.lockout import LockoutPolicy, LockoutState
from kiosk.owner.pin import DEFAULT_SCRYPT
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN

# fork: each child starts at once (no fresh interpreter to import) and opens its own connection.
_FORK = multiprocessing.get_context("fork")


def test_lockout_grows_from_the_fifth_wrong_try_and_is_capped() -> None:
    policy = LockoutPolicy(free_tries=5, base_s=30, cap_s=600)
    assert [policy.lock_for(n) for n in range(1, 11)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 600]


def test_lockout_remaining_counts_down_and_restarts_when_seen_from_before_its_start() -> None:
    state = LockoutState(failed_tries=5, locked_at=1000.0, lock_s=30.0)
    assert state.remaining(1000.0) == 30.0
    assert state.remaining(1020.0) == 10.0
    assert state.remaining(1031.0) == 0.0
    assert state.remaining(500.0) == 30.0  # wall clock moved back: the whole lock, not hours
    assert state.anchored(500.0) == LockoutState(5, 500.0, 30.0)
    assert state.anchored(1010.0) is state


def _try_pin(path: str, pin: str, start: object, results: object) -> None:
    db = open_database(path)
    try:
        account = OwnerAccount(db, SystemClock())
        start.wait(timeout=30)  # type: ignore[attr-defined]
        results.put(str(account.check_pin(pin).outcome))  # type: ignore[attr-defined]
    finally:
        db.close()


def _race(path: Path, pins: list[str]) -> list[str]:
    """Every PIN tried at the same moment, each by its own process; their outcomes."""
    start = _FORK.Barrier(len(pins))
    results = _FORK.Queue()
    procs = [_FORK.Process(target=_try_pin, args=(str(path), pin, start, results)) for pin in pins]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    return sorted(outcomes)


def _failed_tries(db: Database) -> int:
    return int(db.scalar("SELECT failed_tries FROM owner"))


def test_thirty_parallel_wrong_pins_count_at_most_five_and_the_lock_holds(
    db_path: Path, db: Database
) -> None:
    # The production scrypt cost: the PIN check takes as long as on a kiosk, so the
    # processes really overlap (the cost travels with the hash).
    OwnerAccount(db, SystemClock(), scrypt=DEFAULT_SCRYPT).set_up(GOOD_PIN)

    outcomes = _race(db_path, [OTHER_PIN] * 30)
    assert outcomes.count("wrong") == 5
    assert outcomes.count("locked") == 25
    assert _failed_tries(db) == 5
    assert [e.action for e in audit_entries(db)].count("owner.pin_failed") == 5

    # Locked now: the right PIN, tried ten times at once, is never accepted.
    assert _race(db_path, [GOOD_PIN] * 10) == ["locked"] * 10
    assert _failed_tries(db) == 5
    assert "owner.pin_ok" not in [e.action for e in audit_entries(db)]


class _TogetherClock(ManualClock):
    """Holds each thread at its first reading of the time until `parties` threads have read it."""

    def __init__(self, start: float, parties: int) -> None:
        super().__init__(start)
        self._barrier = threading.Barrier(parties)
        self._waited = threading.local()

    def now(self) -> float:
        if not getattr(self._waited, "done", False):
            self._waited.done = True
            self._barrier.wait(timeout=30)
        return super().now()


def test_two_wrong_pins_racing_count_as_two_failures(db_path: Path, db: Database) -> None:
    OwnerAccount(db, ManualClock(), scrypt=DEFAULT_SCRYPT).set_up(GOOD_PIN)
    for round_ in (1, 2):
        clock = _TogetherClock(1_780_000_000.0, 2)
        outcomes: list[PinOutcome] = []

        def attempt(clock: ManualClock = clock, outcomes: list[PinOutcome] = outcomes) -> None:
            # Each try on its own connection, as two processes (the window and a command) would.
            with open_database(db_path) as own:
                outcomes.append(OwnerAccount(own, clock).check_pin(OTHER_PIN).outcome)

        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert outcomes == [PinOutcome.WRONG, PinOutcome.WRONG]
        assert _failed_tries(db) == 2 * round_


def _epoch(year: int) -> float:
    return datetime(year, 6, 1, 12, tzinfo=UTC).timestamp()


def test_a_lock_made_under_a_clock_ahead_ends_after_its_length_once_the_clock_is_set_back(
    db: Database,
) -> None:
    clock = ManualClock(_epoch(2033))
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    lock_s = account.status().locked_for_s
    assert lock_s == 30
    clock.set_wall(_epoch(2026))  # the clock was years ahead; NTP or the owner corrects it
    assert account.check_pin(GOOD_PIN).outcome is PinOutcome.LOCKED
    clock.advance(lock_s - 1)
    refused = account.check_pin(GOOD_PIN)
    assert refused.outcome is PinOutcome.LOCKED and refused.locked_for_s == pytest.approx(1)
    clock.advance(1)
    assert account.check_pin(GOOD_PIN).ok



def test_the_status_counts_a_lock_seen_from_a_clock_set_back_down_from_then(db: Database) -> None:
    # The owner page shows the countdown from the status alone, before any new try.
    clock = ManualClock(_epoch(2033))
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    clock.set_wall(_epoch(2026))
    assert account.status().locked_for_s == 30
    clock.advance(10)
    assert account.status().locked_for_s == 20
    clock.advance(20)
    assert account.status().locked_for_s == 0 and account.check_pin(GOOD_PIN).ok
