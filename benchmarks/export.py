"""Visit-log export at scale: 1,000,000 visits to CSV and to XLSX with both candidate writers.

Prints time and peak memory (RSS) of each export, each measured in its own
subprocess so one run's memory does not count against the next. Asserts nothing.
Targets from the issue: CSV < 10 s, XLSX < 60 s, peak RSS < 200 MB.

Usage: python benchmarks/export.py [N] [DIR]     (N defaults to 1,000,000)
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date
from pathlib import Path

from kiosk.owner_tools.dates import day_range
from kiosk.owner_tools.export import ExportRequest, export_visits
from kiosk.owner_tools.sinks import LocalStamp, SinkFactory, sink_for
from kiosk.store.opening import open_database
from kiosk.store.visits import VISIT_COLUMNS, new_visit_id

START = 1_780_000_000.0  # 2026-05-28
_HOLDERS = ("홍*동", "김*수", "M******n A.", "R***i M.", "이*연", "S***h J.")
_OUTCOMES = (
    ("admit", "valid", "online"),
    ("admit", "valid", "offline"),
    ("deny", "expired", "offline"),
    ("admit", "staff_confirmed", "staff"),
    ("deny", "vaccination_too_recent", "online"),
)


class OpenpyxlWriteOnlySink:
    """The candidate not chosen, kept here so the comparison can be re-run."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook

        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet()

    def write_header(self, columns: Sequence[str]) -> None:
        self._sheet.append(list(columns))

    def write_row(self, when: LocalStamp, values: Sequence[str]) -> None:
        self._sheet.append([when.text, *values])

    def close(self) -> None:
        self._book.save(str(self._path))

    def abort(self) -> None:
        return None


def generate(db_path: Path, n: int) -> None:
    """Bulk insert (one transaction, executemany): seconds, not the per-visit fsync of the app."""
    open_database(db_path).close()
    import sqlite3

    rng = random.Random(7)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous=OFF")
    step = 28 * 86_400 / n  # spread over 28 days, the retention period

    def rows():  # type: ignore[no-untyped-def]
        for i in range(n):
            at = START + i * step
            decision, reason, by = _OUTCOMES[i % len(_OUTCOMES)]
            yield (
                new_visit_id(at, rng), at, "dcc", f"{rng.getrandbits(256):064x}", None,
                _HOLDERS[i % len(_HOLDERS)], decision, reason, by, "confirmed", "bench-kiosk", None,
            )

    with conn:
        conn.executemany(f"INSERT INTO visits ({VISIT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows())
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def child(writer: str, db_path: Path, out: Path) -> None:
    factories: dict[str, SinkFactory] = {
        "csv": sink_for("csv"),
        "xlsx-xlsxwriter": sink_for("xlsx"),
        "xlsx-openpyxl": OpenpyxlWriteOnlySink,
    }
    fmt = "csv" if writer == "csv" else "xlsx"
    days = day_range(date(2026, 5, 1), date(2026, 7, 1), today=date(2026, 7, 1), tz=UTC)
    t0 = time.perf_counter()
    result = export_visits(
        db_path, out, ExportRequest(days, fmt, "ko"), now=time.time(), tz=UTC,
        actor="benchmark", sink_factory=factories[writer],
    )
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    size = out.stat().st_size
    print(json.dumps({"rows": result.rows, "seconds": seconds, "peak_mb": peak_mb, "bytes": size}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(dir=sys.argv[2] if len(sys.argv) > 2 else None) as tmp:
        db_path = Path(tmp) / "kiosk.db"
        t0 = time.perf_counter()
        generate(db_path, n)
        size_mb = db_path.stat().st_size / 1e6
        print(f"generated {n:,} visits in {time.perf_counter() - t0:.1f} s ({size_mb:.0f} MB)")
        for writer in ("csv", "xlsx-xlsxwriter", "xlsx-openpyxl"):
            suffix = "csv" if writer == "csv" else "xlsx"
            out = Path(tmp) / f"export-{writer}.{suffix}"
            done = subprocess.run(
                [sys.executable, __file__, "--child", writer, str(db_path), str(out)],
                capture_output=True, text=True, check=False,
            )
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{writer:<16} not measured: {last}")
                continue
            fig = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{writer:<16} {fig['rows']:>9,} rows  {fig['seconds']:6.1f} s  "
                f"peak RSS {fig['peak_mb']:5.0f} MB  file {fig['bytes'] / 1e6:5.1f} MB"
            )
            out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
