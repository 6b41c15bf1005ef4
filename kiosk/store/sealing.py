"""Sealing manual-entry PII (name, phone) so that only the venue owner can read it.

Anonymous public-key encryption: a fresh X25519 key per entry, ECDH with the
owner's public key, HKDF-SHA256 to an AES-256-GCM key. The kiosk holds only the
public key, so a stolen kiosk (or its data file) reveals no visitor's details.

Blob layout: version (1 byte) | ephemeral public key (32) | nonce (12) | ciphertext+tag.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.errors import KioskError
from kiosk.store.database import Database
from kiosk.store.errors import ConstraintError, UnknownVisitError

_VERSION = 1
_KEY_LEN = 32
_NONCE_LEN = 12
_TAG_LEN = 16
_HEADER_LEN = 1 + _KEY_LEN + _NONCE_LEN
_INFO = b"venue-pass-kiosk/manual-entry/v1"


class SealingError(KioskError):
    key = "store.sealing"


@dataclass(frozen=True, slots=True)
class OwnerKeyPair:
    public_key: bytes  # 32 raw bytes; configured on every kiosk
    private_key: bytes = field(repr=False)  # 32 raw bytes; stays with the owner, never on the kiosk


def _raw(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    if isinstance(key, X25519PrivateKey):
        return key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def generate_owner_keypair() -> OwnerKeyPair:
    private = X25519PrivateKey.generate()
    return OwnerKeyPair(public_key=_raw(private.public_key()), private_key=_raw(private))


def _derive(shared: bytes, ephemeral_pub: bytes, recipient_pub: bytes) -> bytes:
    # Binding both public keys into the salt ties the key to this exact exchange.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral_pub + recipient_pub, info=_INFO
    ).derive(shared)


def _public_key(public_key_bytes: bytes) -> X25519PublicKey:
    if len(public_key_bytes) != _KEY_LEN:
        raise SealingError("the owner public key must be 32 bytes (X25519)", key="store.sealing.bad_key")
    return X25519PublicKey.from_public_bytes(public_key_bytes)


def seal(public_key_bytes: bytes, plaintext: bytes) -> bytes:
    recipient = _public_key(public_key_bytes)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_pub = _raw(ephemeral.public_key())
    key = _derive(ephemeral.exchange(recipient), ephemeral_pub, public_key_bytes)
    nonce = os.urandom(_NONCE_LEN)
    header = bytes([_VERSION]) + ephemeral_pub + nonce
    return header + AESGCM(key).encrypt(nonce, plaintext, header)


def unseal(private_key_bytes: bytes, blob: bytes) -> bytes:
    """Open a sealed entry; SealingError if the key is wrong or a single bit was changed."""
    if len(private_key_bytes) != _KEY_LEN:
        raise SealingError("the owner private key must be 32 bytes (X25519)", key="store.sealing.bad_key")
    if len(blob) < _HEADER_LEN + _TAG_LEN or blob[0] != _VERSION:
        raise SealingError("not a sealed entry of a known format", key="store.sealing.format")
    ephemeral_pub = blob[1 : 1 + _KEY_LEN]
    nonce = blob[1 + _KEY_LEN : _HEADER_LEN]
    private = X25519PrivateKey.from_private_bytes(private_key_bytes)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_pub))
    except ValueError as exc:  # a low-order point from a tampered header
        raise SealingError(
            "the sealed entry could not be opened: wrong owner key or damaged data",
            key="store.sealing.open_failed",
        ) from exc
    key = _derive(shared, ephemeral_pub, _raw(private.public_key()))
    try:
        return AESGCM(key).decrypt(nonce, blob[_HEADER_LEN:], blob[:_HEADER_LEN])
    except InvalidTag as exc:
        raise SealingError(
            "the sealed entry could not be opened: wrong owner key or damaged data",
            key="store.sealing.open_failed",
        ) from exc


def record_manual_entry(db: Database, visit_id: str, sealed: bytes) -> None:
    """Store a sealed entry for an already-recorded visit (one per visit)."""
    try:
        with db.transaction() as conn:
            conn.execute("INSERT INTO manual_entries (visit_id, sealed) VALUES (?, ?)", (visit_id, sealed))
    except ConstraintError as exc:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.IntegrityError) and "FOREIGN KEY" in str(cause):
            raise UnknownVisitError(f"no visit {visit_id} to attach a manual entry to") from exc
        raise


def get_manual_entry(db: Database, visit_id: str) -> bytes | None:
    value = db.scalar("SELECT sealed FROM manual_entries WHERE visit_id = ?", (visit_id,))
    return None if value is None else bytes(value)
