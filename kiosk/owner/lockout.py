"""The owner PIN lockout: the rule, and the only SQL that reads or writes its state.

A try is made atomic without holding the write lock across scrypt (a visit waits at
most a quarter of a second for that lock): `claim_try` counts the try as a failure up
front in one short transaction, refusing it while entry is locked; the PIN is checked
outside any transaction; `clear` then forgives it in a second short transaction if it
was right. Thirty tries started at once therefore get exactly `free_tries` PIN checks,
and a try that starts while entry is locked is never checked at all.

The state lives in the `owner` row (`failed_tries`, `locked_at`, `lock_s`), so a restart
does not reset it.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass

from kiosk.store.database import Database


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After `free_tries` wrong PINs in a row each further wrong PIN locks entry for longer.

    The 5th wrong PIN locks for `base_s`, the 6th for twice that, and so on up to `cap_s`.
    A correct PIN resets the count.
    """

    free_tries: int = 5
    base_s: float = 30.0
    cap_s: float = 3600.0

    def lock_for(self, failed_tries: int) -> float:
        """Seconds to lock after the `failed_tries`-th consecutive wrong PIN (0 = no lock)."""
        if failed_tries < self.free_tries:
            return 0.0
        return min(self.base_s * 2 ** (failed_tries - self.free_tries), self.cap_s)

    def tries_left(self, state: LockoutState) -> int:
        # Past the free tries, every wrong PIN locks again: one try per lockout.
        return max(1, self.free_tries - state.failed_tries)


DEFAULT_LOCKOUT = LockoutPolicy()


@dataclass(frozen=True, slots=True)
class LockoutState:
    failed_tries: int = 0
    locked_at: float | None = None  # wall-clock epoch seconds (survives a restart)
    lock_s: float = 0.0

    def remaining(self, now: float) -> float:
        """Seconds until PIN entry opens again (a lock seen from before its start: all of it)."""
        if self.locked_at is None or self.lock_s <= 0:
            return 0.0
        return min(self.lock_s, max(0.0, self.lock_s - (now - self.locked_at)))

    def anchored(self, now: float) -> LockoutState:
        """The lock restarted at `now` when the wall clock reads earlier than its start.

        A clock set back (a year ahead by mistake, then corrected) would otherwise keep
        entry locked for as long as the clock stays behind; re-anchored, the lock ends
        after its length of elapsed time. A clock set forwards can shorten a lock, which
        only someone already past the kiosk shell can do.
        """
        if self.locked_at is not None and now < self.locked_at:
            return dataclasses.replace(self, locked_at=now)
        return self

    def after_failure(self, now: float, policy: LockoutPolicy) -> LockoutState:
        tries = self.failed_tries + 1
        lock = policy.lock_for(tries)
        return LockoutState(tries, now if lock else None, lock)


@dataclass(frozen=True, slots=True)
class Claim:
    """A try as `claim_try` left it: `granted` tries are counted as failed until cleared."""

    granted: bool
    before: LockoutState  # the state the try found (re-anchored)
    after: LockoutState  # the state now stored


_SELECT = "SELECT failed_tries, locked_at, lock_s FROM owner WHERE id = 1"


def _stored(conn: sqlite3.Connection) -> LockoutState | None:
    row = conn.execute(_SELECT).fetchone()
    return None if row is None else LockoutState(row[0], row[1], row[2])


def store_state(conn: sqlite3.Connection, state: LockoutState) -> None:
    """Write the lockout inside the caller's transaction (also a restore building a new file)."""
    conn.execute(
        "UPDATE owner SET failed_tries = ?, locked_at = ?, lock_s = ? WHERE id = 1",
        (state.failed_tries, state.locked_at, state.lock_s),
    )


def current_state(db: Database, now: float) -> LockoutState | None:
    """The lockout as seen at `now` (None: no owner yet), re-anchored on disk if need be."""
    rows = db.query(_SELECT)
    if not rows:
        return None
    state = LockoutState(rows[0][0], rows[0][1], rows[0][2])
    if state.anchored(now) == state:
        return state
    with db.transaction() as conn:
        found = _stored(conn)
        if found is None:
            return None
        state = found.anchored(now)
        store_state(conn, state)
    return state


def claim_try(db: Database, now: float, policy: LockoutPolicy) -> Claim | None:
    """Count one try as failed unless entry is locked (None: no owner yet); one short transaction."""
    with db.transaction() as conn:
        found = _stored(conn)
        if found is None:
            return None
        before = found.anchored(now)
        if before.remaining(now) > 0:
            if before != found:
                store_state(conn, before)
            return Claim(False, before, before)
        after = before.after_failure(now, policy)
        store_state(conn, after)
    return Claim(True, before, after)


def clear(conn: sqlite3.Connection) -> None:
    """Forget every failed try, inside the caller's transaction (a right PIN, a new PIN)."""
    conn.execute("UPDATE owner SET failed_tries = 0, locked_at = NULL, lock_s = 0 WHERE id = 1")
