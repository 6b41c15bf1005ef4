"""Auditing owner actions even while the app holds the data file's write lock.

An export must work beside the running kiosk (it only reads), yet it must be
audited. If the audit row cannot be written within a short wait, it goes to a
small fsynced journal beside the data file and is merged into `audit_log` by the
next owner command (or the app's maintenance) that can write. Entries carry
counts and parameters only, never personal data.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import StoreError
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.errors import translate_error

log = logging.getLogger(__name__)

PENDING_SUFFIX = ".audit-pending.jsonl"
AUDIT_BUSY_TIMEOUT_S = 1.0


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    stored: bool  # False: queued in the journal, to be merged later


def pending_journal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + PENDING_SUFFIX)


def record_owner_audit(
    db_path: Path, at: float, actor: str, action: str, detail: dict[str, Any]
) -> AuditOutcome:
    """Write one audit entry into the data file, or into the pending journal when it is busy."""
    line = json.dumps({"at": at, "actor": actor, "action": action, "detail": detail}, sort_keys=True)
    try:
        conn = sqlite3.connect(db_path, timeout=AUDIT_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                (at, actor, action, json.dumps(detail, sort_keys=True)),
            )
        finally:
            conn.close()
        return AuditOutcome(stored=True)
    except sqlite3.Error as exc:
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise translate_error(exc, db_path) from None
    _append_journal(pending_journal(db_path), line)
    log.info("audit entry queued: the data file is busy (action=%s)", action)
    return AuditOutcome(stored=False)


def _append_journal(journal: Path, line: str) -> None:
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def flush_pending_audit(db: Database) -> int:
    """Merge queued audit entries into `audit_log`; returns how many were merged.

    The journal is first renamed, so an entry appended meanwhile lands in a new
    journal instead of being lost when the merged one is deleted.
    """
    journal = pending_journal(db.path)
    if not journal.exists():
        return 0
    taken = journal.with_name(f"{journal.name}.{os.getpid()}.merging")
    try:
        os.replace(journal, taken)
    except FileNotFoundError:
        return 0
    entries = []
    for raw in taken.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            item = json.loads(raw)
            entries.append((float(item["at"]), str(item["actor"]), str(item["action"]), dict(item["detail"])))
    try:
        with db.transaction():
            for at, actor, action, detail in entries:
                record_audit(db, at, actor, action, detail)
    except StoreError:
        # Put the entries back for the next attempt; never drop an audit entry.
        with open(taken, encoding="utf-8") as src:
            for raw in src:
                _append_journal(journal, raw.rstrip("\n"))
        taken.unlink()
        raise
    taken.unlink()
    return len(entries)
