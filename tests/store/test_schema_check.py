"""A data file has exactly the app's own schema at the version it declares, and nothing else (issue 20)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from kiosk.store.database import Database
from kiosk.store.errors import StoreError
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations
from kiosk.store.opening import open_database
from kiosk.store.schema_check import SchemaReport, inspect_schema
from kiosk.store.visits import list_visits
from kiosk.store.write_probe import probe_visit_write
from tests.store.conftest import execute_sql

NOW = 1_780_000_000.0


def report(path: Path) -> SchemaReport:
    conn = sqlite3.connect(path)
    try:
        return inspect_schema(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_the_apps_own_file_at_each_version_matches(tmp_path: Path, version: int) -> None:
    path = tmp_path / "k.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, MIGRATIONS[:version])
    conn.close()
    assert report(path) == SchemaReport(version, ())


def test_the_same_schema_written_differently_matches(tmp_path: Path, db_path: Path) -> None:
    """Compared by SQLite's catalogue and type affinity, not DDL text: older sqlite-utils wrote FLOAT."""
    open_database(db_path).close()
    rewritten = tmp_path / "rewritten.db"
    source = sqlite3.connect(db_path)
    ddl = [sql for (sql,) in source.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    meta = source.execute("SELECT key, value FROM meta").fetchall()
    source.close()
    assert any("REAL" in sql for sql in ddl)
    execute_sql(rewritten, *[" ".join(sql.replace("REAL", "FLOAT").replace('"', "").split()) for sql in ddl])
    conn = sqlite3.connect(rewritten)
    with conn:
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta)
    conn.close()
    assert report(rewritten) == SchemaReport(SCHEMA_VERSION, ())


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TRIGGER t AFTER DELETE ON audit_log BEGIN SELECT 1; END", "a trigger 't' on 'audit_log'"),
        ("CREATE VIEW v AS SELECT 1", "a view 'v'"),
        ("CREATE TABLE x (y)", "a table 'x' that the app does not make"),
        ("DROP INDEX idx_visits_uci_hash", "no index 'idx_visits_uci_hash'"),
        ("ALTER TABLE audit_log ADD COLUMN z BLOB", "the table 'audit_log'"),
        ("UPDATE meta SET value = '2' WHERE key = 'schema_version'", "a table 'trust_issuers'"),
        ("UPDATE meta SET value = '-1' WHERE key = 'schema_version'", "schema version -1"),
        ("DELETE FROM meta", "no readable schema version"),
    ],
)
def test_anything_else_is_named(db_path: Path, sql: str, expected: str) -> None:
    open_database(db_path).close()
    execute_sql(db_path, sql)
    found = report(db_path)
    assert not found.ok and any(expected in problem for problem in found.problems), found.problems


def test_a_column_of_another_affinity_is_a_difference(tmp_path: Path, db_path: Path) -> None:
    open_database(db_path).close()
    execute_sql(db_path, "ALTER TABLE revocations RENAME TO old",
           "CREATE TABLE revocations (uci_hash BLOB PRIMARY KEY, added_at REAL NOT NULL)",
           "DROP TABLE old")
    [problem] = report(db_path).problems
    assert problem == "the table 'revocations' differs from this version's (columns, keys or indexes)"


# --- the write probe (doctor's "database writes") ----------------------------------------------


def probe(db: Database) -> bool:
    return probe_visit_write(db, now=NOW, rng=random.Random(3), wait_s=0.5)


def test_a_probe_visit_reads_back_and_leaves_nothing(db: Database) -> None:
    assert probe(db)
    assert list_visits(db) == [] and db.scalar("SELECT count(*) FROM outbox") == 0


@pytest.mark.parametrize(
    ("trigger", "loud"),
    [
        ("CREATE TRIGGER quiet BEFORE INSERT ON outbox BEGIN SELECT RAISE(IGNORE); END", False),
        ("CREATE TRIGGER gone AFTER INSERT ON outbox BEGIN DELETE FROM outbox WHERE rowid = NEW.rowid; END",
         False),
        ("CREATE TRIGGER blur AFTER INSERT ON visits BEGIN UPDATE visits SET decision = 'admit'; END", False),
        ("CREATE TRIGGER refuse BEFORE INSERT ON visits BEGIN SELECT RAISE(ABORT, 'no'); END", True),
        # The visit dropped, its queue row then points to nothing: the foreign key says so.
        ("CREATE TRIGGER quiet BEFORE INSERT ON visits BEGIN SELECT RAISE(IGNORE); END", True),
    ],
)
def test_a_visit_that_is_not_kept_fails_the_probe(db_path: Path, trigger: str, loud: bool) -> None:
    """Silently dropped or changed (only reading back shows it), or refused with a StoreError."""
    open_database(db_path).close()
    execute_sql(db_path, trigger)
    with open_database(db_path) as db:
        if loud:
            with pytest.raises(StoreError):
                probe(db)
        else:
            assert not probe(db)
