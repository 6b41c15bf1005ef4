"""Where the kiosk keeps its data, and keeping it private to the kiosk's user.

One per-user folder is shared by the app, the demo and owner commands. On POSIX the
folder is 0700 and every file in it 0600: the data file holds the PIN hash and the
PIN-wrapped owner key, which anyone who can copy it may search offline. On Windows
the per-user folder is private already and nothing here changes a mode.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "venue-pass-kiosk"
DB_FILE = "kiosk.db"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
_OPEN_TO_OTHERS = 0o077
# The command owners type in hints: the packages install `venue-pass-kiosk`, pip installs `kiosk`.
COMMAND = APP_NAME if getattr(sys, "frozen", False) else "kiosk"
# An installer or a test may name another trust-list snapshot than the one the package carries.
TRUST_SNAPSHOT_ENV = "KIOSK_TRUST_SNAPSHOT"


def data_dir(override: Path | str | None = None, configured: str = "") -> Path:
    """`--data DIR` wins, then the config's `[kiosk] data_dir`, then the platform's per-user folder."""
    if override:
        return Path(override).expanduser()
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(folder: Path) -> Path:
    return folder / DB_FILE


def data_files(db_path: Path) -> list[Path]:
    """The data file and what the kiosk keeps beside it (-wal, -shm, journals and their locks,
    files kept by a restore, the window's lock file, backups), by their names."""
    folder = db_path.parent
    names = {*folder.glob(glob.escape(db_path.name) + "*"), *folder.glob("kiosk*")}
    return sorted(p for p in names if p.is_file() and not p.is_symlink())


def private_folder(folder: Path) -> Path:
    """Create `folder` (with its parents) private to this user, or tighten it; OSError if impossible."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    make_private(folder)
    return folder


def private_opener(path: str, flags: int) -> int:
    """For `open(..., opener=private_opener)`: a file the call creates is 0600 from the start."""
    return os.open(path, flags, PRIVATE_FILE)


def make_private(path: Path) -> None:
    """Take the group and other permissions off `path` (POSIX only; best effort).

    Left as they are: a symlink (never followed: it could point anywhere), a folder with
    the sticky bit (a shared one like /tmp, given as the place of a data file), a path
    this user may not change, and file systems without modes. `doctor` names whatever
    stays open to others.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        mode = os.fstat(fd).st_mode
        if mode & _OPEN_TO_OTHERS and not mode & stat.S_ISVTX:
            os.fchmod(fd, stat.S_IMODE(mode) & ~_OPEN_TO_OTHERS)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_to_others(path: Path) -> bool:
    """True when `path` exists and its group or others may read, write or enter it (POSIX)."""
    if os.name != "posix":
        return False
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return not stat.S_ISLNK(mode) and bool(mode & _OPEN_TO_OTHERS)
def bundled_trust_snapshot(environ: Mapping[str, str] = os.environ) -> Path:
    """The trust-list snapshot the package carries (`./dev package` puts it there), imported on
    first start; `KIOSK_TRUST_SNAPSHOT` names another file."""
    named = environ.get(TRUST_SNAPSHOT_ENV, "")
    if named:
        return Path(named).expanduser()
    return Path(__file__).parent / "assets" / "trust" / "snapshot.json"
