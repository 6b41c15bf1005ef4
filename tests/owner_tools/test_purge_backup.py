"""Purge erases rows from the file's bytes; backup and restore are consistent, checked and all-or-nothing."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.owner_tools.atomic import OutputDiskFullError
from kiosk.owner_tools.backup import backup_database, daily_backup
from kiosk.owner_tools.busy import OWNER_WAIT_S, KioskBusyError, busy_is_a_message
from kiosk.owner_tools.progress import CancelFlag, Cancelled
from kiosk.owner_tools.purge import purge_expired
from kiosk.owner_tools.restore import restore_database
from kiosk.store.audit import audit_entries
from kiosk.store.errors import NewerSchemaError, NotADatabaseError
from kiosk.store.migrations import SCHEMA_VERSION
from kiosk.store.opening import open_database
from kiosk.store.outbox import mark_sent
from kiosk.store.schema_check import SchemaReport, inspect_schema
from kiosk.store.sealing import generate_owner_keypair, record_manual_entry, seal
from kiosk.store.visits import list_visits
from tests.owner_tools.conftest import T0, bulk_visits, locked_by_other_process, tiny_tmpfs

DAY = 86_400.0


def file_bytes(db_path: Path) -> bytes:
    parts = [db_path, Path(f"{db_path}-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def test_purge_really_removes_old_rows_from_the_file_and_audits_counts(db, db_path, add_visit):
    owner = generate_owner_keypair()
    old = add_visit(scanned_at=T0, holder_masked="OLDHOLDERMARK")
    record_manual_entry(db, old.id, seal(owner.public_key, b"x"))
    mark_sent(db, [old.id])
    fresh = add_visit(scanned_at=T0 + 27 * DAY, holder_masked="FRESHHOLDER")
    db.query("PRAGMA wal_checkpoint(TRUNCATE)")  # the old row sits in the main file, as after a day of use
    assert b"OLDHOLDERMARK" in file_bytes(db_path)
    # Debian builds SQLite with secure delete on by default, Windows' Python does not: start from off.
    db.query("PRAGMA secure_delete = OFF")

    result = purge_expired(db, now=T0 + 29 * DAY, retention_days=28, actor="cli")

    assert result.counts.visits_deleted == 1 and result.counts.manual_entries_deleted == 1
    assert [v.id for v in list_visits(db)] == [fresh.id]
    assert result.wal_cleared
    data = file_bytes(db_path)
    assert b"OLDHOLDERMARK" not in data and old.pass_hash.encode() not in data
    assert b"FRESHHOLDER" in data
    [entry] = [e for e in audit_entries(db) if e.action == "purge"]
    assert entry.actor == "cli" and entry.detail["visits_deleted"] == 1


def test_purge_while_the_kiosk_holds_the_lock_says_busy_and_changes_nothing(db_path, add_visit):
    add_visit(scanned_at=T0)
    with locked_by_other_process(db_path), open_database(db_path, busy_timeout=OWNER_WAIT_S) as other:
        started = time.monotonic()
        with pytest.raises(KioskBusyError, match=r"busy.*try again"), busy_is_a_message("nothing was purged"):
            purge_expired(other, now=T0 + 60 * DAY, retention_days=28)
        assert time.monotonic() - started < OWNER_WAIT_S + 3  # waited briefly, did not stall
    with open_database(db_path) as check:
        assert len(list_visits(check)) == 1


def test_backup_is_a_verified_single_file_copy(db, db_path, add_visit, tmp_path):
    bulk_visits(db_path, 3000, T0)
    add_visit(holder_masked="이*연")
    seen = []
    result = backup_database(db_path, tmp_path / "copy.db", pages_per_step=8, progress=seen.append)
    assert not Path(f"{result.path}-wal").exists()
    conn = sqlite3.connect(result.path)
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 3001
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert inspect_schema(conn) == SchemaReport(SCHEMA_VERSION, ())
    conn.close()
    assert len(seen) > 3 and seen[-1].done == seen[-1].total
    assert not result.encrypted  # no owner yet: nothing to encrypt to


def test_backup_while_the_app_writes_is_consistent_and_does_not_restart(db, db_path, tmp_path):
    bulk_visits(db_path, 20_000, T0)
    steps = []
    writer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)

    def step(p) -> None:  # type: ignore[no-untyped-def]
        steps.append(p)
        # The app commits between the backup's steps: the copy stays the snapshot it started from.
        writer.execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'app', 'tick', '{}')")

    result = backup_database(db_path, tmp_path / "copy.db", pages_per_step=16, pause_s=0, progress=step)
    conn = sqlite3.connect(result.path)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'tick'").fetchone()[0] == 0
    conn.close()
    assert len(steps) <= result.pages // 16 + 2  # one pass, no restarts
    writer.close()


def test_backup_works_while_the_app_holds_the_write_lock(db, db_path, add_visit, tmp_path):
    add_visit()
    with locked_by_other_process(db_path):
        result = backup_database(db_path, tmp_path / "copy.db")
    assert sqlite3.connect(result.path).execute("SELECT count(*) FROM visits").fetchone()[0] == 1


def test_cancelled_backup_and_a_full_target_disk_leave_no_file(db, db_path, tmp_path):
    bulk_visits(db_path, 20_000, T0)
    flag = CancelFlag()
    flag.set()
    with pytest.raises(Cancelled):
        backup_database(db_path, tmp_path / "c.db", cancelled=flag)
    assert list(tmp_path.glob("c.db*")) == [] and list(tmp_path.glob(".c.db*")) == []
    with tiny_tmpfs(tmp_path / "usb", size="256k") as usb:
        with pytest.raises(OutputDiskFullError, match="not enough space"):
            backup_database(db_path, usb / "copy.db")
        assert list(usb.iterdir()) == []


def test_daily_backup_once_a_day_keeping_the_newest(db, db_path, add_visit, tmp_path):
    add_visit()
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "holiday.jpg").write_bytes(b"owner's own file")
    made = [daily_backup(db_path, usb, 3, now=T0 + i * DAY, tz=UTC) for i in range(5)]
    assert all(m is not None for m in made)
    assert daily_backup(db_path, usb, 3, now=T0 + 4 * DAY + 60, tz=UTC) is None
    names = sorted(p.name for p in usb.iterdir())
    assert names == [
        "holiday.jpg", "kiosk-backup-2026-05-30.db", "kiosk-backup-2026-05-31.db",
        "kiosk-backup-2026-06-01.db",
    ]


def test_restore_checks_first_and_keeps_the_old_file(db, db_path, add_visit, tmp_path):
    first = add_visit(holder_masked="BEFORE")
    backup = backup_database(db_path, tmp_path / "b.db").path
    add_visit(holder_masked="AFTER")
    db.close()

    result = restore_database(db_path, backup, clock=ManualClock(T0), tz=UTC)

    assert result.kept_old == db_path.with_name("kiosk.db.before-restore-20260528-030000")
    with open_database(db_path) as restored:
        assert [v.id for v in list_visits(restored)] == [first.id]
    with open_database(result.kept_old) as old:
        assert len(list_visits(old)) == 2


def test_restore_refuses_a_non_kiosk_file_a_newer_schema_and_a_busy_kiosk(db, db_path, add_visit, tmp_path):
    add_visit()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all " * 100)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    newer = backup_database(db_path, tmp_path / "newer.db").path
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    db.query("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()

    for bad, error in ((text, NotADatabaseError), (other, NotADatabaseError), (newer, NewerSchemaError)):
        with pytest.raises(error):
            restore_database(db_path, bad, clock=ManualClock(T0), tz=UTC)
    good = backup_database(db_path, tmp_path / "good.db").path
    with locked_by_other_process(db_path), pytest.raises(KioskBusyError, match="busy"):
        restore_database(db_path, good, clock=ManualClock(T0), tz=UTC)
    assert db_path.read_bytes() == before
    assert [p.name for p in db_path.parent.iterdir() if "before-restore" in p.name or ".part" in p.name] == []
