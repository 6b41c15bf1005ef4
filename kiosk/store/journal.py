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
"""

from __future__ import annotations

import errno
import json
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
from kiosk.store.errors import DiskFullError, StoreIOError
from kiosk.store.visits import VISIT_COLUMNS, VisitRecord

log = logging.getLogger(__name__)

_SUFFIX = ".visit-journal"
_LIVE = ".jsonl"
_CLAIMED = ".claimed.jsonl"
_FORMAT = 1
# Appenders and the claim hold the file lock only for one write or one rename.
_LOCK_WAIT_S = 2.0
_COLUMNS = tuple(c.strip() for c in VISIT_COLUMNS.split(","))
_REQUIRED_TEXT = (
    "id", "kind", "pass_hash", "decision", "reason", "verified_by", "upstream_state", "kiosk_id",
)


def disk_error(exc: OSError, folder: Path, what: str) -> StoreError:
    """A journal (or other data-folder) OSError as the message the owner can act on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"disk full: free space on {folder} ({what} could not be written)")
    return StoreIOError(f"cannot write {what} in {folder}: {exc.strerror or exc.__class__.__name__}")


@dataclass(frozen=True, slots=True)
class JournalContents:
    rows: tuple[dict[str, Any], ...]  # visit rows, column -> value
    unreadable: int  # torn or foreign lines (a crash mid-append leaves at most one per file)


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + _SUFFIX + _LIVE)


class VisitJournal:
    """The fallback journal next to one data file (`kiosk.db.visit-journal.jsonl`)."""

    def __init__(self, db_path: Path) -> None:
        self.path = journal_path(db_path)
        self.folder = self.path.parent
        self._stem = db_path.name + _SUFFIX
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
        line = json.dumps({"v": _FORMAT, "visit": _row(record)}, ensure_ascii=True, separators=(",", ":"))
        data = line.encode("ascii") + b"\n"
        try:
            with self._locked():
                created = not self.path.exists()
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
                try:
                    if not created and not _ends_with_newline(fd, self.path):
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
        return len(self.read(self.files()).rows)

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
        rows: list[dict[str, Any]] = []
        unreadable = 0
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
                row = _parse(line)
                if row is None:
                    unreadable += 1
                else:
                    rows.append(row)
        return JournalContents(tuple(rows), unreadable)

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


def _row(record: VisitRecord) -> dict[str, Any]:
    values = {c: getattr(record, c) for c in _COLUMNS}
    return {k: (str(v) if v is not None and not isinstance(v, float) else v) for k, v in values.items()}


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    visit = entry.get("visit") if isinstance(entry, dict) and entry.get("v") == _FORMAT else None
    if not isinstance(visit, dict):
        return None
    if not all(isinstance(visit.get(k), str) for k in _REQUIRED_TEXT):
        return None
    if not isinstance(visit.get("scanned_at"), int | float) or isinstance(visit.get("scanned_at"), bool):
        return None
    row = {c: visit.get(c) for c in _COLUMNS}
    if not all(row[c] is None or isinstance(row[c], str | int | float) for c in _COLUMNS):
        return None
    return row


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


def merge_journal(db: Database, *, wait_s: float | None = None) -> int:
    """Move journalled visits into the database; returns how many were new there.

    Idempotent by visit id; raises DatabaseBusyError (the files stay for next time)
    when the write lock is not free within `wait_s`.
    """
    journal = VisitJournal.for_database(db.path)
    if journal is None or not journal.has_entries():
        return 0
    files = journal.claim()
    contents = journal.read(files)
    added = 0
    if contents.rows:
        marks = ", ".join("?" * len(_COLUMNS))
        with db.transaction(wait_s=wait_s) as conn:
            for row in contents.rows:
                values = tuple(row[c] for c in _COLUMNS)
                inserted = conn.execute(
                    f"INSERT OR IGNORE INTO visits ({VISIT_COLUMNS}) VALUES ({marks})", values
                ).rowcount
                # The outbox intent as record_visit writes it: pending from the scan time, or
                # already sent when upstream stored the visit with its online verification.
                conn.execute(
                    "INSERT OR IGNORE INTO outbox (visit_id, attempts, next_attempt_at, last_error, state) "
                    "VALUES (?, 0, ?, NULL, ?)",
                    (row["id"], row["scanned_at"], _outbox_state(row["upstream_state"])),
                )
                added += inserted
    if contents.unreadable:
        log.warning("visit journal: %d torn line(s) skipped", contents.unreadable)
    journal.discard(files)
    if added:
        log.info("visit journal: %d visit(s) moved into the data file", added)
    return added
