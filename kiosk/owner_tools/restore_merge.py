"""The restored data file, built row by row: the backup's records beside this kiosk's trust.

The file that goes live is made by this version's own migrations, so nothing of the
backup's schema can come along, only rows, and not all of them:
- from the backup: visits, the upload queue, manual entries, the audit trail, the health log;
- from the current file: the trust list, issuers and revocations with their sync state
  (a backup's could admit forged passes offline; they come back from upstream or the
  bundled list, never from a file), and every visit not yet uploaded, with its queue row
  and manual entry (idempotent by visit id: a visit in both files is the backup's);
- the owner row `restore_owner` chose, with its lockout.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.owner.lockout import store_state
from kiosk.owner_tools.atomic import create_private_file
from kiosk.owner_tools.restore_owner import OwnerChoice, OwnerSource
from kiosk.store.migrations import apply_migrations

FROM_BACKUP = ("visits", "outbox", "manual_entries", "health_events", "audit_log")
FROM_CURRENT = ("trust_certs", "revocations", "trust_issuers")
# Visits the current file has not uploaded yet (pending, or set aside for the owner to see).
_UNSENT = "WHERE {key} IN (SELECT visit_id FROM cur.outbox WHERE state != 'sent')"


@dataclass(frozen=True, slots=True)
class BuiltFile:
    visits: int  # in the restored file
    carried: int  # unsent visits of the current file that the backup did not hold


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _copy(conn: sqlite3.Connection, source: str, table: str, where: str = "") -> int:
    # Table names are this module's constants and columns come from the app's own schema.
    cols = ", ".join(f'"{row[1]}"' for row in conn.execute(f"PRAGMA main.table_info({table})"))
    conn.execute(f"INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {cols} FROM {source}.{table} {where}")
    return int(conn.execute("SELECT changes()").fetchone()[0])


def _rows(conn: sqlite3.Connection, current: Path | None, owner: OwnerChoice) -> int:
    for table in FROM_BACKUP:
        _copy(conn, "bk", table)
    carried = 0
    if current is not None:
        for table in FROM_CURRENT:
            _copy(conn, "cur", table)
        conn.execute(
            "INSERT OR REPLACE INTO main.meta (key, value) "
            "SELECT key, value FROM cur.meta WHERE key != 'schema_version'"
        )
        carried = _copy(conn, "cur", "visits", _UNSENT.format(key="id"))
        _copy(conn, "cur", "outbox", _UNSENT.format(key="visit_id"))
        _copy(conn, "cur", "manual_entries", _UNSENT.format(key="visit_id"))
    if owner.source is OwnerSource.CURRENT:
        assert current is not None
        _copy(conn, "cur", "owner")
    elif owner.source is OwnerSource.BACKUP:
        _copy(conn, "bk", "owner")
        assert owner.lockout is not None
        store_state(conn, owner.lockout)
    return carried


def build_restored(target: Path, staged: Path, current: Path | None, owner: OwnerChoice) -> BuiltFile:
    """Write the file to restore at `target` from the checked backup copy and the current file (None:
    there is none, or it cannot be read); sqlite3 errors leave to the caller."""
    create_private_file(target)
    conn = sqlite3.connect(target.resolve().as_uri(), uri=True, isolation_level=None)
    try:
        apply_migrations(conn)
        conn.execute("ATTACH DATABASE ? AS bk", (_read_only(staged),))
        if current is not None:
            conn.execute("ATTACH DATABASE ? AS cur", (_read_only(current),))
        conn.execute("BEGIN")
        carried = _rows(conn, current, owner)
        conn.execute("COMMIT")
        visits = int(conn.execute("SELECT count(*) FROM main.visits").fetchone()[0])
    finally:
        conn.close()
    return BuiltFile(visits, carried)
