"""A visit journal line that cannot be merged never stops the kiosk, and no line is lost.

Real journal files next to a real data file: the good lines merge when the file opens,
every other line is kept in `kiosk.db.visit-journal.rejected.jsonl` for support.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store.journal import VisitJournal, rejected_path
from kiosk.store.opening import open_database
from kiosk.store.visits import VisitRecord
from tests.commands.test_trust_doctor import doctor_json

VisitFactory = Callable[..., VisitRecord]


def _line(visit: VisitRecord, **changes: object) -> bytes:
    """The journal line of `visit` as the recorder writes it, with `changes` made to the visit."""
    fields = {f.name: getattr(visit, f.name) for f in dataclasses.fields(visit)}
    fields = {k: (str(v) if v is not None and not isinstance(v, float) else v) for k, v in fields.items()}
    for key, value in changes.items():
        if value is _MISSING:
            fields.pop(key)
        else:
            fields[key] = value
    return json.dumps({"v": 1, "visit": fields}).encode("ascii")


_MISSING = object()

BAD_LINES: dict[str, dict[str, object]] = {
    "integer beyond 2^63": {"holder_masked": 10**30},
    "time beyond 2^63": {"scanned_at": 10**30},
    "NaN time": {"scanned_at": math.nan},
    "infinite time": {"scanned_at": math.inf},
    "time as text": {"scanned_at": "yesterday"},
    "time as a boolean": {"scanned_at": True},
    "missing key": {"pass_hash": _MISSING},
    "wrong type": {"kind": 5},
    "unknown verdict": {"decision": "wave-through"},
    "a list for a text": {"uci_hash": ["x"]},
}


@pytest.fixture
def journalled(db_path: Path, make_visit: VisitFactory) -> Iterator[tuple[list[VisitRecord], list[bytes]]]:
    """A journal of good visits with every kind of bad line between them; the data file closed."""
    open_database(db_path).close()
    good = [make_visit() for _ in range(3)]
    bad = [_line(make_visit(), **changes) for changes in BAD_LINES.values()]
    bad += [b"[1, 2, 3]", b'{"v": 99, "visit": {}}', b'{"v":1,"visit":{"id":"01a2']  # foreign, torn
    journal = VisitJournal(db_path)
    lines = [_line(v) for v in good]
    journal.path.write_bytes(b"\n".join([lines[0], *bad[:6], lines[1], *bad[6:], lines[2]]) + b"\n")
    yield good, bad


def test_open_merges_the_good_lines_and_keeps_every_other_one_aside(
    db_path: Path, journalled: tuple[list[VisitRecord], list[bytes]]
) -> None:
    good, bad = journalled
    with open_database(db_path) as db:  # raised OverflowError before: every start exited 70
        assert {r[0] for r in db.query("SELECT id FROM visits")} == {v.id for v in good}
        assert db.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") == 3
    journal = VisitJournal(db_path)
    assert not journal.has_entries()
    rejected = rejected_path(db_path)
    assert rejected.read_bytes().splitlines() == bad
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    with open_database(db_path):  # merging again adds nothing and keeps the rejected lines once
        pass
    assert rejected.read_bytes().splitlines() == bad


@pytest.mark.parametrize("changes", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_each_kind_of_bad_line_is_rejected_alone(
    db_path: Path, make_visit: VisitFactory, changes: dict[str, object]
) -> None:
    open_database(db_path).close()
    before, after = make_visit(), make_visit()
    bad = _line(make_visit(), **changes)
    VisitJournal(db_path).path.write_bytes(b"\n".join([_line(before), bad, _line(after)]) + b"\n")
    with open_database(db_path) as db:
        assert db.scalar("SELECT count(*) FROM visits") == 2
    assert rejected_path(db_path).read_bytes() == bad + b"\n"


def test_verify_and_doctor_run_with_a_bad_journal_line_and_doctor_warns(
    tmp_path: Path, make_visit: VisitFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    db_path = data / "kiosk.db"
    open_database(db_path).close()
    VisitJournal(db_path).path.write_bytes(_line(make_visit(), holder_masked=10**30) + b"\n")
    assert main(["verify", "--offline", "--db", str(db_path), "KP1:after-a-bad-line"]) == 0
    capsys.readouterr()
    _, checks = doctor_json(capsys, "--data", str(data))
    check = checks["visit journal"]
    assert check["status"] == "warn"
    assert "1 line" in check["detail"] and rejected_path(db_path).name in check["detail"]
    assert check["hint"]
    assert checks["database"]["status"] == "ok"


def test_doctor_says_nothing_was_rejected_when_nothing_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    open_database(data / "kiosk.db").close()
    _, checks = doctor_json(capsys, "--data", str(data))
    assert checks["visit journal"]["status"] == "ok"


def test_a_line_the_database_refuses_is_rejected_not_the_whole_merge(
    db_path: Path, make_visit: VisitFactory
) -> None:
    db = open_database(db_path)
    refused = make_visit()
    # A line that passes the journal's own checks but that the database refuses: a
    # trigger stands in for any constraint the schema may add later.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON visits WHEN NEW.kiosk_id = 'refused' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    db.close()
    kept = make_visit()
    lines = [_line(refused, kiosk_id="refused"), _line(kept)]
    VisitJournal(db_path).path.write_bytes(b"\n".join(lines) + b"\n")
    with open_database(db_path) as reopened:
        assert [r[0] for r in reopened.query("SELECT id FROM visits")] == [kept.id]
    assert rejected_path(db_path).read_bytes() == lines[0] + b"\n"
