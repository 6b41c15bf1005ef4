"""A read-only connection to the kiosk data file for owner reports and exports.

It is separate from the app's `Database` so a long export neither waits for the
app's connection lock nor holds it: in WAL mode a reader sees one consistent
snapshot and never blocks the app's writes (and is not blocked by them, even while
the app holds its write lock).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kiosk.store.errors import NewerSchemaError, NotADatabaseError, StoreAccessError, translate_error
from kiosk.store.migrations import SCHEMA_VERSION

READ_BUSY_TIMEOUT_S = 2.0
KIOSK_TABLES = frozenset({"meta", "visits", "outbox", "manual_entries", "health_events", "audit_log"})


def schema_version_of(conn: sqlite3.Connection, path: Path) -> int:
    """The kiosk schema version of an open file; NotADatabaseError if it is no kiosk data file."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables >= KIOSK_TABLES:
        raise NotADatabaseError(f"{path} is not a kiosk data file (its tables are not the kiosk's)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        raise NotADatabaseError(f"{path} is not a kiosk data file (no readable schema version)") from None


def check_schema(version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was written by a newer version of the app (schema {version}; this version "
            f"understands up to {SCHEMA_VERSION}); update the app"
        )


@contextlib.contextmanager
def read_snapshot(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection inside one read transaction of the kiosk data file at `path`.

    Every query in the block sees the same snapshot (counts and rows agree).
    """
    path = Path(path)
    if not path.is_file():
        raise StoreAccessError(f"no kiosk data file at {path} (has the kiosk run on this machine?)")
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=READ_BUSY_TIMEOUT_S,
            isolation_level=None, check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from None
    try:
        try:
            conn.execute("BEGIN")
            check_schema(schema_version_of(conn, path), path)
        except sqlite3.Error as exc:
            raise translate_error(exc, path) from None
        yield conn
    finally:
        with contextlib.suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        conn.close()
