"""The visit journal's file itself: one line per visit, a torn line never swallows the next, a
write the disk takes only in part fails, and a file that cannot be written, claimed or removed
is named."""

from __future__ import annotations

import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.store.errors import StoreIOError
from kiosk.store.journal import VisitJournal
from kiosk.store.opening import open_database
from kiosk.store.visits import VisitRecord


def _lines(journal: VisitJournal) -> list[bytes]:
    return journal.path.read_bytes().split(b"\n")


def test_each_visit_is_one_line_with_no_blank_line_between(
    db_path: Path, make_visit: Callable[..., VisitRecord]
) -> None:
    journal = VisitJournal(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        journal.append(make_visit())
    lines = _lines(journal)
    assert len(lines) == 4 and lines[-1] == b"" and all(lines[:-1])


@pytest.mark.parametrize("torn", [b"{", b'{"v":1,"visit":{"id":"01a2'])
def test_a_torn_line_never_swallows_the_next_visit(
    db_path: Path, make_visit: Callable[..., VisitRecord], torn: bytes
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    first, second = make_visit(), make_visit()
    journal.append(first)
    with journal.path.open("ab") as f:  # a crash in the middle of an append (one byte is enough)
        f.write(torn)
    journal.append(second)
    lines = _lines(journal)
    assert lines[1:] == [torn, lines[2], b""] and second.id.encode() in lines[2]
    assert [e.row["id"] for e in journal.read(journal.files()).entries] == [first.id, second.id]


def test_a_journal_file_that_starts_empty_gets_no_blank_first_line(
    db_path: Path, make_visit: Callable[..., VisitRecord]
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    journal.path.write_bytes(b"")  # created, then the process died before its first line
    journal.append(make_visit())
    lines = _lines(journal)
    assert len(lines) == 2 and lines[0] and lines[1] == b""


def test_a_rejected_file_that_cannot_be_written_is_named(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    journal.rejected.mkdir()  # not a file: every write fails
    with pytest.raises(StoreIOError) as failed:
        journal.keep_rejected([b"not a visit"])
    assert failed.value.message == (
        f"cannot write the rejected visit journal lines in {journal.folder}: Is a directory"
    )


def test_a_journal_that_cannot_be_written_or_read_is_named(
    db_path: Path, make_visit: Callable[..., VisitRecord]
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    journal.path.mkdir()
    with pytest.raises(StoreIOError) as failed:
        journal.append(make_visit())
    assert failed.value.message == f"cannot write the visit journal in {journal.folder}: Is a directory"
    journal.rejected.mkdir()
    with pytest.raises(StoreIOError) as unread:
        journal.rejected_lines()
    assert unread.value.message == f"cannot read {journal.rejected.name}: Is a directory"


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit is a POSIX resource limit")
def test_a_visit_the_disk_takes_only_in_part_raises_instead_of_counting_as_kept(
    db_path: Path, make_visit: Callable[..., VisitRecord]
) -> None:
    import resource

    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    first = make_visit()
    journal.append(first)
    # The file may grow by 10 more bytes: the next write is cut short, the one after fails.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail with EFBIG instead of ending the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (journal.path.stat().st_size + 10, hard))
    try:
        with pytest.raises(StoreIOError) as failed:
            journal.append(make_visit())
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, ignored)
    assert failed.value.message == f"cannot write the visit journal in {journal.folder}: File too large"
    contents = journal.read(journal.files())
    assert [e.row["id"] for e in contents.entries] == [first.id] and len(contents.rejected) == 1


def test_a_journal_that_cannot_be_claimed_stays_and_the_data_file_still_opens(
    tmp_path: Path, make_visit: Callable[..., VisitRecord], caplog: pytest.LogCaptureFixture
) -> None:
    # The longest data file name whose journal (and its lock) the folder still takes; the
    # claimed file's longer name is refused, as a full or read-only folder would refuse it.
    db_path = tmp_path / ("k" * 227 + ".db")
    journal = VisitJournal(db_path)
    visit = make_visit()
    journal.append(visit)
    with caplog.at_level("WARNING", logger="kiosk.store.opening"), open_database(db_path) as db:
        assert db.scalar("SELECT count(*) FROM visits") == 0
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.opening"]
    assert said == [
        f"visit journal not merged at open: cannot write the visit journal in {tmp_path}: File name too long"
    ]
    assert journal.files() == [journal.path]
    assert [e.row["id"] for e in journal.read(journal.files()).entries] == [visit.id]


def test_a_merged_file_that_cannot_be_removed_is_said_and_the_others_are_removed(
    db_path: Path, make_visit: Callable[..., VisitRecord], caplog: pytest.LogCaptureFixture
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    stuck = db_path.parent / "stuck"
    stuck.mkdir()  # unlink refuses a folder, as a read-only data folder refuses a file
    journal.append(make_visit())
    merged = journal.claim()
    with caplog.at_level("WARNING", logger="kiosk.store.journal"):
        journal.discard([stuck, *merged])
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.journal"]
    assert said == ["could not remove a merged visit journal file (Is a directory)"]
    assert not journal.has_entries()


def test_blank_lines_and_a_file_merged_away_meanwhile_lose_no_visit(
    db_path: Path, make_visit: Callable[..., VisitRecord]
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    journal = VisitJournal(db_path)
    first, second = make_visit(), make_visit()
    journal.append(first)
    with journal.path.open("ab") as f:
        f.write(b"\n  \n")  # blank lines, as an editor may leave them
    journal.append(second)
    # Another kiosk process merged and removed this claimed file after it was listed.
    gone = journal.folder / f"{db_path.name}.visit-journal.1-0a0b0c0d.claimed.jsonl"
    contents = journal.read([gone, journal.path])
    assert [e.row["id"] for e in contents.entries] == [first.id, second.id] and contents.rejected == ()


def test_a_journal_that_cannot_be_read_is_named_and_the_data_file_still_opens(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    VisitJournal(db_path).path.mkdir()  # a folder where the journal should be
    with caplog.at_level("WARNING", logger="kiosk.store.opening"), open_database(db_path) as db:
        assert db.scalar("SELECT count(*) FROM visits") == 0
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.store.opening"]
    assert len(said) == 1 and re.fullmatch(
        r"visit journal not merged at open: cannot read the visit journal "
        r"kiosk\.db\.visit-journal\.\S+\.claimed\.jsonl: Is a directory",
        said[0],
    )
