"""Does the retention purge delay the app's writes? The longest write stall of a concurrent writer.

A writer process commits one visit (fsynced, as the app does) every 10 ms and records
each commit's latency, while a purge deletes a month-old log: the app's purge
(`PURGE_CHUNK_ROWS` visits per transaction) and, for contrast, the same purge in one
transaction. The app's verdict path waits at most 250 ms for the write lock before it
journals a visit instead. Asserts nothing.

Usage: python benchmarks/purge.py [VISITS] [DIR]     (VISITS defaults to 200,000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kiosk.store.opening import open_database
from kiosk.store.retention import PURGE_CHUNK_ROWS, purge

sys.path.insert(0, str(Path(__file__).parent))
from backup import _line, _measure  # the same concurrent writer as the backup benchmark
from export import generate  # visits spread over 28 days, long past the retention period now


def _purge(db_path: Path, chunk_rows: int) -> None:
    with open_database(db_path) as db:
        db.query("PRAGMA secure_delete = ON")  # as kiosk.owner_tools.purge does
        counts = purge(db, time.time(), 28, actor="benchmark", chunk_rows=chunk_rows)
    print(f"  deleted {counts.visits_deleted:,} visits")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory(dir=sys.argv[2] if len(sys.argv) > 2 else None) as tmp:
        for label, chunk in ((f"purge, {PURGE_CHUNK_ROWS:,} per transaction", PURGE_CHUNK_ROWS),
                             ("purge in one transaction", n)):
            db_path = Path(tmp) / f"kiosk-{chunk}.db"
            generate(db_path, n)
            ms, took = _measure(db_path, 8.0, lambda p=db_path, c=chunk: _purge(p, c))
            print(_line(label, ms, took).replace("backup took", "purge took"))


if __name__ == "__main__":
    main()
