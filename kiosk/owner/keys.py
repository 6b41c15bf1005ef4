"""The owner key pair on the kiosk: created once, the private key kept only wrapped.

The pair is `kiosk.store.sealing`'s X25519 construction (ephemeral X25519 + HKDF-SHA256
+ AES-256-GCM, both public keys bound into the KDF), already reviewed and tested for
manual entries; reusing it keeps one sealing format in the data file instead of adding
PyNaCl's SealedBox beside it.

The private key is wrapped with AES-256-GCM under a key derived by scrypt from a
secret: once from the PIN and once from the recovery code. The associated data binds
the wrapped key to its purpose and to the owner's public key, so a blob cannot be
swapped between rows or slots unnoticed.

Wrapped blob: version (1) | log2 n (1) | r (1) | p (1) | salt (16) | nonce (12) | ciphertext+tag (48).
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.errors import KioskError
from kiosk.owner.pin import DEFAULT_SCRYPT, ScryptParams
from kiosk.store.sealing import OwnerKeyPair, generate_owner_keypair

_VERSION = 1
_SALT_LEN = 16
_NONCE_LEN = 12
_HEADER_LEN = 4 + _SALT_LEN + _NONCE_LEN
_KEY_LEN = 32

RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 4
_RECOVERY_LEN = RECOVERY_GROUPS * RECOVERY_GROUP_LEN  # 24 base32 characters = 120 bits
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Hand-copied codes: digits that base32 lacks are read as the letters they resemble.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class WrapPurpose(StrEnum):
    PIN = "pin"
    RECOVERY = "recovery"


class KeyUnwrapError(KioskError):
    """The secret does not open the wrapped key (wrong secret or damaged data)."""

    key = "owner.key.unwrap_failed"


class RecoveryCodeFormatError(KioskError):
    key = "owner.recovery.format"


@dataclass(frozen=True, slots=True)
class WrappedKeys:
    public_key: bytes
    by_pin: bytes = field(repr=False)
    by_recovery: bytes = field(repr=False)


def new_recovery_code() -> str:
    """24 random base32 characters in groups of 4: `ABCD-EFGH-...` (120 bits, shown to the owner once)."""
    raw = "".join(secrets.choice(_BASE32) for _ in range(_RECOVERY_LEN))
    return format_recovery_code(raw)


def format_recovery_code(raw: str) -> str:
    g = RECOVERY_GROUP_LEN
    return "-".join(raw[i : i + g] for i in range(0, len(raw), g))


def normalize_recovery_code(text: str) -> str:
    """Canonical form of a typed code: case, spaces, hyphens and 0/1/8 look-alikes forgiven."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(cleaned) != _RECOVERY_LEN or any(c not in _BASE32 for c in cleaned):
        raise RecoveryCodeFormatError(
            f"a recovery code is {_RECOVERY_LEN} letters and digits 2-7, in groups of {RECOVERY_GROUP_LEN}",
        )
    return format_recovery_code(cleaned)


def public_key_of(private_key: bytes) -> bytes:
    return (
        X25519PrivateKey.from_private_bytes(private_key)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


def _aad(purpose: WrapPurpose, public_key: bytes, header: bytes) -> bytes:
    return b"venue-pass-kiosk/owner-key/v1|" + purpose.encode() + b"|" + public_key + header


def wrap_private_key(
    private_key: bytes,
    secret: str,
    purpose: WrapPurpose,
    params: ScryptParams = DEFAULT_SCRYPT,
) -> bytes:
    if len(private_key) != _KEY_LEN:
        raise ValueError("an X25519 private key is 32 bytes")
    salt = os.urandom(_SALT_LEN)
    nonce = os.urandom(_NONCE_LEN)
    header = bytes([_VERSION, params.log2_n, params.r, params.p]) + salt + nonce
    kek = params.derive(secret.encode("utf-8"), salt)
    return header + AESGCM(kek).encrypt(nonce, private_key, _aad(purpose, public_key_of(private_key), header))


def unwrap_private_key(blob: bytes, secret: str, purpose: WrapPurpose, public_key: bytes) -> bytes:
    """The private key, checked against `public_key`; KeyUnwrapError if the secret is wrong."""
    if len(blob) != _HEADER_LEN + _KEY_LEN + 16 or blob[0] != _VERSION:
        raise KeyUnwrapError("the stored owner key is not in a known format", key="owner.key.format")
    log2_n, r, p = blob[1], blob[2], blob[3]
    if log2_n < 10 or not ScryptParams(log2_n, r, p).within_limits():
        raise KeyUnwrapError("the stored owner key has invalid parameters", key="owner.key.format")
    header = blob[:_HEADER_LEN]
    salt = blob[4 : 4 + _SALT_LEN]
    nonce = blob[4 + _SALT_LEN : _HEADER_LEN]
    kek = ScryptParams(log2_n, r, p).derive(secret.encode("utf-8"), salt)
    try:
        private = AESGCM(kek).decrypt(nonce, blob[_HEADER_LEN:], _aad(purpose, public_key, header))
    except InvalidTag as exc:
        raise KeyUnwrapError("the owner key could not be opened: wrong secret or damaged data") from exc
    if public_key_of(private) != public_key:  # cannot happen unless the AAD check is broken
        raise KeyUnwrapError("the owner key does not match its public key", key="owner.key.mismatch")
    return private


def create_wrapped_keys(
    pin: str, recovery_code: str, params: ScryptParams = DEFAULT_SCRYPT
) -> tuple[WrappedKeys, OwnerKeyPair]:
    """A fresh owner pair, wrapped under the PIN and the recovery code (the pair is for tests and callers
    that need the private key right away; do not keep it)."""
    pair = generate_owner_keypair()
    code = normalize_recovery_code(recovery_code)
    wrapped = WrappedKeys(
        public_key=pair.public_key,
        by_pin=wrap_private_key(pair.private_key, pin, WrapPurpose.PIN, params),
        by_recovery=wrap_private_key(pair.private_key, code, WrapPurpose.RECOVERY, params),
    )
    return wrapped, pair


def public_key_text(public_key: bytes) -> str:
    """The base64 form used by `[privacy] owner_public_key`, for export to other kiosks of the venue."""
    return base64.b64encode(public_key).decode("ascii")
