"""Backups encrypted to the owner's key: opened with the owner PIN, the recovery code or the key file.

A backup holds the PIN hash, the PIN-wrapped owner key and the sealed phone numbers,
and often travels on a FAT stick where file modes do not apply. `kiosk backup` runs
unattended (no PIN at hand), so it encrypts to the owner's public key the way manual
entries are sealed: a random data key encrypts the SQLite bytes, and the data key is
sealed (`kiosk.store.sealing`) to the owner's X25519 key. The header also carries the
owner's private key exactly as the data file already keeps it, wrapped under
scrypt(PIN) and under the recovery code, so the owner can open the backup on a new PC
with either. A kiosk that keeps no private key (`[privacy] owner_public_key`) has no
wrapped key to carry: its backups open with the owner's key file.

The body is AES-256-GCM in chunks, so memory stays flat for any size. Chunk i uses
the nonce prefix | i | last-chunk flag and the whole header as associated data: a
changed header byte, a changed, reordered or dropped chunk and a cut-off end all fail.

File: magic (8) | version (1) | public key (32) | nonce prefix (7) | chunk size (4)
| sealed data key, key by PIN, key by recovery code (each a 2-byte length, then the
bytes; length 0 = absent) | chunks (chunk size bytes of plaintext + 16-byte tag each).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import KioskError
from kiosk.owner.keys import (
    KeyUnwrapError,
    RecoveryCodeFormatError,
    WrapPurpose,
    normalize_recovery_code,
    public_key_of,
    unwrap_private_key,
)
from kiosk.owner.pin import MAX_PIN_LENGTH
from kiosk.owner_tools.progress import CancelCheck, Cancelled, never_cancelled
from kiosk.store.sealing import SealingError, seal, unseal

MAGIC = b"VPKBACK\x00"
SQLITE_MAGIC = b"SQLite format 3\x00"
_VERSION = 1
_KEY_LEN = 32
_PREFIX_LEN = 7
_TAG_LEN = 16
_FIXED = struct.Struct(f">{len(MAGIC)}sB{_KEY_LEN}s{_PREFIX_LEN}sI")
_LENGTH = struct.Struct(">H")
_MAX_FIELD = 512  # a sealed key is 93 bytes, a wrapped one 80
CHUNK_BYTES = 1 << 20
_CHUNK_RANGE = (4096, 16 << 20)


class BackupFormatError(KioskError):
    """Not an encrypted kiosk backup of a known version, or changed since it was written."""

    key = "owner.backup.format"


class BackupSecretError(KioskError):
    """The PIN, recovery code or key file given does not open this backup."""

    key = "owner.backup.secret"


@dataclass(frozen=True, slots=True)
class BackupKey:
    """What a backup is encrypted to: the owner's public key and the private key as the kiosk keeps it."""

    public_key: bytes
    by_pin: bytes | None = field(default=None, repr=False)
    by_recovery: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class SealedHeader:
    key: BackupKey
    nonce_prefix: bytes
    chunk_bytes: int
    sealed_data_key: bytes = field(repr=False)
    raw: bytes = field(repr=False)  # the header's bytes: every chunk's associated data


def file_kind(path: Path) -> str:
    """'sealed', 'sqlite' or 'other', from the first bytes of a file (OSError if unreadable)."""
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(MAGIC):
        return "sealed"
    return "sqlite" if head == SQLITE_MAGIC else "other"


def _field(value: bytes | None) -> bytes:
    data = value or b""
    return _LENGTH.pack(len(data)) + data


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def seal_file(
    plain: Path, out: BinaryIO, key: BackupKey, *, cancelled: CancelCheck = never_cancelled
) -> None:
    """Write `plain` (a SQLite file) to `out` encrypted to `key`, one chunk in memory at a time."""
    data_key = AESGCM.generate_key(bit_length=256)
    prefix = os.urandom(_PREFIX_LEN)
    header = (
        _FIXED.pack(MAGIC, _VERSION, key.public_key, prefix, CHUNK_BYTES)
        + _field(seal(key.public_key, data_key))
        + _field(key.by_pin)
        + _field(key.by_recovery)
    )
    out.write(header)
    aead = AESGCM(data_key)
    with open(plain, "rb") as src:
        chunk = src.read(CHUNK_BYTES)
        index = 0
        while True:
            if cancelled():
                raise Cancelled("backup cancelled; nothing was written")
            after = src.read(CHUNK_BYTES)  # read ahead: the last chunk is marked as last
            out.write(aead.encrypt(_nonce(prefix, index, not after), chunk, header))
            if not after:
                return
            chunk, index = after, index + 1


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise BackupFormatError("the encrypted backup is cut short")
    return data


def read_header(f: BinaryIO) -> SealedHeader:
    fixed = _read_exact(f, _FIXED.size)
    magic, version, public_key, prefix, chunk_bytes = _FIXED.unpack(fixed)
    if magic != MAGIC:
        raise BackupFormatError("not an encrypted kiosk backup")
    if version != _VERSION:
        raise BackupFormatError(f"an encrypted backup of format {version}, which this version cannot open")
    if not _CHUNK_RANGE[0] <= chunk_bytes <= _CHUNK_RANGE[1]:
        raise BackupFormatError("the encrypted backup's header is damaged")
    fields, raw = [], fixed
    for _ in range(3):
        size_bytes = _read_exact(f, _LENGTH.size)
        (size,) = _LENGTH.unpack(size_bytes)
        if size > _MAX_FIELD:
            raise BackupFormatError("the encrypted backup's header is damaged")
        value = _read_exact(f, size)
        fields.append(value or None)
        raw += size_bytes + value
    sealed, by_pin, by_recovery = fields
    if sealed is None:
        raise BackupFormatError("the encrypted backup's header is damaged")
    return SealedHeader(BackupKey(public_key, by_pin, by_recovery), prefix, chunk_bytes, sealed, raw)


def is_pin_form(secret: str) -> bool:
    """A PIN is at most 12 ASCII digits; a recovery code is longer and has letters."""
    return len(secret) <= MAX_PIN_LENGTH and secret.isascii() and secret.isdigit()


def private_key_by_secret(key: BackupKey, secret: str) -> bytes:
    """The owner's private key from the header, unwrapped with the PIN or the recovery code."""
    if is_pin_form(secret):
        blob, purpose, text = key.by_pin, WrapPurpose.PIN, secret
    else:
        try:
            text = normalize_recovery_code(secret)
        except RecoveryCodeFormatError:
            raise BackupSecretError("that is neither a PIN (digits) nor a recovery code") from None
        blob, purpose = key.by_recovery, WrapPurpose.RECOVERY
    if blob is None:
        raise BackupSecretError(
            "this backup is encrypted to an owner key the kiosk did not keep: open it with --owner-key FILE"
        )
    try:
        return unwrap_private_key(blob, text, purpose, key.public_key)
    except KeyUnwrapError:
        what = "PIN" if purpose is WrapPurpose.PIN else "recovery code"
        raise BackupSecretError(f"this {what} does not open it (it is not its owner's)") from None


def open_file(
    f: BinaryIO, header: SealedHeader, private_key: bytes, out: BinaryIO, *, max_bytes: int
) -> int:
    """Decrypt the body after `header` into `out`; returns the plaintext size.

    Refuses (BackupFormatError) a changed or cut-off body and one larger than `max_bytes`.
    """
    if public_key_of(private_key) != header.key.public_key:
        raise BackupSecretError("this owner key file does not open it (it is encrypted to another key)")
    try:
        data_key = unseal(private_key, header.sealed_data_key)
    except SealingError:
        raise BackupFormatError("the encrypted backup's header was changed or damaged") from None
    if len(data_key) != _KEY_LEN:
        raise BackupFormatError("the encrypted backup's header was changed or damaged")
    aead = AESGCM(data_key)
    size = index = 0
    block = header.chunk_bytes + _TAG_LEN
    chunk = f.read(block)
    while True:
        after = f.read(block)
        try:
            plain = aead.decrypt(_nonce(header.nonce_prefix, index, not after), chunk, header.raw)
        except InvalidTag:
            raise BackupFormatError("it was changed or damaged after it was written") from None
        size += len(plain)
        if size > max_bytes:
            raise BackupFormatError("the encrypted backup holds more than a kiosk data file can be")
        out.write(plain)
        if not after:
            return size
        chunk, index = after, index + 1
