"""The visit journal's file itself: one line per visit, a torn line never swallows the next, and a
rejected file that cannot be written is named in the error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.store.errors import StoreIOError
from kiosk.store.journal import VisitJournal
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
