"""One kiosk window per data folder: two would fight over the camera and double-log visits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from kiosk.errors import KioskError
from kiosk.paths import make_private, private_folder

LOCK_FILE = "kiosk.lock"


class AlreadyRunningError(KioskError):
    key = "app.already_running"


def acquire_instance_lock(data_dir: Path) -> QLockFile:
    """Lock the data folder for this process; raise AlreadyRunningError when another holds it.

    QLockFile notices a lock left by a crashed process (its PID is gone) and takes it over.
    """
    private_folder(data_dir)
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)  # never steal a live kiosk's lock because it is old
    if not lock.tryLock(200):
        raise AlreadyRunningError(
            f"another kiosk window is already running with the data folder {data_dir}; "
            "close it first (one window per data folder)"
        )
    make_private(data_dir / LOCK_FILE)  # Qt makes it 0644; it names the host and the process
    return lock
