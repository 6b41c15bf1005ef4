"""An update keeps a copy of the data file before it migrates the schema, and an older
build that meets the newer schema names that copy (the install issue); kept copies are
removed once past the retention period."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kiosk.errors import StoreError
from kiosk.store.errors import DiskFullError, NewerSchemaError
from kiosk.store.kept_copies import remove_expired_copies
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations
from kiosk.store.opening import open_database
from tests.store.conftest import execute_sql
from tests.tiny_tmpfs import tiny_tmpfs

OLD = 2  # a schema an earlier release wrote


def old_file(path: Path, version: int = OLD) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        apply_migrations(conn, MIGRATIONS[:version])
    finally:
        conn.close()
    execute_sql(path, "INSERT INTO meta (key, value) VALUES ('marker', 'from the old release')")
    return path


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        conn.close()


def test_an_upgrade_keeps_a_private_copy_of_the_file_as_it_was(tmp_path: Path) -> None:
    db_path = old_file(tmp_path / "kiosk.db")

    with open_database(db_path) as db:
        assert db.schema_version == SCHEMA_VERSION

    copy = tmp_path / f"kiosk.db.before-upgrade-schema-{OLD}"
    assert version_of(copy) == OLD
    conn = sqlite3.connect(copy)
    try:
        marker = conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
        assert marker == ("from the old release",)
    finally:
        conn.close()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "before-upgrade" in p.name) == [copy.name]


def test_a_new_file_and_a_current_one_keep_no_copy(tmp_path: Path) -> None:
    db_path = tmp_path / "kiosk.db"
    with open_database(db_path):
        pass
    with open_database(db_path):
        pass
    assert not [p for p in tmp_path.iterdir() if "before-upgrade" in p.name]


def test_an_older_build_meeting_the_newer_schema_names_the_copy_it_can_read(tmp_path: Path) -> None:
    db_path = old_file(tmp_path / "kiosk.db")
    with open_database(db_path):
        pass  # the update: copy of schema 2 kept, file now at the newest schema

    with pytest.raises(NewerSchemaError) as refused:
        open_database(db_path, migrations=MIGRATIONS[:OLD])  # the earlier release again

    assert f"kiosk.db.before-upgrade-schema-{OLD}" in refused.value.message
    assert "restore" in refused.value.message and "newer version" in refused.value.message
    assert version_of(db_path) == SCHEMA_VERSION  # untouched


def test_without_a_readable_copy_the_newer_schema_message_stays_as_it_was(tmp_path: Path) -> None:
    db_path = tmp_path / "kiosk.db"
    with open_database(db_path):
        pass  # created at the newest schema: no copy
    with pytest.raises(NewerSchemaError) as refused:
        open_database(db_path, migrations=MIGRATIONS[:OLD])
    assert "before-upgrade" not in refused.value.message


def test_a_full_disk_stops_the_upgrade_before_it_starts_and_loses_nothing(tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path / "small", size="2m") as folder:
        db_path = old_file(folder / "kiosk.db")
        execute_sql(db_path, "INSERT INTO meta (key, value) VALUES ('padding', printf('%.400000c', 'x'))")
        filler = folder / "filler"
        fd = os.open(filler, os.O_CREAT | os.O_WRONLY)  # leave no room for a copy of the file
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        # Room to open the file (its -wal and -shm), not for a copy of its 400 kB.
        os.truncate(filler, filler.stat().st_size - 160 * 1024)
        with pytest.raises(StoreError) as refused:
            open_database(db_path)
        assert isinstance(refused.value, DiskFullError)
        assert str(db_path) in refused.value.message and "not upgraded" in refused.value.message
        assert version_of(db_path) == OLD
        assert not [p.name for p in folder.iterdir() if "before-upgrade" in p.name]

        filler.unlink()
        with open_database(db_path) as db:
            assert db.schema_version == SCHEMA_VERSION


def test_kept_copies_go_once_past_the_retention_period(tmp_path: Path) -> None:
    db_path = tmp_path / "kiosk.db"
    now = 2_000_000_000.0
    old_upgrade = tmp_path / "kiosk.db.before-upgrade-schema-2"
    old_restore = tmp_path / "kiosk.db.before-restore-20330101-120000"
    recent = tmp_path / "kiosk.db.before-restore-20330517-120000"
    other = tmp_path / "kiosk.db-wal"
    for path in (old_upgrade, old_restore, recent, other):
        path.write_bytes(b"x")
    for path in (old_upgrade, old_restore, other):
        os.utime(path, (now - 29 * 86400, now - 29 * 86400))
    os.utime(recent, (now - 27 * 86400, now - 27 * 86400))

    removed = remove_expired_copies(db_path, now=now, retention_days=28)

    assert removed == sorted([old_upgrade, old_restore])
    assert recent.exists() and other.exists()
