"""`kiosk restore` refuses a doctored data file (issue 20), and a genuine older backup still restores.

Each hostile file starts from a genuine backup written by `kiosk backup` and is changed
with plain SQLite, as anyone holding the file could. Each refusal: exit 2, a message
naming both files, the current data file byte for byte as it was, and the kiosk still
records visits afterwards.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kiosk.owner.pin import hash_secret
from kiosk.passes.signer import load_signer_cert
from kiosk.paths import database_path
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from tests.owner.support import FAST_SCRYPT, GOOD_PIN
from tests.owner_tools.restore_support import (
    NOW,
    app_still_works,
    doctored,
    kiosk,
    make_kiosk,
    rows,
    signer_der,
    visit,
    visit_holders,
)
from tests.store.conftest import execute_sql


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    make_kiosk(folder)
    visit(database_path(folder), "BACKED-UP")
    return folder


@pytest.fixture
def genuine(capsys, monkeypatch, data: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    backup = tmp_path / "usb" / "backup.db"
    backup.parent.mkdir()
    assert kiosk(capsys, monkeypatch, "backup", "--data", data, backup).code == 0
    visit(database_path(data), "AFTER-BACKUP", sent=False)
    return backup


HOSTILE = {
    "trigger dropping every visit": (
        ["CREATE TRIGGER keep_out BEFORE INSERT ON visits BEGIN SELECT RAISE(IGNORE); END"], "trigger"),
    "trigger deleting other visits": (
        ["CREATE TRIGGER wipe AFTER INSERT ON outbox BEGIN DELETE FROM visits WHERE id != NEW.visit_id; END"],
        "trigger"),
    "trigger keeping the PIN lockout from counting": (
        ["CREATE TRIGGER tries BEFORE UPDATE OF failed_tries ON owner BEGIN SELECT RAISE(IGNORE); END"],
        "trigger"),
    "trigger calling an unknown SQL function": (
        ["CREATE TRIGGER call AFTER INSERT ON visits BEGIN SELECT exfiltrate(NEW.holder_masked); END"],
        "trigger"),
    "view": (["CREATE VIEW everyone AS SELECT holder_masked FROM visits"], "view"),
    "extra table": (["CREATE TABLE notes (x TEXT)"], "table 'notes'"),
    "extra index": (["CREATE INDEX idx_by_kind ON visits (kind)"], "index 'idx_by_kind'"),
    "extra column": (["ALTER TABLE visits ADD COLUMN note TEXT"], "table 'visits'"),
    "missing column": (["ALTER TABLE health_events DROP COLUMN cause"], "table 'health_events'"),
    # Refused for what version 1 did not have (the first few extra objects are named).
    "today's tables declaring version 1": (
        ["UPDATE meta SET value = '1' WHERE key = 'schema_version'"], "that the app does not make"),
    "version -1": (["UPDATE meta SET value = '-1' WHERE key = 'schema_version'"], "schema version -1"),
    "version 0": (["UPDATE meta SET value = '0' WHERE key = 'schema_version'"], "schema version 0"),
    "unreadable version": (
        ["UPDATE meta SET value = 'three' WHERE key = 'schema_version'"], "schema version"),
    "queue row of no visit": (
        ["INSERT INTO outbox (visit_id, attempts, next_attempt_at, state) "
         "VALUES ('nobody', 0, 0, 'pending')"],
        "point to visits"),
}


def folder_state(data: Path) -> tuple[bytes, list[str]]:
    return database_path(data).read_bytes(), sorted(os.listdir(data))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_restore_refuses_a_doctored_backup_and_changes_nothing(
    capsys, monkeypatch, data, genuine, tmp_path, case  # type: ignore[no-untyped-def]
):
    sql, reason = HOSTILE[case]
    hostile = doctored(genuine, tmp_path / "usb" / "doctored.db", *sql)
    before = folder_state(data)

    done = kiosk(capsys, monkeypatch, "restore", "--data", data, hostile)

    assert done.code == 2, done.err
    assert str(hostile) in done.err and str(database_path(data)) in done.err
    assert reason in done.err and "nothing was restored" in done.err
    assert folder_state(data) == before
    app_still_works(capsys, monkeypatch, data)


def test_restore_refuses_a_file_larger_than_a_kiosk_file_can_be(capsys, monkeypatch, data, genuine, tmp_path):  # type: ignore[no-untyped-def]
    # A genuine backup followed by 5 GB of nothing (sparse: it takes no disk space here).
    huge = doctored(genuine, tmp_path / "usb" / "huge.db")
    with open(huge, "r+b") as f:
        f.truncate(5 << 30)
    before = folder_state(data)

    done = kiosk(capsys, monkeypatch, "restore", "--data", data, huge)

    assert done.code == 2 and "MB" in done.err and "more than" in done.err
    assert str(huge) in done.err and str(database_path(data)) in done.err
    assert folder_state(data) == before


def test_the_genuine_backup_restores(capsys, monkeypatch, data, genuine):  # type: ignore[no-untyped-def]
    done = kiosk(capsys, monkeypatch, "restore", "--data", data, genuine)

    assert done.code == 0, done.err
    assert str(genuine) in done.err and str(database_path(data)) in done.err
    assert visit_holders(database_path(data)) == ["AFTER-BACKUP", "BACKED-UP"]
    app_still_works(capsys, monkeypatch, data)


def older_backup(path: Path, version: int) -> Path:
    """A backup as a kiosk of schema `version` wrote it: its own migrations, then its rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        apply_migrations(conn, MIGRATIONS[:version])
        conn.execute(
            "INSERT INTO visits (id, scanned_at, kind, pass_hash, holder_masked, decision, reason, "
            "verified_by, upstream_state, kiosk_id) VALUES ('v-old', ?, 'dcc', 'aa', 'OLD-ONE', 'admit', "
            "'valid', 'offline', 'pending', 'kiosk-7')",
            (NOW,),
        )
        conn.execute("INSERT INTO outbox (visit_id, next_attempt_at) VALUES ('v-old', ?)", (NOW,))
        if version >= 2:
            pin_hash = hash_secret(GOOD_PIN, FAST_SCRYPT)
            conn.execute(
                "INSERT INTO owner (id, pin_hash, recovery_hash, public_key, created_at, updated_at) "
                "VALUES (1, ?, ?, ?, ?, ?)",
                (pin_hash, pin_hash, b"\x01" * 32, NOW, NOW),
            )
    finally:
        conn.close()
    return path


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_genuine_backup_restores_migrated(capsys, monkeypatch, data, tmp_path, version):  # type: ignore[no-untyped-def]
    backup = older_backup(tmp_path / f"v{version}.db", version)

    done = kiosk(capsys, monkeypatch, "restore", "--data", data, "--pin-stdin", backup)

    assert done.code == 0, done.err
    assert f"(schema {version})" in done.err
    restored = database_path(data)
    assert rows(restored, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert "OLD-ONE" in visit_holders(restored)
    # Without its PIN, a version 2 backup's owner is not taken (this kiosk has none: none).
    assert rows(restored, "SELECT count(*) FROM owner") == [(0,)]
    assert "no owner" in done.err
    app_still_works(capsys, monkeypatch, data)


@pytest.mark.parametrize("harm", ["a trigger in the live file", "a damaged live file"])
def test_a_live_file_that_is_not_the_apps_own_is_set_aside_and_nothing_of_it_is_carried(
    capsys, monkeypatch, data, genuine, harm  # type: ignore[no-untyped-def]
):
    db_path = database_path(data)
    with open_database(db_path) as db:
        TrustStore(db).add(load_signer_cert(signer_der("Live DSC")), NOW)
    if harm == "a damaged live file":
        db_path.write_bytes(b"not a database any more " * 400)
    else:
        execute_sql(db_path, HOSTILE["trigger dropping every visit"][0][0])
    harmed = db_path.read_bytes()

    done = kiosk(capsys, monkeypatch, "restore", "--data", data, genuine)

    assert done.code == 0, done.err
    assert "nothing of it was carried over" in done.err
    assert rows(db_path, "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')") == []
    assert rows(db_path, "SELECT count(*) FROM trust_certs") == [(0,)]
    assert visit_holders(db_path) == ["BACKED-UP"]
    [kept] = data.glob("kiosk.db.before-restore-*")
    if harm == "a damaged live file":
        assert kept.read_bytes() == harmed  # kept as it was, for support
    app_still_works(capsys, monkeypatch, data)
