"""The one SQLite file of a kiosk: opening it safely and running transactions.

Durability before display: every commit is fsynced (WAL + synchronous=FULL)
before control returns, so a verdict on screen always has its visit on disk.
One connection per Database, guarded by a lock: the GUI worker thread and the
uploader thread share it, and SQLite connections are not safe to use concurrently.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.errors import StoreError
from kiosk.store.errors import CorruptDatabaseError, StoreAccessError, translate_error
from kiosk.store.migrations import MIGRATIONS, Migration, apply_migrations

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_S = 5.0


class Database:
    """An open kiosk data file. Create it with `open_database`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, schema_version: int) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._schema_version = schema_version
        self._savepoint_seq = 0

    @property
    def schema_version(self) -> int:
        return self._schema_version

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the kiosk data file {self.path} is already closed", key="store.closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction; committed (and fsynced) on normal exit.

        Nested use becomes a savepoint of the outer transaction. sqlite3 errors
        leave as specific StoreErrors and roll everything back.
        """
        with self._lock:
            conn = self._connection()
            nested = conn.in_transaction
            savepoint = ""
            try:
                if nested:
                    self._savepoint_seq += 1
                    savepoint = f"sp_{self._savepoint_seq}"
                    conn.execute(f"SAVEPOINT {savepoint}")
                else:
                    # IMMEDIATE takes the write lock up front, so a busy file fails
                    # here (after busy_timeout) instead of half-way through.
                    conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path) from exc
            try:
                yield conn
                conn.execute(f"RELEASE {savepoint}" if nested else "COMMIT")
            except BaseException as exc:
                self._undo(conn, nested, savepoint)
                if isinstance(exc, sqlite3.Error):
                    raise translate_error(exc, self.path) from exc
                raise

    @staticmethod
    def _undo(conn: sqlite3.Connection, nested: bool, savepoint: str) -> None:
        # SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
        if not conn.in_transaction:
            return
        try:
            if nested:
                conn.execute(f"ROLLBACK TO {savepoint}")
                conn.execute(f"RELEASE {savepoint}")
            else:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback failed", exc_info=True)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read and return all rows (columns by name or index)."""
        with self._lock:
            conn = self._connection()
            try:
                cursor = conn.cursor()
                cursor.row_factory = sqlite3.Row
                return cursor.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path) from exc

    def query_dicts(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run a read through sqlite-utils and return plain dicts (handy for export and JSON)."""
        with self._lock:
            utils = sqlite_utils.Database(self._connection(), execute_plugins=False)
            try:
                return list(utils.query(sql, params))
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path) from exc

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def integrity_check(self, *, full: bool = False) -> list[str]:
        """Problems found by SQLite's own checker; an empty list means the file is sound."""
        pragma = "integrity_check" if full else "quick_check"
        with self._lock:
            try:
                rows = self._connection().execute(f"PRAGMA {pragma}").fetchall()
            except sqlite3.DatabaseError as exc:
                return [str(exc)]
        problems = [str(row[0]) for row in rows]
        return [] if problems == ["ok"] else problems

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _prepare_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (PermissionError, FileExistsError, NotADirectoryError) as exc:
        raise StoreAccessError(
            f"cannot create the kiosk data folder {path.parent}: permission denied or not a folder"
        ) from exc
    except OSError as exc:
        raise StoreAccessError(f"cannot create the kiosk data folder {path.parent}: {exc.strerror}") from exc
    if path.is_dir():
        raise StoreAccessError(f"{path} is a folder, not a kiosk data file")


def _check_readable_database(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file before anything writes to it, so it can still be rescued."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise translate_error(exc, path) from exc
    if [str(r[0]) for r in rows] != ["ok"]:
        raise CorruptDatabaseError(
            f"the kiosk data file {path} is damaged ({len(rows)} problem(s) found by the integrity "
            "check); restore a backup (the file was left untouched)"
        )


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        # Some network or unusual file systems refuse WAL; FULL sync keeps commits durable anyway.
        log.warning("WAL journal not available (journal_mode=%s); continuing", mode)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def open_database(
    path: Path | str,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> Database:
    """Open (creating if needed) and migrate the kiosk data file at `path`.

    Raises a specific StoreError for a missing/unwritable folder, a file that is not
    SQLite, a damaged file, a full disk, a file locked too long, or a newer schema.
    """
    path = Path(path)
    _prepare_folder(path)
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        _check_readable_database(conn, path)
        _configure(conn, path)
        version = apply_migrations(conn, migrations)
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return Database(path, conn, version)
