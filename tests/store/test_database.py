from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.clock import ManualClock
from kiosk.errors import StoreError
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    NewerSchemaError,
    NotADatabaseError,
    StoreAccessError,
)
from kiosk.store.migrations import SCHEMA_VERSION, apply_migrations
from kiosk.store.opening import open_database
from kiosk.store.reconciliation import oldest_offline_admission_at
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import list_visits, record_visit
from tests.store.conftest import LockWaits, VisitFactory

EXPECTED_TABLES = {
    "meta", "visits", "outbox", "manual_entries", "trust_certs", "revocations", "health_events", "audit_log",
}


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_open_creates_folder_schema_and_records_version(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with open_database(db_path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert db.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
        assert db.scalar("PRAGMA journal_mode") == "wal"
        assert db.scalar("PRAGMA synchronous") == 2  # FULL
        assert db.scalar("PRAGMA foreign_keys") == 1
        assert db.integrity_check() == []
    assert _tables(db_path) >= EXPECTED_TABLES


def test_indexes_serve_the_hot_queries(db_path: Path) -> None:
    with open_database(db_path) as db:
        plan = " ".join(
            str(r[3]) for r in db.query(
                "EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= 5"
            )
        )
        assert "idx_outbox_state_due" in plan
        plan = " ".join(
            str(r[3]) for r in db.query("EXPLAIN QUERY PLAN SELECT * FROM visits WHERE scanned_at >= 5")
        )
        assert "idx_visits_scanned_at" in plan


def _plans_of(db: Database, ask: Callable[[], object]) -> str:
    """The query plans of the statements `ask` runs (as SQLite ran them, values bound)."""
    statements: list[str] = []
    conn = db._connection()
    conn.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        conn.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "UPDATE"))]
    assert reads
    return " ".join(str(r[3]) for s in reads for r in db.query(f"EXPLAIN QUERY PLAN {s}"))


def test_indexes_serve_the_rounds_lookups(db_path: Path, clock: ManualClock) -> None:
    with open_database(db_path) as db:
        # Reconciliation's question at every maintenance round, the trust list's age at every
        # offline verdict, and a failed batch's reschedule find their rows through an index.
        assert "idx_visits_unreconciled" in _plans_of(db, lambda: oldest_offline_admission_at(db))
        assert "idx_trust_certs_fetched_at" in _plans_of(db, TrustStore(db, clock).last_updated)
        plan = _plans_of(db, lambda: outbox.mark_failed(db, ["a", "b"], "timeout", 5.0))
        assert "sqlite_autoindex_outbox_1 (visit_id=?)" in plan


def test_reopen_is_idempotent_and_keeps_data(db_path: Path, make_visit: VisitFactory) -> None:
    visit = make_visit()
    with open_database(db_path) as db:
        record_visit(db, visit)
    with open_database(db_path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert [v.id for v in list_visits(db)] == [visit.id]
        assert db.scalar("SELECT count(*) FROM meta WHERE key = 'schema_version'") == 1


def test_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 5),))
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError) as info:
        open_database(db_path)
    assert "newer version" in info.value.message
    assert info.value.key == "store.newer_schema"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION + 5)
    conn.close()


@pytest.mark.parametrize("declared", ["-1", "three"])
def test_a_negative_or_unreadable_version_is_refused_and_left_alone(db_path: Path, declared: str) -> None:
    # Never an index from the end of the migrations: -1 would run the newest one again.
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (declared,))
    conn.close()
    with pytest.raises(NotADatabaseError, match="schema version"):
        open_database(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM meta").fetchone()[0] == declared
    conn.close()


def test_failed_migration_rolls_back_and_keeps_previous_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)

    def first(db: sqlite_utils.Database) -> None:
        db.create_table("one", {"id": int}, pk="id")

    def broken(db: sqlite_utils.Database) -> None:
        db.create_table("two", {"id": int}, pk="id")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(conn, [first, broken])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "one" in tables
    assert "two" not in tables  # the broken migration left nothing behind
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
    # Fixed code resumes from version 1 without re-running the first migration.
    assert apply_migrations(conn, [first, lambda db: db.create_table("two", {"id": int})]) == 2
    conn.close()


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the data folder should be")
    with pytest.raises(StoreAccessError) as info:
        open_database(blocker / "kiosk.db")
    assert "permission denied" in info.value.message
    assert isinstance(info.value, StoreError)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreAccessError):
            open_database(locked / "kiosk.db")
    finally:
        locked.chmod(0o700)


def test_path_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "kiosk.db").mkdir()
    with pytest.raises(StoreAccessError):
        open_database(tmp_path / "kiosk.db")


def test_not_a_database_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    content = b"name,phone\n" + b"x" * 5000
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError) as info:
        open_database(path)
    assert "not a database" in info.value.message
    assert path.read_bytes() == content


def _fill(db_path: Path, make_visit: VisitFactory, n: int) -> None:
    with open_database(db_path) as db:
        for _ in range(n):
            record_visit(db, make_visit())
    # Closing the last connection checkpoints the WAL into the main file.
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0


def test_corrupt_page_is_detected_at_open_and_file_not_overwritten(
    db_path: Path, make_visit: VisitFactory
) -> None:
    _fill(db_path, make_visit, 400)
    data = bytearray(db_path.read_bytes())
    page_size = 4096
    pages = len(data) // page_size
    assert pages > 10
    middle = pages // 2
    data[middle * page_size : (middle + 1) * page_size] = bytes((i * 37 + 11) % 256 for i in range(page_size))
    db_path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError) as info:
        open_database(db_path)
    assert "damaged" in info.value.message
    assert db_path.read_bytes() == bytes(data)


def test_integrity_check_reports_damage_found_after_open(db_path: Path, make_visit: VisitFactory) -> None:
    _fill(db_path, make_visit, 400)
    with open_database(db_path) as db:
        assert db.integrity_check(full=True) == []
        data = bytearray(db_path.read_bytes())
        middle = len(data) // 4096 // 2
        data[middle * 4096 : (middle + 1) * 4096] = b"\xff" * 4096
        with open(db_path, "r+b") as fh:
            fh.write(bytes(data))
        db.query("PRAGMA shrink_memory")  # drop cached pages so the check reads the damaged file
        assert db.integrity_check() != []


def test_disk_full_gives_clear_error_and_keeps_previous_data(db_path: Path, make_visit: VisitFactory) -> None:
    with open_database(db_path) as db:
        kept = [make_visit() for _ in range(5)]
        for visit in kept:
            record_visit(db, visit)
        with db.transaction() as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            # max_page_count is per connection: simulates a disk with no room to grow.
            conn.execute(f"PRAGMA max_page_count = {pages}")
        failed = None
        with pytest.raises(DiskFullError) as info:
            for _ in range(2000):
                failed = make_visit(holder_masked="X" * 200)
                record_visit(db, failed)
        assert info.value.message.startswith("disk full")
        assert failed is not None
        assert db.query("SELECT 1 FROM visits WHERE id = ?", (failed.id,)) == []
        assert db.query("SELECT 1 FROM outbox WHERE visit_id = ?", (failed.id,)) == []
        visits_before_reopen = db.scalar("SELECT count(*) FROM visits")
    with open_database(db_path) as db:
        ids = {v.id for v in list_visits(db)}
        assert {v.id for v in kept} <= ids
        assert len(ids) == visits_before_reopen
        assert db.scalar("SELECT count(*) FROM outbox") == len(ids)
        assert db.integrity_check(full=True) == []


def test_locked_too_long_is_a_clear_error(db_path: Path, make_visit: VisitFactory) -> None:
    with open_database(db_path, busy_timeout=0.2) as db:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(DatabaseBusyError) as info:
                record_visit(db, make_visit())
            assert "locked" in info.value.message
        finally:
            other.execute("ROLLBACK")
            other.close()
        record_visit(db, make_visit())  # works again once the other program lets go
        assert len(list_visits(db)) == 1


def test_closed_database_raises_store_error(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    with pytest.raises(StoreError):
        db.query("SELECT 1")


def test_threads_share_one_database(db_path: Path, make_visit: VisitFactory) -> None:
    visits = [make_visit() for _ in range(200)]
    errors: list[BaseException] = []
    with open_database(db_path) as db:

        def writer(chunk: list) -> None:
            try:
                for visit in chunk:
                    record_visit(db, visit)
                    db.query("SELECT count(*) FROM outbox")
            except BaseException as exc:  # collected and re-raised in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(visits[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert {v.id for v in list_visits(db)} == {v.id for v in visits}


def test_nested_transaction_rolls_back_only_inner_part(db: object, make_visit: VisitFactory) -> None:
    from kiosk.store.database import Database

    assert isinstance(db, Database)
    a, b = make_visit(), make_visit()
    with db.transaction():
        record_visit(db, a)
        with pytest.raises(StoreError), db.transaction() as conn:
            record_visit(db, b)
            conn.execute("INSERT INTO outbox (visit_id, next_attempt_at) VALUES ('missing', 0)")
    assert [v.id for v in list_visits(db)] == [a.id]


def test_a_memory_copy_has_the_schema_and_is_its_own_file() -> None:
    from kiosk.store.database import memory_copy

    template = open_database(":memory:")
    copy = memory_copy(template, cached_statements=16)
    try:
        assert copy.schema_version == template.schema_version
        assert copy.scalar("PRAGMA foreign_keys") == 1
        with copy.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('only-in-copy', 'x')")
        assert copy.scalar("SELECT value FROM meta WHERE key = 'only-in-copy'") == "x"
        assert template.scalar("SELECT count(*) FROM meta WHERE key = 'only-in-copy'") == 0
    finally:
        copy.close()
        template.close()


def test_a_lock_wait_holds_for_its_block_and_transactions_keep_their_own(
    db_path: Path, make_visit: VisitFactory
) -> None:
    db = open_database(db_path)
    waits = LockWaits(db)
    record_visit(db, make_visit())
    before = int(db.scalar("PRAGMA busy_timeout"))
    with db.lock_wait(100):
        assert int(db.scalar("PRAGMA busy_timeout")) == 100
        record_visit(db, make_visit())  # a transaction inside still gets its own wait
    record_visit(db, make_visit())
    with db.lock_wait(100):
        pass
    assert int(db.scalar("PRAGMA busy_timeout")) == before  # restored after the block
    first, inside, after = waits.take()
    assert first == inside == after != 100
    db.close()
