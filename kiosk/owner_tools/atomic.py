"""Writing an owner's file all-or-nothing: a temporary file beside the target, fsynced, renamed.

A full disk, a cancel or a crash half-way leaves no half file under the target's
name (and an existing file of that name untouched): the rename is atomic on one
file system, which is why the temporary file lives in the target's own folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kiosk.errors import KioskError


class OutputError(KioskError):
    key = "owner.output"


class OutputDiskFullError(OutputError):
    key = "owner.output_disk_full"


def output_error(exc: OSError, target: Path) -> OutputError:
    """A readable message for a failed write; the partial file is already gone when this is raised.

    Each cause has its own key (the admin screen says it in the owner's language) and the
    folder as `detail`, so a screen can name the place without parsing the message.
    """
    folder = str(target.parent)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return OutputDiskFullError(
            f"not enough space on the disk for {target}; nothing was written (free some space or "
            "choose another place)",
            detail=folder,
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"cannot write {target}: permission denied; choose another place",
            key="owner.output_denied",
            detail=folder,
        )
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return OutputError(
            f"cannot write {target}: the folder {target.parent} does not exist",
            key="owner.output_no_folder",
            detail=folder,
        )
    if isinstance(exc, IsADirectoryError):
        return is_a_folder(target)
    return OutputError(f"cannot write {target}: {exc.strerror or type(exc).__name__}")


def is_a_folder(target: Path) -> OutputError:
    return OutputError(
        f"cannot write {target}: it is a folder", key="owner.output_is_folder", detail=str(target)
    )


def create_private_file(path: Path) -> None:
    """An empty new file only its owner can read, for SQLite to fill (it keeps the mode it finds)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on normal exit it becomes `target`.

    The block writes the temporary file (by any means: a stream, a library that wants
    a file name, SQLite). On any exception it is deleted and OSErrors are turned into
    an OutputError naming `target`.
    """
    target = Path(target)
    if target.is_dir():
        raise is_a_folder(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise output_error(exc, target) from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as done:
            os.fsync(done.fileno())
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise output_error(exc, target) from None
    except BaseException:
        _remove(temp)
        raise
    fsync_folder(target.parent)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
