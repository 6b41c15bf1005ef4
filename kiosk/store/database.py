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
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.errors import StoreError
from kiosk.paths import COMMAND, data_files, make_private, private_folder
from kiosk.store.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    NewerSchemaError,
    StoreAccessError,
    translate_error,
)
from kiosk.store.kept_copies import copy_before_upgrade, newest_readable_copy
from kiosk.store.migrations import MIGRATIONS, Migration, apply_migrations

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_S = 5.0
# A writer waiting for another process's lock re-checks this often, letting reads in between.
_BUSY_SLICE_S = 0.02


class Database:
    """An open kiosk data file. Create it with `open_database`."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        schema_version: int,
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> None:
        self.path = path
        self._busy_timeout_s = busy_timeout_s
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._schema_version = schema_version
        self._savepoint_seq = 0
        # The lock wait (ms) last given to SQLite by `_begin`; None: unknown (not set by it yet,
        # or `lock_wait` changed it meanwhile). Setting it again only when it changes saves a
        # statement per transaction.
        self._busy_ms: int | None = None

    @property
    def schema_version(self) -> int:
        return self._schema_version

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the kiosk data file {self.path} is already closed", key="store.closed")
        return self._conn

    @contextmanager
    def transaction(self, *, wait_s: float | None = None) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction; committed (and fsynced) on normal exit.

        `wait_s` bounds how long to wait for the write lock (default: the busy timeout
        the file was opened with); past it DatabaseBusyError leaves, so the verdict path
        can fall back to the visit journal instead of stalling. Nested use becomes a
        savepoint of the outer transaction. sqlite3 errors leave as specific StoreErrors
        and roll everything back.
        """
        conn, nested, savepoint = self._begin(self._busy_timeout_s if wait_s is None else wait_s)
        try:
            yield conn
            conn.execute(f"RELEASE {savepoint}" if nested else "COMMIT")
        except BaseException as exc:
            self._undo(conn, nested, savepoint)
            if isinstance(exc, sqlite3.Error):
                raise translate_error(exc, self.path) from exc
            raise
        finally:
            self._lock.release()

    def _begin(self, wait_s: float) -> tuple[sqlite3.Connection, bool, str]:
        """Take the connection lock and the write lock within `wait_s`; returns holding both.

        The write lock is tried in short slices with the connection lock released in
        between: a writer waiting out another process's lock must not block this
        process's reads (trust look-ups, revocation checks) on the verdict path.
        """
        deadline = time.monotonic() + max(0.0, wait_s)
        while True:
            remaining = deadline - time.monotonic()
            if not self._lock.acquire(timeout=max(0.0, remaining)):
                raise self._busy()
            try:
                conn = self._connection()
                if conn.in_transaction:
                    self._savepoint_seq += 1
                    savepoint = f"sp_{self._savepoint_seq}"
                    conn.execute(f"SAVEPOINT {savepoint}")
                    return conn, True, savepoint
                slice_ms = int(max(0.0, min(remaining, _BUSY_SLICE_S)) * 1000)
                if slice_ms != self._busy_ms:
                    self._busy_ms = None  # unknown should the PRAGMA fail
                    conn.execute(f"PRAGMA busy_timeout = {slice_ms}")
                    self._busy_ms = slice_ms
                # IMMEDIATE takes the write lock up front, so a busy file fails
                # here instead of half-way through.
                conn.execute("BEGIN IMMEDIATE")
                return conn, False, ""
            except sqlite3.Error as exc:
                self._lock.release()
                error = translate_error(exc, self.path)
                if isinstance(error, DatabaseBusyError) and time.monotonic() < deadline:
                    continue
                raise error from exc
            except BaseException:
                self._lock.release()
                raise

    def _busy(self) -> DatabaseBusyError:
        return DatabaseBusyError(
            f"the kiosk data file {self.path} stayed locked by another program for too long; "
            "close other copies of the kiosk and try again"
        )

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

    @contextmanager
    def lock_wait(self, ms: int) -> Iterator[None]:
        """Statements run outside a transaction meanwhile (a checkpoint) wait at most `ms` for
        a lock; the wait before is restored after."""
        with self._lock:
            conn = self._connection()
            previous = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
            self._busy_ms = None
            conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            with self._lock:
                self._busy_ms = None  # a transaction meanwhile may have set its own
                conn.execute(f"PRAGMA busy_timeout = {previous}")

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


def lenient_text(value: object) -> str:
    """Text read as bytes (`CAST(col AS BLOB)`), damaged UTF-8 shown as replacement marks.

    For what the owner is shown: a row is often set aside *because* its text is not
    UTF-8, and reading such a column as TEXT fails the whole query.
    """
    if value is None:
        return ""
    return bytes(value).decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def on_disk(path: Path | str) -> bool:
    """False for SQLite's in-memory names (the fleet simulation): no folder, no files beside it."""
    text = str(path)
    return not (text in (":memory:", "") or text.startswith("file::memory:"))


def _prepare_folder(path: Path) -> None:
    if not on_disk(path):
        return
    try:
        private_folder(path.parent)
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


def connect_database(
    path: Path | str,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S,
    migrations: Sequence[Migration] = MIGRATIONS,
    cached_statements: int = 128,
) -> Database:
    """Open (creating if needed) and migrate the kiosk data file at `path`, journal untouched.

    The app opens through `kiosk.store.opening.open_database`, which also brings home
    visits journalled while the file was locked.

    `cached_statements`: compiled statements kept per connection (sqlite3's default); the
    fleet simulation, with thousands of connections in one process, keeps fewer.

    Raises a specific StoreError for a missing/unwritable folder, a file that is not
    SQLite, a damaged file, a full disk, a file locked too long, or a newer schema.
    """
    path = Path(path)
    _prepare_folder(path)
    try:
        conn = sqlite3.connect(
            path,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            cached_statements=cached_statements,
        )
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    if on_disk(path):
        # SQLite made a new file 0644 (umask 022), and gives its -wal and -shm the data
        # file's mode: tightened here, before anything is written, they are all private.
        for file in data_files(path):
            make_private(file)
    try:
        _check_readable_database(conn, path)
        _configure(conn, path)
        version = apply_migrations(conn, migrations, before_upgrade=_keeper(path))
    except NewerSchemaError as exc:
        conn.close()
        raise _with_copy(exc, path, len(migrations)) from None
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return Database(path, conn, version, busy_timeout_s=busy_timeout)


def _keeper(path: Path) -> Callable[[sqlite3.Connection, int], object] | None:
    if not on_disk(path):
        return None
    return lambda conn, version: copy_before_upgrade(conn, path, version)


def _with_copy(exc: NewerSchemaError, path: Path, readable_up_to: int) -> NewerSchemaError:
    copy = newest_readable_copy(path, readable_up_to) if on_disk(path) else None
    if copy is None:
        return exc
    return NewerSchemaError(
        f"{exc.message}, or restore the copy kept before that upgrade: {COMMAND} restore {copy}"
    )


def memory_copy(template: Database, *, cached_statements: int = 128) -> Database:
    """A new in-memory data file holding a copy of `template` (schema and rows).

    For simulations that open thousands of kiosk databases: copying a migrated one is
    much cheaper than migrating each (7 ms each, 35 s for a 5,000-kiosk fleet).
    """
    conn = sqlite3.connect(
        ":memory:", isolation_level=None, check_same_thread=False, cached_statements=cached_statements
    )
    template._connection().backup(conn)
    # The per-connection settings `_configure` makes (an in-memory file has no WAL).
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(Path(":memory:"), conn, template.schema_version)
