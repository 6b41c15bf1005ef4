"""Bringing a backup into the data folder and checking it, before anything of the kiosk's changes.

Everything after the first read works on a private copy in the data folder (decrypted
there when the backup is encrypted): what is checked is what gets restored, even if
the file on the stick changes meanwhile. The copy must be a sound SQLite file with
exactly the app's schema at the version it declares (`kiosk.store.schema_check`) and
rows that point to visits that exist; it is then migrated to this version's schema.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.owner_tools.atomic import create_private_file
from kiosk.owner_tools.sealed_backup import (
    BackupFormatError,
    BackupSecretError,
    file_kind,
    open_file,
    private_key_by_secret,
    read_header,
)
from kiosk.store.errors import (
    CorruptDatabaseError,
    DiskFullError,
    NewerSchemaError,
    NotADatabaseError,
    StoreAccessError,
    disk_nearly_full,
)
from kiosk.store.migrations import apply_migrations
from kiosk.store.schema_check import inspect_schema

# The data file keeps [privacy] retention_days of visits: about 120 MB for a kiosk
# scanning 10,000 passes a day for 28 days. Thirty times that is still a kiosk's file;
# anything larger is not, and copying it could fill the disk the kiosk records on.
MAX_RESTORE_BYTES = 4 << 30
# The restore writes the copy and the rebuilt file beside the kept one; this much is left over.
_FREE_MARGIN_BYTES = 64 << 20
_MB = 1 << 20
_SHOWN_PROBLEMS = 3


class BackupRefusedError(KioskError):
    """The backup is not one this version restores as it is (doctored, damaged, too large)."""

    key = "owner.restore.refused"


@dataclass(frozen=True, slots=True)
class Files:
    """The two files every restore message names."""

    backup: Path
    data: Path

    def refused(self, reason: str) -> str:
        return (
            f"the backup {self.backup} was refused: {reason}; nothing was restored and the "
            f"data file {self.data} is unchanged"
        )


@dataclass(frozen=True, slots=True)
class StagedBackup:
    path: Path  # the checked copy, migrated to this version's schema
    declared_version: int
    encrypted: bool


def check_size(files: Files, max_bytes: int) -> int:
    """The backup's size, refused when it could not be a kiosk's file or would not fit on the disk."""
    try:
        if not files.backup.is_file():
            raise StoreAccessError(files.refused("there is no file at that path"))
        wal = Path(f"{files.backup}-wal")
        size = files.backup.stat().st_size + (wal.stat().st_size if wal.is_file() else 0)
    except OSError as exc:
        raise StoreAccessError(files.refused(f"it cannot be read ({exc.strerror})")) from None
    if size > max_bytes:
        raise BackupRefusedError(files.refused(
            f"it is {size // _MB:,} MB, more than the {max_bytes // _MB:,} MB a kiosk data file can reach"
        ))
    folder = files.data.parent
    free = shutil.disk_usage(folder).free
    needed = 2 * size + _FREE_MARGIN_BYTES  # the private copy and the rebuilt file
    if free < needed:
        raise BackupRefusedError(files.refused(
            f"restoring it needs about {needed // _MB:,} MB free on the disk of {folder}, which has "
            f"{free // _MB:,} MB"
        ))
    return size


def _copy_plain(files: Files, staged: Path) -> None:
    # SQLite's own copy: a -wal file left beside the backup is part of it.
    src = sqlite3.connect(f"{files.backup.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(staged)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _decrypt(
    files: Files, staged: Path, max_bytes: int, owner_key: bytes | None, secret: Callable[[], str]
) -> None:
    with open(files.backup, "rb") as src:
        try:
            header = read_header(src)
            if owner_key is not None:
                private = owner_key
            else:
                given = secret()
                if not given:
                    raise BackupSecretError(
                        "it is encrypted to its owner's key: give that owner's PIN or recovery code "
                        "(or --owner-key FILE)"
                    )
                private = private_key_by_secret(header.key, given)
            with open(staged, "wb") as out:
                open_file(src, header, private, out, max_bytes=max_bytes)
        except (BackupFormatError, BackupSecretError) as exc:
            raise type(exc)(files.refused(exc.message)) from None


def _check(conn: sqlite3.Connection, files: Files) -> int:
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise CorruptDatabaseError(files.refused(f"it is damaged ({len(problems)} problem(s))"))
    report = inspect_schema(conn)
    if report.newer:
        raise NewerSchemaError(files.refused(
            f"it was written by a newer version of the app ({report.problems[0]}); update the app"
        ))
    if report.version is None:
        raise NotADatabaseError(files.refused(f"it is not a kiosk data file ({report.problems[0]})"))
    if not report.ok:
        shown = "; ".join(report.problems[:_SHOWN_PROBLEMS])
        more = len(report.problems) - _SHOWN_PROBLEMS
        tail = f" and {more} more" if more > 0 else ""
        raise BackupRefusedError(files.refused(
            f"its schema is not the app's for the schema version {report.version} it declares: {shown}{tail}"
        ))
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise BackupRefusedError(files.refused("it has records that point to visits it does not hold"))
    return report.version


def _disk_full(files: Files) -> DiskFullError:
    return DiskFullError(files.refused(f"the disk of {files.data.parent} is full"))


def stage_backup(
    files: Files,
    staged: Path,
    *,
    max_bytes: int,
    owner_key: bytes | None,
    secret: Callable[[], str],
) -> StagedBackup:
    """Copy (or decrypt) the backup to `staged`, check it and migrate it; refused with a StoreError or
    BackupRefusedError whose message names both files."""
    check_size(files, max_bytes)
    try:
        kind = file_kind(files.backup)
    except OSError as exc:
        raise StoreAccessError(files.refused(f"it cannot be read ({exc.strerror})")) from None
    if kind == "other":
        raise NotADatabaseError(files.refused("it is not a kiosk data file nor an encrypted kiosk backup"))
    create_private_file(staged)  # it holds the PIN hash and sealed phones
    try:
        if kind == "sealed":
            _decrypt(files, staged, max_bytes, owner_key, secret)
        else:
            _copy_plain(files, staged)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(files) from None
        raise StoreAccessError(files.refused(f"it cannot be read ({exc.strerror})")) from None
    except sqlite3.Error as exc:
        if disk_nearly_full(files.data.parent) or "full" in str(exc).lower():
            raise _disk_full(files) from None
        raise NotADatabaseError(files.refused(f"it is not a kiosk data file ({exc})")) from None
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        # Nothing in the file may call functions with side effects, whatever it declares.
        conn.execute("PRAGMA trusted_schema = OFF")
        version = _check(conn, files)
        conn.execute("PRAGMA journal_mode = DELETE")
        apply_migrations(conn)
    except sqlite3.DatabaseError as exc:
        if disk_nearly_full(files.data.parent) or "full" in str(exc).lower():
            raise _disk_full(files) from None
        raise NotADatabaseError(
            files.refused("it is not a kiosk data file (SQLite cannot read it)")
        ) from None
    finally:
        conn.close()
    return StagedBackup(staged, version, encrypted=kind == "sealed")
