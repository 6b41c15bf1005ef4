"""A data file locked by another process: the verdict comes in time and no visit is lost.

The lock is taken by a real second process (`BEGIN EXCLUSIVE` in a child Python),
as an owner command or a backup would hold it.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock, SystemClock
from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.errors import StoreError
from kiosk.passes.rules import RulesConfig
from kiosk.passes.signer import StaticTrust
from kiosk.store.errors import DatabaseBusyError
from kiosk.store.journal import VisitJournal, merge_journal, rejected_path
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from kiosk.store.visits import VisitRecord
from kiosk.verify.engine import EngineSettings, VerificationEngine
from tests.store.conftest import LockWaits
from tests.store.killed_writer import printed_until_killed, start_writer

WRITER = "tests.store.journal_writer"

_LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


class Locker:
    """Another process holding the data file's write lock for `hold_s` seconds."""

    def __init__(self, path: Path, hold_s: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _LOCKER, str(path), str(hold_s)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"

    def wait(self) -> None:
        self.proc.wait(timeout=30)
        assert self.proc.returncode == 0


@pytest.fixture
def locked_file(tmp_path: Path) -> Iterator[tuple[Path, Locker]]:
    path = tmp_path / "kiosk.db"
    open_database(path).close()
    locker = Locker(path, 3.0)
    yield path, locker
    locker.proc.kill()
    locker.proc.wait()


def _rows(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    with open_database(path) as db:
        counts = {r[0]: r[1] for r in db.query("SELECT id, count(*) FROM visits GROUP BY id")}
        states = {r[0]: r[1] for r in db.query("SELECT visit_id, state FROM outbox")}
    return counts, states


def test_verdict_within_budget_while_another_process_holds_the_write_lock(
    locked_file: tuple[Path, Locker],
) -> None:
    path, locker = locked_file
    clock = SystemClock()
    db = open_database(path)
    engine = VerificationEngine(
        trust=StaticTrust(),
        rules=RulesConfig(),
        clock=clock,
        settings=EngineSettings(budget_s=1.0),
        recorder=StoreRecorder(db, kiosk_id="kiosk-lock", rng=random.Random(1)),
    )
    started = time.monotonic()
    evaluation = engine.verify("KP1:locked-token")
    elapsed = time.monotonic() - started
    # Bounded, not a speed figure: without the journal this waited out the 5 s busy timeout.
    assert elapsed < 1.0 + 0.5
    visit_id = evaluation.decision.visit_id
    assert evaluation.decision.verdict is Verdict.MANUAL and visit_id
    journal = VisitJournal(path)
    assert journal.waiting() == 1
    text = b"".join(f.read_bytes() for f in journal.files())
    assert b"KP1:locked-token" not in text  # the pass only as its hash

    locker.wait()
    engine.verify("KP1:after-the-lock")  # the next successful record merges the journal
    db.close()
    counts, states = _rows(path)
    assert counts[visit_id] == 1 and states[visit_id] == "pending"
    assert len(counts) == 2
    assert not journal.has_entries()


def test_cli_verify_gives_a_verdict_and_keeps_the_visit_while_locked(
    locked_file: tuple[Path, Locker], capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    path, locker = locked_file
    assert main(["verify", "--offline", "--json", "--db", str(path), "KP1:cli-locked"]) == 0
    out = capsys.readouterr().out
    assert '"decision": "manual"' in out
    locker.wait()
    counts, states = _rows(path)  # merged when the file is opened
    assert len(counts) == 1 and list(states.values()) == ["pending"]
    assert not VisitJournal(path).has_entries()


def _record(make_visit: object, n: int) -> list[VisitRecord]:
    return [make_visit() for _ in range(n)]  # type: ignore[operator]


def test_merge_is_idempotent_and_keeps_a_torn_line_aside(
    db_path: Path, make_visit: object, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(db_path)
    journal = VisitJournal(db_path)
    first, second, third = _record(make_visit, 3)
    journal.append(first)
    journal.append(second)
    with journal.path.open("ab") as f:  # a crash in the middle of an append
        f.write(b'{"v":1,"visit":{"id":"01a2')
    journal.append(third)  # starts on a fresh line after the torn one
    contents = journal.read(journal.files())
    assert [e.row["id"] for e in contents.entries] == [first.id, second.id, third.id]
    assert len(contents.rejected) == 1

    files = journal.claim()
    saved = {f: f.read_bytes() for f in files}
    with caplog.at_level("INFO", logger="kiosk.store.journal"):
        merge_journal(db)
        # A crash after the commit but before the files were removed: merging again adds nothing.
        for f, data in saved.items():
            f.write_bytes(data)
        merge_journal(db)
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.journal"]
    kept = "visit journal: 1 line(s) could not be merged, kept in kiosk.db.visit-journal.rejected.jsonl"
    assert said == [kept, "visit journal: 3 visit(s) moved into the data file", kept]
    assert not journal.has_entries()
    assert db.scalar("SELECT count(*) FROM visits") == 3
    assert db.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") == 3
    assert rejected_path(db_path).read_bytes() == b'{"v":1,"visit":{"id":"01a2\n'
    db.close()


def test_merge_does_not_undo_an_upload(db_path: Path, make_visit: object) -> None:
    from kiosk.store import outbox

    db = open_database(db_path)
    visit = make_visit()  # type: ignore[operator]
    VisitJournal(db_path).append(visit)
    merge_journal(db)
    outbox.mark_sent(db, [visit.id])
    VisitJournal(db_path).append(visit)  # the same line again (a file restored by a crash)
    merge_journal(db)
    assert db.scalar("SELECT count(*) FROM visits") == 1
    assert db.scalar("SELECT state FROM outbox WHERE visit_id = ?", (visit.id,)) == "sent"
    db.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_killed_writer_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261201)
    path = tmp_path / "kiosk.db"
    shown: list[str] = []
    for cycle in range(20):
        proc = start_writer(WRITER, path, cycle, subprocess.DEVNULL)
        shown.extend(printed_until_killed(proc, rng.uniform(0.0, 0.3)))
    counts, states = _rows(path)  # the open merges whatever the last writer journalled
    assert not VisitJournal(path).has_entries()
    assert [i for i in shown if counts.get(i) != 1] == []
    assert len(shown) == len(set(shown))
    assert set(counts) == set(states)
    # At most one visit per kill can land before its id was printed.
    assert len(counts) - len(shown) <= 20


def test_doctor_reports_a_locked_file_and_the_visits_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from kiosk.cli import main

    data = tmp_path / "data"
    path = data / "kiosk.db"
    open_database(path).close()
    locker = Locker(path, 4.0)
    try:
        assert main(["verify", "--offline", "--db", str(path), "KP1:while-locked"]) == 0
        capsys.readouterr()
        main(["doctor", "--json", "--no-network", "--data", str(data)])
        checks = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
        writes = checks["database writes"]
        assert writes["status"] == "warn"
        assert "write lock" in writes["detail"] and "1 visit(s) waiting" in writes["detail"]
        assert writes["hint"]
        locker.wait()
        main(["doctor", "--json", "--no-network", "--data", str(data)])
        checks = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
        assert checks["database writes"]["status"] == "ok"  # doctor merged the journal
        assert _rows(path)[0] and not VisitJournal(path).has_entries()
    finally:
        locker.proc.kill()
        locker.proc.wait()


@pytest.fixture
def held_lock(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the data file's write lock, as an owner command would."""
    open_database(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


_ADMITTED = Decision(Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, PassKind.DCC, holder_masked="K** M*****")


def test_a_visit_that_reaches_neither_the_file_nor_the_journal_raises_instead_of_returning_an_id(
    db_path: Path, held_lock: sqlite3.Connection, clock: ManualClock
) -> None:
    db = open_database(db_path)
    VisitJournal(db_path).path.mkdir()  # the journal cannot be written: a folder holds its name
    recorder = StoreRecorder(db, kiosk_id="kiosk-lock", rng=random.Random(5))
    draft = recorder.draft("HC1:NOWHERE", _ADMITTED, None, clock.now())
    with pytest.raises(StoreError):
        recorder.commit(draft, _ADMITTED, wait_s=0.05)  # a verdict must not be shown for it
    held_lock.execute("ROLLBACK")
    assert db.scalar("SELECT count(*) FROM visits") == 0
    db.close()


def test_a_visit_upstream_confirmed_that_went_through_the_journal_merges_as_sent(
    db_path: Path, held_lock: sqlite3.Connection, clock: ManualClock
) -> None:
    db = open_database(db_path)
    recorder = StoreRecorder(db, kiosk_id="kiosk-lock", rng=random.Random(6))
    # Upstream stored the first with its online check; the second still has to be uploaded.
    online = recorder.draft("HC1:ONLINE", _ADMITTED, None, clock.now())
    confirmed = recorder.commit(online, _ADMITTED, confirmed=True, wait_s=0.05)
    later = recorder.draft("HC1:LATER", _ADMITTED, None, clock.now())
    pending = recorder.commit(later, _ADMITTED, wait_s=0.05)
    assert VisitJournal(db_path).waiting() == 2
    held_lock.execute("ROLLBACK")
    merge_journal(db)
    rows = db.query("SELECT v.id, v.upstream_state, o.state FROM visits v JOIN outbox o ON o.visit_id = v.id")
    states = {r[0]: (r[1], r[2]) for r in rows}
    assert states == {confirmed: ("confirmed", "sent"), pending: ("pending", "pending")}  # uploaded once
    db.close()


def test_a_merge_that_must_not_wait_only_tries_the_lock_once(db_path: Path, make_visit: object) -> None:
    db = open_database(db_path)
    waits = LockWaits(db)
    VisitJournal(db_path).append(make_visit())  # type: ignore[operator]
    other = sqlite3.connect(db_path, isolation_level=None)  # another program holds the write lock
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(DatabaseBusyError):
        merge_journal(db, wait_s=0.0)  # as the recorder and the uploader merge: never holding up a scan
    other.close()
    assert waits.take() == [0]
    assert VisitJournal(db_path).waiting() == 1  # kept for the next merge
    db.close()
