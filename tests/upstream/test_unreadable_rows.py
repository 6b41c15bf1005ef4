"""One damaged row must not block every upload (real file, real simulator, `kiosk sync` too).

The rows are damaged exactly as an owner with the sqlite3 shell (or a bad sector in a
text page) would: text that is not UTF-8, and a reason this version does not know.
SQLite's own integrity checks pass on such a file, so only the uploader can notice.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import ManualClock, SystemClock
from kiosk.simulator.server import Simulator
from kiosk.store import outbox
from kiosk.store.opening import open_database
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.uploader import StopReason, Uploader
from tests.upstream.test_uploader import START, add_visits


def _damage(path: Path) -> list[str]:
    """Damage rows 1 and 2 from outside, as the issue reproduces it; returns their visit ids."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM visits WHERE rowid IN (1, 2) ORDER BY rowid")]
        conn.execute("UPDATE visits SET reason = CAST(X'FF' AS TEXT) WHERE rowid = 1")
        conn.execute("UPDATE visits SET reason = 'future_reason' WHERE rowid = 2")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return ids


def _make_file(path: Path, n: int) -> list[str]:
    with open_database(path) as db:
        return add_visits(db, ManualClock(start=START), n, random.Random(7))


def test_uploader_quarantines_unreadable_rows_and_sends_the_rest(
    tmp_path: Path, fresh_sim: Simulator
) -> None:
    path = tmp_path / "kiosk.db"
    ids = _make_file(path, 6)
    bad = _damage(path)
    clock = ManualClock(start=START + 10)
    with open_database(path) as db, UpstreamClient(fresh_sim.url, "demo-key", clock=SystemClock()) as client:
        report = Uploader(db, client, clock, random.Random(1)).run_once()
        assert report.stopped is StopReason.DRAINED
        assert (report.sent, report.quarantined) == (4, 2)
        stored = {v["id"] for v in fresh_sim.state.stored_visits()}
        assert stored == set(ids) - set(bad)
        rows = db.query(
            "SELECT CAST(visit_id AS BLOB), state, last_error FROM outbox WHERE state = 'quarantined'"
        )
        causes = {bytes(r[0]).decode(): r[2] for r in rows}
        assert set(causes) == set(bad)
        assert "UTF-8" in causes[bad[0]]
        assert "Reason" in causes[bad[1]] and "future_reason" not in causes[bad[1]]
        # Set aside, still owed: upstream never refused them.
        assert outbox.quarantined_count(db) == 2 and outbox.pending_count(db) == 0


def test_kiosk_sync_and_doctor_with_damaged_rows(
    tmp_path: Path, fresh_sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    ids = _make_file(data / "kiosk.db", 5)
    _damage(data / "kiosk.db")
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{fresh_sim.url}"\napi_key = "demo-key"\n')
    common = ["--config", str(config), "--data", str(data)]
    assert main(["sync", *common]) == 0
    _out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    assert len(fresh_sim.state.stored_visits()) == len(ids) - 2

    main(["doctor", "--json", "--no-network", *common])
    checks = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert checks["upload quarantine"]["status"] == "warn"
    assert "2 visit(s) set aside" in checks["upload quarantine"]["detail"]
