"""`kiosk doctor`'s write check proves that a visit is written and kept (issue 20).

An empty transaction stays OK with a trigger that drops every visit; the check now
compares the live file with the app's own schema and writes a probe visit inside a
savepoint, reads it back and rolls it back.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.paths import database_path
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from tests.store.conftest import execute_sql


def doctor(capsys: pytest.CaptureFixture[str], data: Path) -> tuple[int, dict[str, str]]:
    code = main(["doctor", "--json", "--no-network", "--data", str(data)])
    out, _err = capsys.readouterr()
    checks = {row["check"]: row for row in map(json.loads, out.splitlines())}
    return code, checks["database writes"]


def live_file(tmp_path: Path, *sql: str) -> Path:
    """A data folder doctor otherwise passes (a fresh trust list), its file then changed by `sql`."""
    data = tmp_path / "data"
    now = time.time()
    _key, der = make_signer("ES256", "XA", "Doctor DSC", None, now - 86_400, now + 86_400 * 365)
    with open_database(database_path(data)) as db:
        TrustStore(db).add(load_signer_cert(der), now)
    execute_sql(database_path(data), *sql)
    return data


def visit_count(data: Path) -> int:
    conn = sqlite3.connect(database_path(data))
    try:
        return int(conn.execute("SELECT count(*) FROM visits").fetchone()[0])
    finally:
        conn.close()


def test_the_write_check_writes_reads_back_and_leaves_nothing(capsys, tmp_path):  # type: ignore[no-untyped-def]
    data = live_file(tmp_path)
    code, check = doctor(capsys, data)
    assert code == 0 and check["status"] == "ok" and "reads back" in check["detail"]
    assert visit_count(data) == 0


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("CREATE TRIGGER keep_out BEFORE INSERT ON visits BEGIN SELECT RAISE(IGNORE); END",
         "trigger 'keep_out'"),
        ("CREATE VIEW everyone AS SELECT holder_masked FROM visits", "view 'everyone'"),
        ("ALTER TABLE visits ADD COLUMN note TEXT NOT NULL DEFAULT ''", "table 'visits'"),
    ],
)
def test_doctor_fails_on_a_live_file_that_would_lose_visits(capsys, tmp_path, sql, named):  # type: ignore[no-untyped-def]
    data = live_file(tmp_path, sql)
    code, check = doctor(capsys, data)
    assert code == 1
    assert check["status"] == "fail" and named in check["detail"] and "kiosk restore" in check["hint"]
