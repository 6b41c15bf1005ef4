"""`kiosk restore FILE`: put a backup in place of the kiosk data file, keeping the old one.

The candidate is checked first (SQLite's full integrity check, the kiosk's tables,
a schema this version understands), so a wrong or damaged file changes nothing.
The current file is renamed with a timestamp, never deleted. The app must be
closed: the current file is switched out of WAL mode first, which SQLite allows
only when no other program has it open in a transaction, and that is the check.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from kiosk.owner_tools.atomic import OutputError, atomic_path, fsync_folder
from kiosk.owner_tools.backup import remove_sidecars
from kiosk.owner_tools.busy import OWNER_WAIT_S, KioskBusyError
from kiosk.owner_tools.reader import check_schema, schema_version_of
from kiosk.store.errors import CorruptDatabaseError, NotADatabaseError, StoreAccessError, translate_error


@dataclass(frozen=True, slots=True)
class RestoreResult:
    schema_version: int
    kept_old: Path | None  # where the replaced data file now is (None: there was none)


def check_backup(source: Path) -> int:
    """The schema version of a restorable kiosk backup; a specific StoreError otherwise."""
    source = Path(source)
    if not source.is_file():
        raise StoreAccessError(f"no file at {source}")
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise translate_error(exc, source) from None
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            raise CorruptDatabaseError(f"{source} is damaged ({len(rows)} problem(s)); nothing was restored")
        version = schema_version_of(conn, source)
        check_schema(version, source)
        return version
    except sqlite3.DatabaseError as exc:
        error = translate_error(exc, source)
        if isinstance(error, NotADatabaseError | CorruptDatabaseError):
            raise NotADatabaseError(f"{source} is not a kiosk data file; nothing was restored") from None
        raise error from None
    finally:
        conn.close()


def _release_current(db_path: Path) -> None:
    """Fold the WAL into the current file and leave it in rollback mode, or say the kiosk is busy."""
    conn = sqlite3.connect(db_path, timeout=OWNER_WAIT_S, isolation_level=None)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if busy or str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
    except sqlite3.Error as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise KioskBusyError(
                "the kiosk is busy: its data file is open in another program (close the kiosk app "
                "before restoring) and try again; nothing was restored"
            ) from None
        raise translate_error(exc, db_path) from None
    finally:
        conn.close()


def restore_database(db_path: Path, source: Path, *, now: float, tz: tzinfo) -> RestoreResult:
    version = check_backup(source)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    kept: Path | None = None
    with atomic_path(db_path) as temp:
        # Copy first, into the data folder: the swap below is then only renames.
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            src.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise OutputError(f"cannot copy {source} into the data folder: {type(exc).__name__}") from None
        finally:
            copy.close()
            src.close()
            remove_sidecars(temp)
        if db_path.exists():
            _release_current(db_path)
            stamp = datetime.fromtimestamp(now, tz).strftime("%Y%m%d-%H%M%S")
            kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            os.replace(db_path, kept)
            remove_sidecars(db_path)  # empty after the checkpoint; must not meet the new file
    fsync_folder(db_path.parent)
    return RestoreResult(version, kept)
