"""Online backup of the kiosk data file (encrypted to the owner's key), and the optional daily backup.

The copy is read from one snapshot (a read transaction held for the whole copy), in
small steps with short pauses. In WAL mode a reader never blocks the app's writes,
and holding the snapshot keeps SQLite's backup from restarting each time the app
commits a visit, so a busy kiosk still gets a consistent copy in bounded time.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from kiosk.owner_tools.atomic import OutputDiskFullError, OutputError, atomic_path, fsync_folder, output_error
from kiosk.owner_tools.progress import (
    CancelCheck,
    Cancelled,
    Progress,
    ProgressCallback,
    ignore_progress,
    never_cancelled,
)
from kiosk.owner_tools.reader import read_snapshot
from kiosk.owner_tools.sealed_backup import BackupKey, seal_file

PAGES_PER_STEP = 256  # 1 MB at SQLite's default 4 KB page
PAUSE_S = 0.002
DAILY_NAME = re.compile(r"kiosk-backup-(\d{4}-\d\d-\d\d)\.db")


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    pages: int
    encrypted: bool  # False only while the kiosk has no owner yet (no key to encrypt to)


def backup_key(conn: sqlite3.Connection, configured_key: bytes | None) -> BackupKey | None:
    """What a backup of this file is encrypted to: the configured owner key, else the owner's.

    None before the owner is set up (nothing to encrypt to).
    """
    has_owner = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'owner'").fetchone()
    row = conn.execute(
        "SELECT public_key, key_by_pin, key_by_recovery FROM owner WHERE id = 1"
    ).fetchone() if has_owner else None
    if row is not None and (not configured_key or bytes(row[0]) == configured_key):
        return BackupKey(bytes(row[0]), _blob(row[1]), _blob(row[2]))
    # A configured key the kiosk keeps no private half of: the owner opens with the key file.
    return BackupKey(configured_key) if configured_key else None


def _blob(value: object) -> bytes | None:
    return None if value is None else bytes(value)  # type: ignore[arg-type]


def backup_database(
    db_path: Path,
    target: Path,
    *,
    configured_key: bytes | None = None,
    pages_per_step: int = PAGES_PER_STEP,
    pause_s: float = PAUSE_S,
    progress: ProgressCallback = ignore_progress,
    cancelled: CancelCheck = never_cancelled,
) -> BackupResult:
    """Copy the kiosk data file to `target` (a single self-contained file), all or nothing.

    With an owner (or `[privacy] owner_public_key`, given as `configured_key`) the copy is
    encrypted to the owner's key: the plain copy is made in the data folder, which only
    the kiosk user can read, and only the encrypted file is written to `target`.
    """
    target = Path(target)
    copy = _SnapshotCopy(pages_per_step, pause_s, progress, cancelled)
    plain: Path | None = None
    try:
        with read_snapshot(db_path) as source:
            key = backup_key(source, configured_key)
            if key is None:
                with atomic_path(target) as temp:
                    copy.run(source, temp, target)
                return BackupResult(target, copy.pages, encrypted=False)
            plain = _private_temp(Path(db_path).parent, target)
            copy.run(source, plain, target)
        with atomic_path(target) as temp, open(temp, "wb") as out:
            seal_file(plain, out, key, cancelled=cancelled)
    finally:
        if plain is not None:
            plain.unlink(missing_ok=True)
    return BackupResult(target, copy.pages, encrypted=True)


def _private_temp(folder: Path, target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=".backup-", suffix=".part", dir=folder)  # mode 0600
    except OSError as exc:
        raise output_error(exc, target) from None
    os.close(fd)
    return Path(name)


class _SnapshotCopy:
    def __init__(
        self, pages_per_step: int, pause_s: float, progress: ProgressCallback, cancelled: CancelCheck
    ) -> None:
        self.pages = 0
        self._pages_per_step = pages_per_step
        self._pause_s = pause_s
        self._progress = progress
        self._cancelled = cancelled

    def _step(self, _status: int, remaining: int, total: int) -> None:
        self.pages = total
        if self._cancelled():
            raise Cancelled("backup cancelled; nothing was written")
        self._progress(Progress(total - remaining, total, "pages"))
        if remaining and self._pause_s > 0:
            # Python's own `sleep=` applies only after a BUSY step; this pause leaves the
            # disk to the app's fsyncs between steps.
            time.sleep(self._pause_s)

    def run(self, source: sqlite3.Connection, dest: Path, shown: Path) -> None:
        """SQLite's backup of the snapshot into the file `dest` (`shown`: the place named in errors)."""
        copy = sqlite3.connect(dest, isolation_level=None)
        try:
            source.backup(copy, pages=self._pages_per_step, progress=self._step)
            # The copy carries the WAL flag of the original; a backup is one file on its own.
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in copy.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise OutputError(f"the backup {shown} did not verify; nothing was kept")
        except sqlite3.Error as exc:
            raise _copy_error(exc, shown) from None
        finally:
            copy.close()
            remove_sidecars(dest)  # a rollback journal left by a copy that hit a full disk


def _copy_error(exc: sqlite3.Error, target: Path) -> OutputError:
    text = str(exc).lower()
    if "full" in text:
        return OutputDiskFullError(
            f"not enough space on the disk for the backup {target}; nothing was written "
            "(free some space or use another disk)"
        )
    return OutputError(f"cannot write the backup {target}: {type(exc).__name__}")


def daily_backup(
    db_path: Path, folder: Path, keep: int, *, now: float, tz: tzinfo, configured_key: bytes | None = None
) -> Path | None:
    """Today's backup into `folder` unless it is there already; keep the newest `keep`.

    For the running app's maintenance (`[backup] folder`, `keep`). Only files named
    like its own backups are ever deleted. Returns the new file, or None if today's exists.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    folder = Path(folder)
    day = datetime.fromtimestamp(now, tz).date().isoformat()
    target = folder / f"kiosk-backup-{day}.db"
    made: Path | None = None
    if not target.exists():
        made = backup_database(db_path, target, configured_key=configured_key).path
    ours = sorted(p for p in folder.iterdir() if DAILY_NAME.fullmatch(p.name))
    for old in ours[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    fsync_folder(folder)
    return made


def remove_sidecars(db_path: Path) -> None:
    """Delete SQLite's companion files of a path, so none can ever be replayed into another file there."""
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{db_path}{suffix}")
