"""Online backup of the kiosk data file, the optional daily backup, and restore.

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
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from kiosk.owner_tools.atomic import OutputDiskFullError, OutputError, atomic_path, fsync_folder
from kiosk.owner_tools.progress import (
    CancelCheck,
    Cancelled,
    Progress,
    ProgressCallback,
    ignore_progress,
    never_cancelled,
)
from kiosk.owner_tools.reader import read_snapshot

PAGES_PER_STEP = 256  # 1 MB at SQLite's default 4 KB page
PAUSE_S = 0.002
DAILY_NAME = re.compile(r"kiosk-backup-(\d{4}-\d\d-\d\d)\.db")


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    pages: int


def backup_database(
    db_path: Path,
    target: Path,
    *,
    pages_per_step: int = PAGES_PER_STEP,
    pause_s: float = PAUSE_S,
    progress: ProgressCallback = ignore_progress,
    cancelled: CancelCheck = never_cancelled,
) -> BackupResult:
    """Copy the kiosk data file to `target` (a single self-contained file), all or nothing."""
    target = Path(target)
    pages = 0

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total
        if cancelled():
            raise Cancelled("backup cancelled; nothing was written")
        progress(Progress(total - remaining, total, "pages"))
        if remaining and pause_s > 0:
            # Python's own `sleep=` applies only after a BUSY step; this pause leaves the
            # disk to the app's fsyncs between steps.
            time.sleep(pause_s)

    with read_snapshot(db_path) as source, atomic_path(target) as temp:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            source.backup(copy, pages=pages_per_step, progress=step)
            # The copy carries the WAL flag of the original; a backup is one file on its own.
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in copy.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise OutputError(f"the backup {target} did not verify; nothing was kept")
        except sqlite3.Error as exc:
            raise _copy_error(exc, target) from None
        finally:
            copy.close()
            remove_sidecars(temp)  # a rollback journal left by a copy that hit a full disk
    return BackupResult(target, pages)


def _copy_error(exc: sqlite3.Error, target: Path) -> OutputError:
    text = str(exc).lower()
    if "full" in text:
        return OutputDiskFullError(
            f"not enough space on the disk for the backup {target}; nothing was written "
            "(free some space or use another disk)"
        )
    return OutputError(f"cannot write the backup {target}: {type(exc).__name__}")


def daily_backup(db_path: Path, folder: Path, keep: int, *, now: float, tz: tzinfo) -> Path | None:
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
        made = backup_database(db_path, target).path
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
