"""`kiosk restore FILE`: put a backup's records in place of the kiosk's, keeping the old data file.

A backup may come from anywhere (a USB stick, a mail), so it is not trusted: it is
copied (or decrypted) into the data folder and checked there (`restore_stage`), the
owner it may bring is taken only with its PIN (`restore_owner`), and the file that goes
live is rebuilt from its rows beside this kiosk's trust list (`restore_merge`). Every
outcome, refused or restored, names both files. The current file is renamed with a
timestamp, never deleted. The app must be closed: the current file is switched out of
WAL mode first, which SQLite allows only when no other program has it open, and that
is the check.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from kiosk.clock import Clock
from kiosk.owner_tools.atomic import fsync_folder
from kiosk.owner_tools.backup import remove_sidecars
from kiosk.owner_tools.busy import OWNER_WAIT_S, KioskBusyError
from kiosk.owner_tools.restore_merge import BuiltFile, build_restored
from kiosk.owner_tools.restore_owner import (
    NO_SECRETS,
    OWNER_SQL,
    OwnerSource,
    RestoreSecrets,
    choose_owner,
    owner_of,
)
from kiosk.owner_tools.restore_stage import MAX_RESTORE_BYTES, Files, StagedBackup, stage_backup
from kiosk.store.database import Database
from kiosk.store.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    NewerSchemaError,
    NotADatabaseError,
    StoreIOError,
    translate_error,
)
from kiosk.store.kept_copies import BEFORE_RESTORE
from kiosk.store.opening import open_database
from kiosk.store.schema_check import inspect_database

_UNREADABLE = (NotADatabaseError, CorruptDatabaseError, NewerSchemaError)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    schema_version: int  # the version the backup declared (it is migrated to this app's)
    kept_old: Path | None  # where the replaced data file now is (None: there was none)
    visits: int
    carried: int  # visits of the current file not yet uploaded, now in the restored one
    owner: OwnerSource
    encrypted: bool
    message: str  # what happened, naming both files


def _busy(files: Files) -> KioskBusyError:
    return KioskBusyError(files.refused(
        "the kiosk is busy: its data file is open in another program (close the kiosk app before "
        "restoring) and try again"
    ))


def _release_current(files: Files) -> bool:
    """Fold the WAL into the current file and leave it in rollback mode; False if it is no SQLite file."""
    conn = sqlite3.connect(files.data, timeout=OWNER_WAIT_S, isolation_level=None)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if busy or str(mode).lower() != "delete":
            raise _busy(files)
        return True
    except sqlite3.Error as exc:
        error = translate_error(exc, files.data)
        if isinstance(error, DatabaseBusyError):
            raise _busy(files) from None
        if isinstance(error, _UNREADABLE):
            return False
        raise error from None
    finally:
        conn.close()


def _open_current(files: Files) -> Database | None:
    """The current data file as the app opens it, or None when it cannot be read (damaged) or is not
    the app's own (a trigger, a view, other columns): then nothing of it is trusted or carried over."""
    try:
        db = open_database(files.data)
    except DatabaseBusyError:
        raise _busy(files) from None
    except _UNREADABLE:
        return None
    try:
        if inspect_database(db, wait_s=OWNER_WAIT_S).ok:
            return db
    except DatabaseBusyError:
        db.close()
        raise _busy(files) from None
    db.close()
    return None


def _backup_owner(staged: StagedBackup) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{staged.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(OWNER_SQL).fetchall()
    finally:
        conn.close()


def _once(ask: Callable[[], str], first: Callable[[], object]) -> Callable[[], str]:
    """`ask` at most once, after `first` (no PIN is asked for while the kiosk is running)."""
    answers: list[str] = []

    def answer() -> str:
        if not answers:
            first()
            answers.append(ask())
        return answers[0]

    return answer


def _kept_name(db_path: Path, now: float, tz: tzinfo) -> Path:
    stamp = datetime.fromtimestamp(now, tz).strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}{BEFORE_RESTORE}{stamp}")
    n = 1
    while kept.exists():  # two restores within a second: never overwrite a kept file
        n += 1
        kept = db_path.with_name(f"{db_path.name}{BEFORE_RESTORE}{stamp}-{n}")
    return kept


def _swap(files: Files, built: Path, kept: Path | None) -> None:
    if kept is not None:
        os.replace(files.data, kept)
        remove_sidecars(files.data)  # empty after the checkpoint; must not meet the new file
    try:
        os.replace(built, files.data)
    except OSError:
        if kept is not None:
            os.replace(kept, files.data)
        raise
    fsync_folder(files.data.parent)


_TRUST_NOTES = {
    "readable": "the trust list, issuers and revocations are the current file's",
    "other": "the current data file could not be read or is not the app's own, so nothing of it was "
    "carried over and the trust list starts empty: run `kiosk trust update`",
    "none": "there was no data file here, so the trust list starts empty: run `kiosk trust update`",
}


def _summary(files: Files, staged: StagedBackup, made: BuiltFile, owner_note: str, old: str) -> str:
    encrypted = ", encrypted" if staged.encrypted else ""
    return "; ".join([
        f"restored {files.backup} into {files.data}: {made.visits} visits "
        f"(schema {staged.declared_version}{encrypted})",
        f"{made.carried} visit(s) of the current file not yet uploaded were carried over",
        owner_note,
        _TRUST_NOTES[old],
    ])


def restore_database(
    db_path: Path,
    source: Path,
    *,
    clock: Clock,
    tz: tzinfo,
    secrets: RestoreSecrets = NO_SECRETS,
    max_bytes: int = MAX_RESTORE_BYTES,
) -> RestoreResult:
    """Restore the backup at `source` into the data file `db_path`, or refuse with a KioskError whose
    message names both files (then the data file is unchanged, but for a counted wrong PIN try).

    `secrets` says how to ask for the owners' PINs; each is asked only when needed.
    """
    files = Files(Path(source), Path(db_path))
    files.data.parent.mkdir(parents=True, exist_ok=True)
    exists = files.data.exists()
    released: list[bool] = []

    def release_once() -> bool:
        if not released:
            released.append(exists and _release_current(files))
        return released[0]

    secrets = dataclasses.replace(secrets, backup_secret=_once(secrets.backup_secret, release_once))
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=files.data.parent) as folder:
        stage = Path(folder)
        staged = stage_backup(
            files, stage / "backup.db", max_bytes=max_bytes, owner_key=secrets.owner_key,
            secret=secrets.backup_secret,
        )
        current = _open_current(files) if release_once() else None
        try:
            current_owner = owner_of(current.query(OWNER_SQL)) if current is not None else None
            choice = choose_owner(
                owner_of(_backup_owner(staged)), current_owner, current, secrets, clock=clock, files=files
            )
        finally:
            if current is not None:
                current.close()
        readable = current is not None and _release_current(files)
        built = stage / "restored.db"
        try:
            made = build_restored(built, staged.path, files.data if readable else None, choice)
        except sqlite3.Error as exc:
            error = translate_error(exc, files.data)
            why = f"the restored file could not be written ({error.message})"
            raise type(error)(files.refused(why)) from None
        kept = _kept_name(files.data, clock.now(), tz) if exists else None
        try:
            _swap(files, built, kept)
        except OSError as exc:
            raise StoreIOError(files.refused(f"the files could not be swapped ({exc.strerror})")) from None
    old = "readable" if readable else "other" if exists else "none"
    summary = _summary(files, staged, made, choice.note, old)
    kept_note = f"; the previous data file is kept as {kept}" if kept is not None else ""
    return RestoreResult(
        staged.declared_version, kept, made.visits, made.carried, choice.source, staged.encrypted,
        summary + kept_note,
    )
