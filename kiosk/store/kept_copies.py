"""Copies of the data file kept beside it: before a schema upgrade, and before a restore.

An update that migrates the schema cannot be undone by reinstalling the older build:
that build refuses the newer file. So before the first migration step runs, the file is
copied beside itself as `kiosk.db.before-upgrade-schema-N` (N: the version it held),
and an older build that meets a newer schema names the newest copy it can read. A
restore keeps the file it replaces as `kiosk.db.before-restore-STAMP`.

These copies hold visits like the data file, so the daily owner jobs delete them once
everything in them is past the retention period.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import sqlite3
from pathlib import Path

from kiosk.errors import StoreError
from kiosk.paths import PRIVATE_FILE
from kiosk.store.errors import DiskFullError, StoreIOError, disk_nearly_full, translate_error

log = logging.getLogger(__name__)

BEFORE_UPGRADE = ".before-upgrade-schema-"
BEFORE_RESTORE = ".before-restore-"


def copy_before_upgrade(conn: sqlite3.Connection, db_path: Path, version: int) -> Path:
    """Copy the open file (SQLite's backup API: consistent while others write) before migrating.

    Raises a StoreError naming the data file when the copy cannot be made (e.g. a full
    disk): the upgrade must not run without its way back.
    """
    target = db_path.with_name(f"{db_path.name}{BEFORE_UPGRADE}{version}")
    part = target.with_name(target.name + ".part")
    try:
        part.unlink(missing_ok=True)
        # Created private before a byte of it is written (SQLite would make it 0644).
        os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
        copy = sqlite3.connect(part)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        os.replace(part, target)
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        raise _copy_failed(exc, db_path) from None
    log.info("data file copied to %s before its schema upgrade from version %d", target.name, version)
    return target


def _copy_failed(exc: sqlite3.Error | OSError, db_path: Path) -> StoreError:
    if isinstance(exc, sqlite3.Error):
        full = isinstance(translate_error(exc, db_path), DiskFullError)
    else:
        full = exc.errno == errno.ENOSPC or disk_nearly_full(db_path.parent)
    reason = "the disk is full" if full else "it could not be written"
    return (DiskFullError if full else StoreIOError)(
        f"the kiosk data file {db_path} was not upgraded: the copy kept before an upgrade failed "
        f"({reason}); free some space and start the kiosk again (the file was left untouched)"
    )


def newest_readable_copy(db_path: Path, readable_up_to: int) -> Path | None:
    """The pre-upgrade copy with the highest schema version an app reading `readable_up_to` opens."""
    best: tuple[int, Path] | None = None
    for path in db_path.parent.glob(glob.escape(db_path.name + BEFORE_UPGRADE) + "*"):
        version = path.name.rsplit("-", 1)[-1]
        if not version.isdigit() or int(version) > readable_up_to:
            continue  # a `.part` left by an interrupted copy, or a copy this build cannot read either
        if best is None or int(version) > best[0]:
            best = (int(version), path)
    return None if best is None else best[1]


def remove_expired_copies(db_path: Path, *, now: float, retention_days: int) -> list[Path]:
    """Delete kept copies last written more than `retention_days` ago; the names removed."""
    cutoff = now - retention_days * 86400
    removed: list[Path] = []
    for marker in (BEFORE_UPGRADE, BEFORE_RESTORE):
        for path in db_path.parent.glob(glob.escape(db_path.name + marker) + "*"):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except OSError as exc:
                log.warning("kept copy %s could not be removed: %s", path.name, exc.strerror)
    return sorted(removed)
