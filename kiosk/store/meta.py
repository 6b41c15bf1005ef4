"""Small named values in the data file's `meta` table (sync cursors, ETags, times)."""

from __future__ import annotations

import sqlite3

from kiosk.store.database import Database


def get_meta(db: Database, key: str) -> str | None:
    value = db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Inside the caller's transaction, so the value changes with what it describes; None deletes."""
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
