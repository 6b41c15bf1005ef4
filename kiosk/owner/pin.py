"""The owner PIN: policy, scrypt hash and constant-time check.

Pure functions and values only; the lockout rule and its state are in
`kiosk.owner.lockout`. The PIN itself is never logged, stored or put into an exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from itertools import pairwise

from kiosk.errors import KioskError

MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 12


class PinPolicyError(KioskError):
    """A new PIN that is not acceptable; `key` says why (translated by the screen)."""

    key = "owner.pin.policy"


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost. n = 2**14, r = 8 takes ~56 ms and 16 MiB on the reference 2-core machine.

    Kept below 100 ms so that a PIN check feels instant even on a slow tablet; the
    window still runs it on a worker. The cost of a slow hash for a 6-digit PIN is in
    docs/decisions/0044-owner-key-wrapping.md (it does not stop an offline attacker with the data file).
    """

    log2_n: int = 14
    r: int = 8
    p: int = 1

    def within_limits(self) -> bool:
        """Whether a stored hash or wrapped key with these settings may be computed at all.

        The settings travel with what is stored, so a damaged or doctored data file (a
        restored backup) chooses them: without a bound it could make a PIN check allocate
        4 GB (log2_n 20, r 32) or run for minutes (p 16). Allowed: up to 256 MiB and 16
        times the default work, room for the cost to grow on faster machines.
        """
        if not (1 <= self.log2_n <= 20 and 1 <= self.r <= 32 and 1 <= self.p <= 16):
            return False
        n = 1 << self.log2_n
        return 128 * self.r * n <= MAX_SCRYPT_MEMORY and n * self.r * self.p <= MAX_SCRYPT_WORK

    def derive(self, secret: bytes, salt: bytes, length: int = 32) -> bytes:
        n = 1 << self.log2_n
        # hashlib's default maxmem (32 MiB) is exactly what n=2**15 needs and fails; allow headroom.
        maxmem = 128 * self.r * (n + self.p + 2) + (1 << 20)
        return hashlib.scrypt(secret, salt=salt, n=n, r=self.r, p=self.p, maxmem=maxmem, dklen=length)


DEFAULT_SCRYPT = ScryptParams()
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
MAX_SCRYPT_WORK = 16 * (1 << DEFAULT_SCRYPT.log2_n) * DEFAULT_SCRYPT.r * DEFAULT_SCRYPT.p
_SALT_LEN = 16
_SCHEME = "scrypt"


# Frequent 6-digit choices that the rules above do not catch (keypad patterns, pairs).
_COMMON = frozenset({"112233", "147258", "258369", "159753", "000001", "111222", "654321", "123321"})


def _digits_only(pin: str) -> bool:
    # str.isdigit() accepts "²" and Arabic-Indic digits; a keypad PIN is ASCII 0-9.
    return pin.isascii() and pin.isdigit()


def is_trivial_pin(pin: str) -> bool:
    if len(set(pin)) == 1:  # 000000, 777777
        return True
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({1}, {-1}):  # 123456, 987654 (and 456789...)
        return True
    # A short unit repeated (121212, 123123) leaves only a few hundred likely PINs.
    if any(len(pin) % k == 0 and pin == pin[:k] * (len(pin) // k) for k in (2, 3)):
        return True
    return pin in _COMMON


def check_pin_policy(pin: str) -> None:
    """Raise PinPolicyError (keys owner.pin.not_digits / too_short / too_long / trivial) or return."""
    if pin and not _digits_only(pin):
        raise PinPolicyError("the PIN may contain digits 0-9 only", key="owner.pin.not_digits")
    if len(pin) < MIN_PIN_LENGTH:
        raise PinPolicyError(
            f"the PIN needs at least {MIN_PIN_LENGTH} digits",
            key="owner.pin.too_short",
            detail=str(MIN_PIN_LENGTH),
        )
    if len(pin) > MAX_PIN_LENGTH:
        raise PinPolicyError(
            f"the PIN may have at most {MAX_PIN_LENGTH} digits",
            key="owner.pin.too_long",
            detail=str(MAX_PIN_LENGTH),
        )
    if is_trivial_pin(pin):
        raise PinPolicyError(
            "this PIN is too easy to guess (repeated or sequential digits)", key="owner.pin.trivial"
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str, params: ScryptParams = DEFAULT_SCRYPT, salt: bytes | None = None) -> str:
    """`scrypt$log2n$r$p$salt$hash` (base64): parameters travel with the hash, so they can grow later."""
    salt = os.urandom(_SALT_LEN) if salt is None else salt
    digest = params.derive(secret.encode("utf-8"), salt)
    return f"{_SCHEME}${params.log2_n}${params.r}${params.p}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, encoded: str) -> bool:
    """Constant-time comparison against a stored hash; False for a malformed hash too."""
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return False
    try:
        params = ScryptParams(log2_n=int(parts[1]), r=int(parts[2]), p=int(parts[3]))
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not params.within_limits() or not expected:
        return False  # a hash from a damaged or hostile file must not make the kiosk allocate gigabytes
    actual = params.derive(secret.encode("utf-8"), salt, len(expected))
    return hmac.compare_digest(actual, expected)
