"""The visit-log export: `kiosk export` and the admin screen's Export button.

Streams rows from a read snapshot of the data file straight into a CSV or XLSX
writer (constant memory for any size), into a temporary file that becomes the
target only when complete. Phone numbers are added only on request, with the
owner's private key; a damaged sealed entry marks its own row and the rest exports.
Every export is audited (range, format, row count; no personal data).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from kiosk.errors import InputError
from kiosk.owner_tools.atomic import atomic_path
from kiosk.owner_tools.audit_trail import record_owner_audit
from kiosk.owner_tools.contact import UnreadableEntry, phone_from_sealed
from kiosk.owner_tools.dates import DayRange
from kiosk.owner_tools.progress import (
    CancelCheck,
    Progress,
    ProgressCallback,
    ignore_progress,
    never_cancelled,
    raise_if_cancelled,
)
from kiosk.owner_tools.reader import read_snapshot
from kiosk.owner_tools.sinks import FORMATS, LocalStamp, RowSink, SinkFactory, sink_for
from kiosk.owner_tools.words import Words

_CANCEL_EVERY = 1_000  # rows between cancel checks
_PROGRESS_EVERY = 10_000  # rows between progress reports
_FETCH = 2_000
_SERIAL_EPOCH = datetime(1899, 12, 30)  # day 0 of spreadsheet date serials (1900 system)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    days: DayRange
    fmt: str  # "csv" | "xlsx"
    language: str = "ko"
    # The owner's raw X25519 private key (32 bytes), unwrapped with the PIN by the caller.
    # Given = phone numbers are exported; None = they are not.
    owner_private_key: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise InputError(f"unknown export format {self.fmt!r}; use one of: {', '.join(FORMATS)}")


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    unreadable_sealed: int  # rows whose sealed entry could not be opened (marked in the file)
    audit_stored: bool  # False: the audit entry waits in the journal (data file was busy)


class LocalTimes:
    """Epoch seconds -> the kiosk's local wall time, as text and as a spreadsheet serial.

    Formatting a datetime per row was the largest single cost of a million-row export;
    every real time zone offset is whole minutes, so one conversion per minute is exact.
    """

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._minute = -1
        self._prefix = ""
        self._serial = 0.0

    def __call__(self, ts: float) -> LocalStamp:
        whole = int(ts // 1)
        minute, second = divmod(whole, 60)
        if minute != self._minute:
            local = datetime.fromtimestamp(minute * 60, self._tz)
            self._minute = minute
            self._prefix = local.strftime("%Y-%m-%d %H:%M:")
            naive = local.replace(tzinfo=None)
            self._serial = (naive - _SERIAL_EPOCH).total_seconds() / 86_400
        return LocalStamp(f"{self._prefix}{second:02d}", self._serial + second / 86_400)


def export_visits(
    db_path: Path,
    target: Path,
    request: ExportRequest,
    *,
    now: float,
    tz: tzinfo,
    actor: str = "owner",
    progress: ProgressCallback = ignore_progress,
    cancelled: CancelCheck = never_cancelled,
    sink_factory: SinkFactory | None = None,
) -> ExportResult:
    """Write the visits of `request.days` to `target`; all or nothing.

    Raises InputError/OutputError/StoreError with a readable message, or Cancelled.
    """
    words = Words(request.language)
    make_sink = sink_factory or sink_for(request.fmt)
    with_phone = request.owner_private_key is not None
    target = Path(target)
    with read_snapshot(db_path) as conn, atomic_path(target) as temp:
        total = _count(conn, request.days)
        progress(Progress(0, total, "rows"))
        sink = make_sink(temp)
        try:
            sink.write_header(words.columns(with_phone=with_phone))
            rows, unreadable = _stream(conn, sink, request, words, tz, total, progress, cancelled)
            raise_if_cancelled(cancelled, "export")
            progress(Progress(rows, total, "finishing"))
            sink.close()
        except BaseException:
            sink.abort()
            raise
        detail = {
            **request.days.as_dict(),
            "format": request.fmt,
            "rows": rows,
            "with_phone": with_phone,
            "unreadable_sealed": unreadable,
        }
        audit = record_owner_audit(Path(db_path), now, actor, "export", detail)
    return ExportResult(target, rows, unreadable, audit.stored)


def _count(conn: sqlite3.Connection, days: DayRange) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM visits WHERE scanned_at >= ? AND scanned_at < ?", (days.since, days.until)
        ).fetchone()[0]
    )


def _stream(
    conn: sqlite3.Connection,
    sink: RowSink,
    request: ExportRequest,
    words: Words,
    tz: tzinfo,
    total: int,
    progress: ProgressCallback,
    cancelled: CancelCheck,
) -> tuple[int, int]:
    key = request.owner_private_key
    sealed_col = ", m.sealed" if key is not None else ", NULL"
    join = " LEFT JOIN manual_entries m ON m.visit_id = v.id" if key is not None else ""
    cursor = conn.execute(
        "SELECT v.scanned_at, v.decision, v.reason, v.verified_by, v.holder_masked, v.upstream_state, "
        f"v.kiosk_id{sealed_col} FROM visits v{join} "
        "WHERE v.scanned_at >= ? AND v.scanned_at < ? ORDER BY v.scanned_at, v.id",
        (request.days.since, request.days.until),
    )
    cursor.arraysize = _FETCH
    rows = unreadable = 0
    local = LocalTimes(tz)
    # Rows repeat a few (decision, reason, path, upload state) combinations: translate each once.
    translated: dict[tuple[str, str, str, str], tuple[str, str, str, str]] = {}
    while batch := cursor.fetchmany():
        for scanned_at, decision, why, verified_by, holder, upstream, kiosk_id, sealed in batch:
            codes = (decision, why, verified_by, upstream)
            shown = translated.get(codes)
            if shown is None:
                shown = translated[codes] = (
                    words.word(decision), words.reason(why), words.word(verified_by), words.word(upstream)
                )
            values = [shown[0], shown[1], shown[2], holder or "", shown[3], kiosk_id or ""]
            if key is not None:
                phone = ""
                if sealed is not None:
                    try:
                        phone = phone_from_sealed(key, sealed)
                    except UnreadableEntry:
                        phone = words.unreadable_sealed
                        unreadable += 1
                values.append(phone)
            sink.write_row(local(scanned_at), values)
            rows += 1
            if rows % _CANCEL_EVERY == 0:
                raise_if_cancelled(cancelled, "export")
                if rows % _PROGRESS_EVERY == 0:
                    progress(Progress(rows, total, "rows"))
    return rows, unreadable
