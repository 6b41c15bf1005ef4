"""The local copy of upstream's revocation list: SHA-256 hashes of revoked certificate ids.

Hashes only ever accumulate here: the list is what the offline path checks when
upstream is unreachable, so losing an entry would admit a revoked pass. The sync
cursor (upstream's own `until`, an opaque float on upstream's clock) lives in the
`meta` table so a restart resumes incrementally.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from kiosk.store.database import Database
from kiosk.store.meta import get_meta, set_meta

CURSOR_KEY = "revocations_cursor"

_HASH = re.compile(r"[0-9a-f]{64}")


def normalize_hash(value: str) -> str:
    """The stored form of a revocation hash (lowercase hex); ValueError if it is not SHA-256 hex."""
    digest = value.strip().lower()
    if not _HASH.fullmatch(digest):
        raise ValueError("a revocation hash must be 64 hexadecimal characters (SHA-256)")
    return digest


def add_revocations(db: Database, uci_hashes: Iterable[str], added_at: float) -> int:
    """Store the hashes not yet known; returns how many were new. Re-adding is a no-op.

    All hashes are validated before anything is written, so a bad entry adds nothing.
    """
    digests = sorted({normalize_hash(h) for h in uci_hashes})
    if not digests:
        return 0
    with db.transaction() as conn:
        before = conn.total_changes
        # OR IGNORE keeps the first added_at: when a revocation first reached this kiosk.
        conn.executemany(
            "INSERT OR IGNORE INTO revocations (uci_hash, added_at) VALUES (?, ?)",
            [(d, added_at) for d in digests],
        )
        return conn.total_changes - before


def is_revoked_hash(db: Database, uci_hash: str) -> bool:
    try:
        digest = normalize_hash(uci_hash)
    except ValueError:
        return False
    return db.scalar("SELECT 1 FROM revocations WHERE uci_hash = ?", (digest,)) is not None


def revocation_count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM revocations"))


def revocations_cursor(db: Database) -> float | None:
    """Upstream's `until` of the last successful sync; None before the first one."""
    value = get_meta(db, CURSOR_KEY)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        # An unreadable cursor only costs one full download, never a missed revocation.
        return None


def set_revocations_cursor(db: Database, until: float | None) -> None:
    """Remember `until` for the next incremental sync; None forgets it (next sync is a full one)."""
    if until is not None and not math.isfinite(until):
        raise ValueError("the revocations cursor must be a finite number")
    with db.transaction() as conn:
        set_meta(conn, CURSOR_KEY, None if until is None else repr(float(until)))
