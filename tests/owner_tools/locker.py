"""Another process that holds the kiosk data file's write lock until told to let go.

Usage: python locker.py DB_PATH   — prints "locked" once `BEGIN EXCLUSIVE` holds (with an
uncommitted write), then waits for a line on stdin and rolls back.
"""

from __future__ import annotations

import sqlite3
import sys


def main() -> None:
    conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (0, 'locker', 'hold', '{}')")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()


if __name__ == "__main__":
    main()
