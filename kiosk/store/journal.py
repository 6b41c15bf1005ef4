"""The visit journal: where a visit goes when the data file is locked past the verdict budget.

Another process may hold the SQLite write lock for seconds (an owner command, a
backup, an sqlite3 shell). The verdict cannot wait that long, and the visit must
not be lost, so the recorder appends it here instead: one JSON line per visit (the
visit row and its outbox intent; the pass only as its hash, the holder only
masked), written with O_APPEND and fsynced before the verdict is shown.

`merge_journal` moves the lines into the database once the lock clears, idempotently
by visit id. The live file is first renamed to a "claimed" file under a file lock
(appenders write only under that lock, so a claimed file never grows again), then
read, inserted with INSERT OR IGNORE, committed, and only then deleted. A crash at
any step leaves either the file (merged again, ignored as duplicates) or the rows.

A line that cannot be merged (torn by a crash, foreign, or refused by the database)
never stops the merge, nor the opening of the data file that runs it: it is kept,
as it was, in `kiosk.db.visit-journal.rejected.jsonl` for support, and `doctor` warns.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from kiosk.errors import StoreError
from kiosk.paths import PRIVATE_FILE
from kiosk.store.database import Database, on_disk
from kiosk.store.errors import ConstraintError, DiskFullError, StoreIOError
from kiosk.store.journal_lines import COLUMNS, decode, encode
from kiosk.store.visits import VISIT_COLUMNS, VisitRecord

log = logging.getLogger(__name__)

_SUFFIX = ".visit-journal"
_LIVE = ".jsonl"
_CLAIMED = ".claimed.jsonl"
_REJECTED = ".rejected.jsonl"
# Appenders and the claim hold the file lock only for one write or one rename.
_LOCK_WAIT_S = 2.0


def disk_error(exc: OSError, folder: Path, what: str) -> StoreError:
    """A journal (or other data-folder) OSError as the message the owner can act on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"disk full: free space on {folder} ({what} could not be written)")
    return StoreIOError(f"cannot write {what} in {folder}: {exc.strerror or exc.__class__.__name__}")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    line: bytes  # as read, kept aside if the database refuses the row
    row: dict[str, Any]  # column -> value


@dataclass(frozen=True, slots=True)
class JournalContents:
    entries: tuple[JournalEntry, ...]
    rejected: tuple[bytes, ...]  # lines holding no valid visit (a crash mid-append leaves one)


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + _SUFFIX + _LIVE)


def rejected_path(db_path: Path) -> Path:
    """Where the journal lines that could not be merged are kept (for support)."""
    return db_path.with_name(db_path.name + _SUFFIX + _REJECTED)


class VisitJournal:
    """The fallback journal next to one data file (`kiosk.db.visit-journal.jsonl`)."""

    def __init__(self, db_path: Path) -> None:
        self.path = journal_path(db_path)
        self.folder = self.path.parent
        self._stem = db_path.name + _SUFFIX
        self.rejected = rejected_path(db_path)
        # thread_local=False: the recorder and the uploader thread share one journal.
        self._lock = FileLock(str(self.path) + ".lock", mode=PRIVATE_FILE, thread_local=False)
        self._thread_lock = threading.Lock()

    @classmethod
    def for_database(cls, db_path: Path | str) -> VisitJournal | None:
        """None for an in-memory database (the fleet simulation): nothing else can lock it."""
        return cls(Path(db_path)) if on_disk(db_path) else None

    # --- writing -----------------------------------------------------------------------------

    def append(self, record: VisitRecord) -> None:
        """Append one visit durably (fsynced); raises DiskFullError / StoreIOError when it cannot."""
        data = encode(record)
        try:
            with self._locked():
                created = not self.path.exists()
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
                try:
                    if not _ends_with_newline(fd, self.path):
                        # A crash tore the previous append: start on a fresh line.
                        data = b"\n" + data
                    _write_all(fd, data)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                if created:
                    _fsync_folder(self.folder)
        except OSError as exc:
            raise disk_error(exc, self.folder, "the visit journal") from None

    # --- reading and merging -------------------------------------------------------------------

    def _claimed(self) -> list[Path]:
        return sorted(self.folder.glob(self._stem + ".*" + _CLAIMED))

    def files(self) -> list[Path]:
        """Every journal file still holding visits not known to be in the database."""
        live = [self.path] if self.path.exists() else []
        return self._claimed() + live

    def has_entries(self) -> bool:
        return bool(self.files())

    def waiting(self) -> int:
        """How many journalled visits are waiting to reach the database (for `doctor`)."""
        return len(self.read(self.files()).entries)

    def rejected_lines(self) -> int:
        """How many lines were kept aside as impossible to merge (for `doctor`)."""
        try:
            return len(self.rejected.read_bytes().splitlines())
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise StoreIOError(f"cannot read {self.rejected.name}: {exc.strerror}") from None

    def keep_rejected(self, lines: list[bytes]) -> None:
        """Append lines not yet kept to the rejected file (fsynced; a merge run twice adds none)."""
        try:
            with self._locked():
                try:
                    kept = set(self.rejected.read_bytes().splitlines())
                except FileNotFoundError:
                    kept = set()
                new = [line for line in dict.fromkeys(lines) if line not in kept]
                if not new:
                    return
                fd = os.open(self.rejected, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
                try:
                    _write_all(fd, b"".join(line + b"\n" for line in new))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                _fsync_folder(self.folder)
        except OSError as exc:
            raise disk_error(exc, self.folder, "the rejected visit journal lines") from None

    def claim(self) -> list[Path]:
        """Freeze the live file (rename it) so it can be merged; returns every claimed file."""
        if self.path.exists():
            target = self.folder / f"{self._stem}.{os.getpid()}-{os.urandom(4).hex()}{_CLAIMED}"
            try:
                with self._locked():
                    if self.path.exists():
                        os.replace(self.path, target)
                        _fsync_folder(self.folder)
            except OSError as exc:
                raise disk_error(exc, self.folder, "the visit journal") from None
        return self._claimed()

    @staticmethod
    def read(files: list[Path]) -> JournalContents:
        entries: list[JournalEntry] = []
        rejected: list[bytes] = []
        for file in files:
            try:
                raw = file.read_bytes()
            except FileNotFoundError:
                continue  # merged and removed by another process meanwhile
            except OSError as exc:
                raise StoreIOError(f"cannot read the visit journal {file.name}: {exc.strerror}") from None
            for line in raw.split(b"\n"):
                if not line.strip():
                    continue
                row = decode(line)
                if row is None:
                    rejected.append(line)
                else:
                    entries.append(JournalEntry(line, row))
        return JournalContents(tuple(entries), tuple(rejected))

    def discard(self, files: list[Path]) -> None:
        """Remove claimed files whose visits are committed to the database."""
        for file in files:
            try:
                file.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                # Harmless: the next merge inserts the same ids again and ignores them.
                log.warning("could not remove a merged visit journal file (%s)", exc.strerror)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # The thread lock orders this process's threads; the file lock other processes.
        if not self._thread_lock.acquire(timeout=_LOCK_WAIT_S):
            raise StoreIOError(f"the visit journal in {self.folder} stayed locked")
        try:
            try:
                self._lock.acquire(timeout=_LOCK_WAIT_S, poll_interval=0.002)
            except Timeout:
                raise StoreIOError(f"the visit journal in {self.folder} stayed locked") from None
            try:
                yield
            finally:
                self._lock.release()
        finally:
            self._thread_lock.release()


def _ends_with_newline(fd: int, path: Path) -> bool:
    size = os.fstat(fd).st_size
    if size == 0:
        return True
    with path.open("rb") as f:
        f.seek(size - 1)
        return f.read(1) == b"\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    # The new directory entry must survive a power cut too (POSIX); Windows has no such call.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _outbox_state(upstream_state: object) -> str:
    return "sent" if upstream_state == "confirmed" else "pending"


def merge_journal(db: Database, *, wait_s: float | None = None) -> None:
    """Move journalled visits into the database (and say in the log how many were new there).

    Idempotent by visit id; raises DatabaseBusyError (the files stay for next time)
    when the write lock is not free within `wait_s`. Lines that cannot be merged go to
    the rejected file; the others merge all the same.
    """
    journal = VisitJournal.for_database(db.path)
    if journal is None or not journal.has_entries():
        return
    files = journal.claim()
    contents = journal.read(files)
    rejected = list(contents.rejected)
    added = 0
    if contents.entries:
        with db.transaction(wait_s=wait_s):
            for entry in contents.entries:
                try:
                    added += _insert(db, entry.row)
                except ConstraintError:
                    rejected.append(entry.line)
    if rejected:
        journal.keep_rejected(rejected)
        log.warning(
            "visit journal: %d line(s) could not be merged, kept in %s", len(rejected), journal.rejected.name
        )
    journal.discard(files)
    if added:
        log.info("visit journal: %d visit(s) moved into the data file", added)


def _insert(db: Database, row: dict[str, Any]) -> int:
    """Insert one journalled visit and its outbox intent (1) or nothing if already there (0).

    A savepoint of its own: a row the database refuses is undone alone.
    """
    marks = ", ".join("?" * len(COLUMNS))
    with db.transaction() as conn:
        inserted = conn.execute(
            f"INSERT OR IGNORE INTO visits ({VISIT_COLUMNS}) VALUES ({marks})", tuple(row[c] for c in COLUMNS)
        ).rowcount
        # The outbox intent as record_visit writes it: pending from the scan time, or
        # already sent when upstream stored the visit with its online verification.
        conn.execute(
            "INSERT OR IGNORE INTO outbox (visit_id, attempts, next_attempt_at, last_error, state) "
            "VALUES (?, 0, ?, NULL, ?)",
            (row["id"], row["scanned_at"], _outbox_state(row["upstream_state"])),
        )
    return inserted
