"""The recorder brings journalled visits home at the next commit (and says so when it cannot), tries a
lock held elsewhere only briefly while it journals, and records a draft as drafted."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.store.journal import VisitJournal
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from kiosk.store.visits import VisitRecord, get_visit
from tests.store.conftest import LockWaits, VisitFactory

ADMIT = Decision(Verdict.ADMIT, Reason.VALID, VerifiedBy.OFFLINE, PassKind.DCC, holder_masked="K** M*****")


def test_the_next_committed_visit_brings_the_journal_home(
    db_path: Path, clock: ManualClock, make_visit: Callable[..., VisitRecord]
) -> None:
    db = open_database(db_path)
    journal = VisitJournal(db_path)
    waiting = make_visit()
    journal.append(waiting)  # journalled while another program held the file
    recorder = StoreRecorder(db, kiosk_id="kiosk-test-1", rng=random.Random(7))
    visit_id = recorder.record("HC1:NEXT", ADMIT, None, clock.now(), wait_s=0.1)
    assert get_visit(db, visit_id) is not None and get_visit(db, waiting.id) == waiting
    assert not journal.has_entries()
    db.close()


def test_a_journal_that_cannot_be_merged_yet_is_said_and_the_visit_still_counts(
    db_path: Path, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(db_path)
    journal = VisitJournal(db_path)
    journal.path.write_bytes(b"not a visit\n")  # must go to the rejected file...
    journal.rejected.mkdir()  # ...which cannot be written
    recorder = StoreRecorder(db, kiosk_id="kiosk-test-1", rng=random.Random(7))
    with caplog.at_level("WARNING", logger="kiosk.store.recorder"):
        visit_id = recorder.record("HC1:NEXT", ADMIT, None, clock.now(), wait_s=0.1)
    assert get_visit(db, visit_id) is not None
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.recorder"]
    assert said == [
        "visit journal not merged yet: "
        f"cannot write the rejected visit journal lines in {journal.folder}: Is a directory"
    ]
    assert journal.has_entries()
    db.close()


def test_while_visits_go_to_the_journal_each_scan_only_tries_the_lock_briefly(
    db_path: Path, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(db_path)
    waits = LockWaits(db)
    recorder = StoreRecorder(db, kiosk_id="kiosk-test-1", rng=random.Random(7))
    journal = VisitJournal(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)  # another program, as an owner command
    other.execute("BEGIN IMMEDIATE")
    with caplog.at_level("WARNING", logger="kiosk.store.recorder"):
        first = recorder.record("HC1:FIRST", ADMIT, None, clock.now(), wait_s=0.2)
        full_wait = waits.take()
        second = recorder.record("HC1:SECOND", ADMIT, None, clock.now(), wait_s=0.2)
        brief = waits.take()
        assert journal.waiting() == 2
        other.execute("ROLLBACK")  # it lets go: the next visit brings both home
        third = recorder.record("HC1:THIRD", ADMIT, None, clock.now(), wait_s=0.2)
        assert all(get_visit(db, i) is not None for i in (first, second, third))
        assert waits.take()[-1] == 0  # the merge after it: the verdict never waits for the journal
        other.execute("BEGIN IMMEDIATE")  # and takes the lock again
        recorder.record("HC1:FOURTH", ADMIT, None, clock.now(), wait_s=0.2)
        waited_again = waits.take()
    other.execute("ROLLBACK")
    other.close()
    # The first visit waited in the usual 20 ms slices; the second only tried for 10 ms.
    assert max(full_wait) > 10 and max(brief) <= 10 and max(waited_again) > 10
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.recorder"]
    assert said == ["data file locked by another program: visits go to the visit journal"] * 2
    db.close()


def test_a_draft_committed_with_its_own_decision_is_recorded_exactly_as_drafted(
    db_path: Path, clock: ManualClock
) -> None:
    db = open_database(db_path)
    recorder = StoreRecorder(db, kiosk_id="kiosk-test-1", rng=random.Random(7))
    draft = recorder.draft("HC1:DRAFTED", ADMIT, None, clock.now())
    assert get_visit(db, recorder.commit(draft, ADMIT)) == draft
    db.close()


def test_an_in_memory_data_file_never_takes_a_journal_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock, make_visit: VisitFactory
) -> None:
    # The fleet simulation runs thousands of in-memory kiosks in one process: none has a journal.
    monkeypatch.chdir(tmp_path)
    stray = VisitJournal(Path(":memory:"))
    stray.append(make_visit())  # a file named as an in-memory file's journal would be
    held = stray.path.read_bytes()
    db = open_database(":memory:")
    recorder = StoreRecorder(db, kiosk_id="kiosk-sim-1", rng=random.Random(7))
    visit_id = recorder.record("HC1:SIMULATED", ADMIT, None, clock.now())
    assert [r[0] for r in db.query("SELECT id FROM visits")] == [visit_id]
    assert stray.path.read_bytes() == held
    db.close()


def test_the_visits_a_verification_may_carry_are_the_due_ones_up_to_the_limit(
    db_path: Path, clock: ManualClock
) -> None:
    db = open_database(db_path)
    recorder = StoreRecorder(db, kiosk_id="kiosk-test-1", rng=random.Random(7))
    recorded = [recorder.record(f"HC1:WAITING-{n}", ADMIT, None, clock.now(), wait_s=0.1) for n in range(5)]

    carried = recorder.pending_forms(3, clock.now())

    assert len(carried) == 3 and {form["id"] for form in carried} < set(recorded)  # at most the limit
    assert "HC1:WAITING-0" not in repr(carried)  # upload form: the pass itself never leaves
    assert recorder.pending_forms(3, clock.now() - 3600) == []  # none due an hour earlier
    db.close()
