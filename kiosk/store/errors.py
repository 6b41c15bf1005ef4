"""Store failures a user may see, and the translation of raw SQLite errors into them.

Messages name the data file (the owner needs to know which one) but never carry
row contents, so nothing personal can leak through an error.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from kiosk.errors import StoreError

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_CONSTRAINT = 19
_SQLITE_NOTADB = 26


class StoreAccessError(StoreError):
    key = "store.access_denied"


class NotADatabaseError(StoreError):
    key = "store.not_a_database"


class CorruptDatabaseError(StoreError):
    key = "store.corrupt"


class DiskFullError(StoreError):
    key = "store.disk_full"


class DatabaseBusyError(StoreError):
    key = "store.busy"


class NewerSchemaError(StoreError):
    key = "store.newer_schema"


class StoreIOError(StoreError):
    key = "store.io"


class ConstraintError(StoreError):
    key = "store.constraint"


class UnknownVisitError(StoreError):
    key = "store.unknown_visit"


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


# Below this much free space an I/O error is taken to be the full disk: SQLite reports a
# failed write (ENOSPC) while growing the WAL index or the WAL as SQLITE_IOERR, not
# SQLITE_FULL, and Python does not expose the errno behind it.
_NEARLY_FULL_BYTES = 1024 * 1024


def disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def disk_full_error(path: Path) -> DiskFullError:
    return DiskFullError(
        f"disk full: free space on {path.parent} (the kiosk data file {path.name} cannot grow)"
    )


def translate_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """Map a sqlite3 exception to the specific StoreError the UI can explain."""
    code = _primary_code(exc)
    text = str(exc).lower()
    if code == _SQLITE_FULL or "disk is full" in text:
        return disk_full_error(path)
    if (code == _SQLITE_IOERR or "disk i/o error" in text) and disk_nearly_full(path.parent):
        return disk_full_error(path)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
        return DatabaseBusyError(
            f"the kiosk data file {path} stayed locked by another program for too long; "
            "close other copies of the kiosk and try again"
        )
    if code == _SQLITE_NOTADB or "not a database" in text:
        return NotADatabaseError(f"{path} is not a kiosk data file (file is not a database)")
    if code == _SQLITE_CORRUPT or "malformed" in text:
        return CorruptDatabaseError(
            f"the kiosk data file {path} is damaged; restore a backup (the file was left untouched)"
        )
    if code in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN):
        return StoreAccessError(
            f"cannot write the kiosk data file {path}: permission denied or folder missing"
        )
    if code == _SQLITE_IOERR:
        return StoreIOError(f"disk input/output error on the kiosk data file {path}")
    if code == _SQLITE_CONSTRAINT or isinstance(exc, sqlite3.IntegrityError):
        # The constraint text names columns, never values, so it is safe to pass on.
        return ConstraintError(f"the kiosk data file rejected a record ({exc})")
    return StoreError(f"kiosk data file error on {path}: {exc.__class__.__name__}")
