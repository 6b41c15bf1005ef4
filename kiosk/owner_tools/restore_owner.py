"""Whose owner row a restored data file carries, and with what PIN lockout.

A backup's owner row is a PIN hash and a key pair: a doctored backup brings an
attacker's PIN, and phone numbers recorded after the restore would be sealed to the
attacker's key. So the backup's owner is taken only when the person restoring proves
that backup's PIN (or its recovery code), and this kiosk's owner PIN too when it has an
owner (that try counts towards its lockout like any other). Otherwise this kiosk's owner
is kept; with none, the restored file has none and the window asks for the first-run
set-up. A restore never resets the PIN lockout: the stricter of the two files' states holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.clock import Clock
from kiosk.owner.account import OwnerAccount, PinOutcome
from kiosk.owner.keys import RecoveryCodeFormatError, normalize_recovery_code
from kiosk.owner.lockout import DEFAULT_LOCKOUT, LockoutState
from kiosk.owner.pin import verify_secret
from kiosk.owner_tools.restore_stage import Files
from kiosk.owner_tools.sealed_backup import BackupSecretError, is_pin_form
from kiosk.store.database import Database

OWNER_SQL = (
    "SELECT public_key, pin_hash, recovery_hash, failed_tries, locked_at, lock_s FROM owner WHERE id = 1"
)
# Past this many wrong PINs every lock is already the longest; more only risks overflow.
_MAX_TRIES = DEFAULT_LOCKOUT.free_tries + 32


class OwnerSource(StrEnum):
    BACKUP = "backup"
    CURRENT = "current"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class RestoreSecrets:
    """How a restore asks for the owners' secrets; each is asked only when needed, at most once."""

    backup_secret: Callable[[], str] = lambda: ""  # the backup owner's PIN or recovery code ("": none)
    current_pin: Callable[[str], str] = lambda _backup: ""  # this kiosk's owner PIN, given the backup's
    owner_key: bytes | None = field(default=None, repr=False)  # for a backup sealed to a key file
    keep_owner: bool = False  # never take the backup's owner (no PIN asked for it)


NO_SECRETS = RestoreSecrets()


@dataclass(frozen=True, slots=True)
class OwnerRow:
    public_key: bytes
    pin_hash: str = field(repr=False)
    recovery_hash: str = field(repr=False)
    lockout: LockoutState


@dataclass(frozen=True, slots=True)
class OwnerChoice:
    source: OwnerSource
    note: str  # what happened to the owner, for the restore's message
    lockout: LockoutState | None = None  # BACKUP: the lockout the restored row gets


def _number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def owner_of(rows: Sequence[Sequence[Any]]) -> OwnerRow | None:
    """The owner row from the result of OWNER_SQL (values checked: a backup's row may be doctored)."""
    if not rows:
        return None
    public_key, pin_hash, recovery_hash, tries, locked_at, lock_s = rows[0]
    lockout = LockoutState(
        int(min(max(_number(tries, 0), 0), _MAX_TRIES)),
        None if locked_at is None else _number(locked_at, 0.0),
        min(max(_number(lock_s, 0.0), 0.0), DEFAULT_LOCKOUT.cap_s),
    )
    key = bytes(public_key) if isinstance(public_key, bytes | memoryview) else b""
    return OwnerRow(key, str(pin_hash), str(recovery_hash), lockout)


def stricter(a: LockoutState, b: LockoutState, now: float) -> LockoutState:
    """The most wrong PINs of the two, and the lock that lasts longer."""
    lock = a if a.remaining(now) >= b.remaining(now) else b
    return LockoutState(max(a.failed_tries, b.failed_tries), lock.locked_at, lock.lock_s)


def _proves(row: OwnerRow, secret: str) -> bool:
    if is_pin_form(secret):
        return verify_secret(secret, row.pin_hash)
    try:
        return verify_secret(normalize_recovery_code(secret), row.recovery_hash)
    except RecoveryCodeFormatError:
        return False


def _check_current_pin(db: Database, clock: Clock, pin: str, files: Files) -> None:
    check = OwnerAccount(db, clock).check_pin(pin)
    if check.ok:
        return
    if check.outcome is PinOutcome.LOCKED or check.locked_for_s > 0:
        why = f"PIN entry on this kiosk is locked: try again in {check.locked_for_s:.0f} s"
    else:
        why = f"the PIN of this kiosk's owner is wrong ({check.tries_left} tries left before a pause)"
    raise BackupSecretError(files.refused(
        f"{why} (to restore it and keep this kiosk's owner, use --keep-owner)"
    ))


def _kept(current: OwnerRow | None, why: str) -> OwnerChoice:
    if current is None:
        return OwnerChoice(OwnerSource.NONE, f"{why}, so no owner PIN is set: set it up in the window")
    return OwnerChoice(OwnerSource.CURRENT, f"this kiosk's owner PIN and key are kept; {why}")


def choose_owner(
    backup: OwnerRow | None,
    current: OwnerRow | None,
    current_db: Database | None,
    secrets: RestoreSecrets,
    *,
    clock: Clock,
    files: Files,
) -> OwnerChoice:
    """Decide whose owner the restored file has; BackupSecretError (naming both files) for a wrong secret."""
    if backup is None:
        return _kept(current, "the backup has no owner")
    if current is not None and backup.public_key == current.public_key:
        return _kept(current, "the backup has the same owner")
    not_taken = "the backup's owner was not taken ({}); its manual entries stay sealed to that owner's key"
    if secrets.keep_owner:
        return _kept(current, not_taken.format("--keep-owner"))
    secret = secrets.backup_secret()
    if not secret:
        return _kept(current, not_taken.format("no PIN of that owner was given"))
    if not _proves(backup, secret):
        raise BackupSecretError(files.refused("the PIN or recovery code given is not its owner's"))
    now = clock.now()
    lockout = backup.lockout
    if current is not None:
        assert current_db is not None
        _check_current_pin(current_db, clock, secrets.current_pin(secret), files)
        after = owner_of(current_db.query(OWNER_SQL))
        lockout = stricter(lockout, (after or current).lockout, now)
    return OwnerChoice(OwnerSource.BACKUP, "the owner PIN and key are the backup's (its PIN was given)",
                       lockout)
