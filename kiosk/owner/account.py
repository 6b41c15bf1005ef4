"""The owner's account on this kiosk: first-run set-up, PIN checks with lockout, PIN change, recovery.

State lives in the `owner` table (one row) of the kiosk's data file. Every action is
written to `audit_log` with counts only: never the PIN, the code or a key.

All methods block for one or two scrypt runs (~60 ms each): the window calls them on
a worker thread, never on the GUI thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.clock import Clock
from kiosk.errors import KioskError
from kiosk.owner import keys
from kiosk.owner.lockout import DEFAULT_LOCKOUT, LockoutPolicy, claim_try, clear, current_state
from kiosk.owner.pin import (
    DEFAULT_SCRYPT,
    PinPolicyError,
    ScryptParams,
    check_pin_policy,
    hash_secret,
    verify_secret,
)
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.errors import ConstraintError

ACTOR = "owner"


class OwnerStateError(KioskError):
    """Set-up asked twice, or an action that needs an owner before first run."""

    key = "owner.state"


class PinRejectedError(KioskError):
    """A wrong PIN or a locked PIN entry; `check` says which and for how long."""

    key = "owner.pin.rejected"

    def __init__(self, check: PinCheck) -> None:
        locked = check.outcome is PinOutcome.LOCKED
        super().__init__(
            f"PIN entry is locked for {check.locked_for_s:.0f} s" if locked else "wrong PIN",
            key="owner.pin.locked" if locked else "owner.pin.wrong",
        )
        self.check = check


class RecoveryCodeError(KioskError):
    key = "owner.recovery.wrong"


class PinOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # not checked at all: entry is locked
    NOT_SET_UP = "not_set_up"


@dataclass(frozen=True, slots=True)
class PinCheck:
    outcome: PinOutcome
    tries_left: int  # wrong PINs allowed before the next lockout
    locked_for_s: float = 0.0  # > 0: PIN entry is closed this long (show a countdown)

    @property
    def ok(self) -> bool:
        return self.outcome is PinOutcome.OK


@dataclass(frozen=True, slots=True)
class OwnerStatus:
    set_up: bool
    locked_for_s: float
    tries_left: int
    holds_private_key: bool  # False when the owner keeps the private key off the kiosk


@dataclass(frozen=True, slots=True)
class SetupResult:
    recovery_code: str  # show once, never store or log
    public_key: bytes


@dataclass(frozen=True, slots=True)
class RecoveryResult:
    """A recovery code was used: it no longer works, and this one replaces it."""

    recovery_code: str = field(repr=False)  # show once, never store or log


class OwnerAccount:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        scrypt: ScryptParams = DEFAULT_SCRYPT,
        lockout: LockoutPolicy = DEFAULT_LOCKOUT,
        configured_public_key: bytes | None = None,
        installer_pin_hash: str = "",
    ) -> None:
        """`configured_public_key`: `[privacy] owner_public_key`; `installer_pin_hash`: `[admin] pin_hash`."""
        self._db = db
        self._clock = clock
        self._scrypt = scrypt
        self._lockout = lockout
        self._configured_key = configured_public_key
        self._installer_pin_hash = installer_pin_hash

    # --- reading ---

    def _row(self) -> sqlite3.Row | None:
        rows = self._db.query("SELECT * FROM owner WHERE id = 1")
        return rows[0] if rows else None

    def is_set_up(self) -> bool:
        return self._row() is not None

    def status(self) -> OwnerStatus:
        now = self._clock.now()
        state = current_state(self._db, now)
        if state is None:
            return OwnerStatus(False, 0.0, self._lockout.free_tries, False)
        row = self._row()
        assert row is not None  # the owner row is never deleted
        return OwnerStatus(
            True, state.remaining(now), self._lockout.tries_left(state), row["key_by_pin"] is not None
        )

    def sealing_key(self) -> bytes | None:
        """The public key manual entries are sealed to: the configured one wins, else the owner's."""
        if self._configured_key:
            return self._configured_key
        row = self._row()
        return None if row is None else bytes(row["public_key"])

    # --- first run ---

    def set_up(self, pin: str) -> SetupResult:
        """Create the owner: PIN hash, key pair (private key wrapped), recovery code shown once."""
        check_pin_policy(pin)
        if self._installer_pin_hash and not verify_secret(pin, self._installer_pin_hash):
            raise PinPolicyError(
                "this is not the PIN the installer set for this kiosk", key="owner.pin.not_installer"
            )
        if self.is_set_up():
            raise OwnerStateError("the owner PIN is already set", key="owner.already_set_up")
        code = keys.new_recovery_code()
        now = self._clock.now()
        if self._configured_key:
            # The owner keeps the private key elsewhere: nothing on the kiosk can open entries.
            public_key, by_pin, by_recovery = self._configured_key, None, None
        else:
            wrapped, _pair = keys.create_wrapped_keys(pin, code, self._scrypt)
            public_key, by_pin, by_recovery = wrapped.public_key, wrapped.by_pin, wrapped.by_recovery
        pin_hash = hash_secret(pin, self._scrypt)
        recovery_hash = hash_secret(code, self._scrypt)
        try:
            with self._db.transaction() as conn:
                conn.execute(
                    "INSERT INTO owner (id, pin_hash, recovery_hash, public_key, key_by_pin, "
                    "key_by_recovery, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                    (pin_hash, recovery_hash, public_key, by_pin, by_recovery, now, now),
                )
                record_audit(self._db, now, ACTOR, "owner.pin_set")
                record_audit(self._db, now, ACTOR, "owner.key_created", {"key_on_kiosk": by_pin is not None})
        except ConstraintError as exc:  # set up concurrently by another process
            raise OwnerStateError("the owner PIN is already set", key="owner.already_set_up") from exc
        return SetupResult(recovery_code=code, public_key=public_key)

    # --- PIN checks ---

    def check_pin(self, pin: str) -> PinCheck:
        """Check a PIN against the lockout rule; every outcome is audited (the PIN never is).

        The try is counted before scrypt runs and forgiven after if the PIN was right (see
        `kiosk.owner.lockout`): tries racing each other cannot get more checks than the rule allows.
        """
        now = self._clock.now()
        claim = claim_try(self._db, now, self._lockout)
        if claim is None:
            return PinCheck(PinOutcome.NOT_SET_UP, self._lockout.free_tries)
        if not claim.granted:
            found = claim.before
            return PinCheck(PinOutcome.LOCKED, self._lockout.tries_left(found), found.remaining(now))
        row = self._row()
        good = row is not None and verify_secret(pin, row["pin_hash"])
        state = claim.after
        with self._db.transaction() as conn:
            if good:
                clear(conn)
                record_audit(self._db, now, ACTOR, "owner.pin_ok")
                return PinCheck(PinOutcome.OK, self._lockout.free_tries)
            record_audit(self._db, now, ACTOR, "owner.pin_failed", {"failed_tries": state.failed_tries})
            if state.lock_s > 0:
                record_audit(
                    self._db,
                    now,
                    ACTOR,
                    "owner.lockout",
                    {"failed_tries": state.failed_tries, "seconds": state.lock_s},
                )
        return PinCheck(PinOutcome.WRONG, self._lockout.tries_left(state), state.remaining(now))

    def _require(self, pin: str) -> sqlite3.Row:
        check = self.check_pin(pin)
        if check.outcome is PinOutcome.NOT_SET_UP:
            raise OwnerStateError("the owner PIN is not set yet", key="owner.not_set_up")
        if not check.ok:
            raise PinRejectedError(check)
        row = self._row()
        assert row is not None  # the owner row is never deleted
        return row

    def unlock_private_key(self, pin: str) -> bytes:
        """The owner's private key, to open sealed entries; PinRejectedError on a wrong/locked PIN."""
        row = self._require(pin)
        if row["key_by_pin"] is None:
            raise OwnerStateError(
                "the owner's private key is not kept on this kiosk", key="owner.key.not_on_kiosk"
            )
        return keys.unwrap_private_key(
            bytes(row["key_by_pin"]), pin, keys.WrapPurpose.PIN, bytes(row["public_key"])
        )

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        """Check the old PIN (counted like any try), then re-wrap the private key under the new one."""
        check_pin_policy(new_pin)  # before the old PIN is tried: a policy slip costs no try
        row = self._require(old_pin)
        by_pin = None
        if row["key_by_pin"] is not None:
            public_key = bytes(row["public_key"])
            private = keys.unwrap_private_key(
                bytes(row["key_by_pin"]), old_pin, keys.WrapPurpose.PIN, public_key
            )
            by_pin = keys.wrap_private_key(private, new_pin, keys.WrapPurpose.PIN, self._scrypt)
        self._store_new_pin(new_pin, by_pin, "owner.pin_changed")

    def reset_pin_with_recovery(self, recovery_code: str, new_pin: str) -> RecoveryResult:
        """Forgotten PIN: the recovery code sets a new PIN, clears the lockout and is replaced.

        A used code was typed in front of staff (or read off its paper), so it stops working:
        a new code is returned to be shown once, and the private key (when kept here) is
        re-wrapped under the new PIN and the new code. All in one transaction.
        """
        check_pin_policy(new_pin)
        code = keys.normalize_recovery_code(recovery_code)
        row = self._row()
        if row is None:
            raise OwnerStateError("the owner PIN is not set yet", key="owner.not_set_up")
        used_hash = row["recovery_hash"]
        if not verify_secret(code, used_hash):
            record_audit(self._db, self._clock.now(), ACTOR, "owner.recovery_failed")
            raise RecoveryCodeError("this recovery code does not match this kiosk")
        new_code = keys.new_recovery_code()
        by_pin = by_recovery = None
        if row["key_by_recovery"] is not None:
            public_key = bytes(row["public_key"])
            private = keys.unwrap_private_key(
                bytes(row["key_by_recovery"]), code, keys.WrapPurpose.RECOVERY, public_key
            )
            by_pin = keys.wrap_private_key(private, new_pin, keys.WrapPurpose.PIN, self._scrypt)
            by_recovery = keys.wrap_private_key(private, new_code, keys.WrapPurpose.RECOVERY, self._scrypt)
        # scrypt runs before the write lock is taken: the transaction itself stays short.
        pin_hash = hash_secret(new_pin, self._scrypt)
        recovery_hash = hash_secret(new_code, self._scrypt)
        now = self._clock.now()
        with self._db.transaction() as conn:
            # Compare-and-swap on the hash: two resets racing with the same code (two
            # windows, or the window and a command) must not both succeed, or the first
            # one's new code would silently stop working.
            changed = conn.execute(
                "UPDATE owner SET pin_hash = ?, recovery_hash = ?, key_by_pin = COALESCE(?, key_by_pin), "
                "key_by_recovery = COALESCE(?, key_by_recovery), updated_at = ? "
                "WHERE id = 1 AND recovery_hash = ?",
                (pin_hash, recovery_hash, by_pin, by_recovery, now, used_hash),
            ).rowcount
            if changed != 1:
                raise RecoveryCodeError("this recovery code was used meanwhile")
            clear(conn)
            record_audit(self._db, now, ACTOR, "owner.recovery_used", {"code_rotated": True})
        return RecoveryResult(recovery_code=new_code)

    def _store_new_pin(self, new_pin: str, by_pin: bytes | None, action: str) -> None:
        now = self._clock.now()
        pin_hash = hash_secret(new_pin, self._scrypt)
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE owner SET pin_hash = ?, key_by_pin = COALESCE(?, key_by_pin), updated_at = ? "
                "WHERE id = 1",
                (pin_hash, by_pin, now),
            )
            clear(conn)
            record_audit(self._db, now, ACTOR, action)
