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


# When this kiosk last took list news from a verification (kiosk.upstream.list_news).
NEWS_HEARD_KEY = "list_news_heard_at"


def list_news_heard_at(db: Database) -> float | None:
    """When a verification last brought list news (kept across restarts); None: never, or unreadable."""
    value = get_meta(db, NEWS_HEARD_KEY)
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def set_list_news_heard_at(db: Database, at: float) -> None:
    with db.transaction() as conn:
        set_meta(conn, NEWS_HEARD_KEY, repr(float(at)))
