"""The staff PIN: who may answer staff checks and log visitors with no scannable pass.

Set by the owner, 4 to 6 digits, separate from the owner PIN and stored like it (a
scrypt hash, one row of `staff_pin`). Wrong tries are counted the way a queue cannot
cheat: one short transaction claims the try (as if wrong) before scrypt runs outside
any lock, a second clears the count on success, so two tries at once both count.
A lock started by a clock that was later set back is re-anchored to now, so it never
lasts longer than its length.

Unlike the owner's, the lockout never exceeds a minute (a guess at the door must not
lock staff out through the lunch rush) and the owner PIN lifts it (`lift`). Audited
with counts only: never the PIN.
"""

from __future__ import annotations

from kiosk.clock import Clock
from kiosk.owner import lockout
from kiosk.owner.account import OwnerAccount, PinCheck, PinOutcome
from kiosk.owner.lockout import LockoutPolicy, LockoutState
from kiosk.owner.pin import (
    DEFAULT_SCRYPT,
    MIN_PIN_LENGTH,
    PinPolicyError,
    ScryptParams,
    hash_secret,
    is_trivial_pin,
    verify_secret,
)
from kiosk.store.audit import record_audit
from kiosk.store.database import Database

MIN_STAFF_PIN = 4
MAX_STAFF_PIN = 6
STAFF_LOCKOUT = LockoutPolicy(free_tries=5, base_s=15.0, cap_s=60.0)
ACTOR = "staff"


def check_staff_pin_policy(pin: str) -> None:
    """Raise PinPolicyError (keys staff.pin.length / owner.pin.trivial) or return."""
    if not (pin.isascii() and pin.isdigit() and MIN_STAFF_PIN <= len(pin) <= MAX_STAFF_PIN):
        raise PinPolicyError(
            f"the staff PIN has {MIN_STAFF_PIN} to {MAX_STAFF_PIN} digits", key="staff.pin.length"
        )
    if is_trivial_pin(pin):
        raise PinPolicyError(
            "this PIN is too easy to guess (repeated or sequential digits)", key="owner.pin.trivial"
        )


class StaffPin:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        scrypt: ScryptParams = DEFAULT_SCRYPT,
        lockout: LockoutPolicy = STAFF_LOCKOUT,
    ) -> None:
        self._db = db
        self._clock = clock
        self._scrypt = scrypt
        self._lockout = lockout

    def is_set(self) -> bool:
        return bool(self._db.query("SELECT 1 FROM staff_pin WHERE id = 1"))

    def set_pin(self, pin: str) -> None:
        """The owner sets (or replaces) the staff PIN; the count starts afresh."""
        check_staff_pin_policy(pin)
        pin_hash = hash_secret(pin, self._scrypt)
        now = self._clock.now()
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO staff_pin (id, pin_hash, updated_at) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET pin_hash = excluded.pin_hash, failed_tries = 0, "
                "locked_at = NULL, lock_s = 0, updated_at = excluded.updated_at",
                (pin_hash, now),
            )
            record_audit(self._db, now, "owner", "staff.pin_set")

    def locked_for(self) -> float:
        now = self._clock.now()
        state = lockout.current_state(self._db, now, lockout.STAFF)
        return 0.0 if state is None else state.remaining(now)

    def check(self, pin: str) -> PinCheck:
        now = self._clock.now()
        claim = lockout.claim_try(self._db, now, self._lockout, lockout.STAFF)
        if claim is None:
            return PinCheck(PinOutcome.NOT_SET_UP, self._lockout.free_tries)
        if not claim.granted:
            return PinCheck(PinOutcome.LOCKED, self._tries_left(claim.before), claim.before.remaining(now))
        rows = self._db.query("SELECT pin_hash FROM staff_pin WHERE id = 1")
        good = bool(rows) and verify_secret(pin, str(rows[0][0]))  # outside any transaction
        state = claim.after  # this try already counted as wrong
        with self._db.transaction() as conn:
            if good:
                lockout.clear(conn, lockout.STAFF)
                record_audit(self._db, now, ACTOR, "staff.pin_ok")
                return PinCheck(PinOutcome.OK, self._lockout.free_tries)
            record_audit(self._db, now, ACTOR, "staff.pin_failed", {"failed_tries": state.failed_tries})
            if state.lock_s > 0:
                record_audit(self._db, now, ACTOR, "staff.lockout", {"seconds": state.lock_s})
        return PinCheck(PinOutcome.WRONG, self._tries_left(state), state.remaining(now))

    def lift(self) -> None:
        """The owner PIN was given: the staff lockout ends at once."""
        now = self._clock.now()
        with self._db.transaction() as conn:
            lockout.clear(conn, lockout.STAFF)
            record_audit(self._db, now, "owner", "staff.lockout_lifted")

    def _tries_left(self, state: LockoutState) -> int:
        return max(1, self._lockout.free_tries - state.failed_tries)


def unlock_staff(staff: StaffPin, owner: OwnerAccount, pin: str) -> PinCheck:
    """The staff tools open for the staff PIN, and for the owner's PIN when no staff PIN is
    set yet or the staff PIN is locked (the owner's lifts that lock). The owner PIN is not
    tried after a plain wrong staff PIN: guesses at the door must not count against it."""
    check = staff.check(pin)
    if check.ok or check.outcome is PinOutcome.WRONG or len(pin) < MIN_PIN_LENGTH:
        return check
    by_owner = owner.check_pin(pin)
    if by_owner.ok:
        if check.outcome is PinOutcome.LOCKED:
            staff.lift()
        return by_owner
    return by_owner if check.outcome is PinOutcome.NOT_SET_UP else check
