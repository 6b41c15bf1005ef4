"""A full disk is reported as a full disk, with the folder to clear, never as damage.

Uses a real full file system: a tiny tmpfs mounted for the test (skipped, with the
reason, where mounting is not permitted).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store.errors import DiskFullError
from kiosk.store.journal import VisitJournal
from kiosk.store.opening import open_database
from tests.tiny_tmpfs import tiny_tmpfs


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tiny_tmpfs(tmp_path / "small", size="512k") as mount:
        yield mount


def fill(folder: Path) -> None:
    """Write until the file system refuses (ENOSPC)."""
    with (folder / "filler.bin").open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def test_verify_on_a_full_disk_says_disk_full(small_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = small_disk / "kiosk.db"
    open_database(db).close()
    fill(small_disk)
    assert main(["verify", "--offline", "--db", str(db), "KP1:full-disk"]) == 2
    err = capsys.readouterr().err
    assert f"disk full: free space on {small_disk}" in err
    assert "input/output" not in err and "backup" not in err


def test_a_new_data_file_on_a_full_disk(small_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(small_disk)
    assert main(["verify", "--offline", "--db", str(small_disk / "kiosk.db"), "KP1:x"]) == 2
    assert "disk full: free space on" in capsys.readouterr().err


def test_doctor_on_a_full_disk_leaves_no_file_and_gives_the_right_hint(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(small_disk / "kiosk.db").close()
    fill(small_disk)
    before = {p.name for p in small_disk.iterdir()}
    main(["doctor", "--json", "--no-network", "--data", str(small_disk)])
    checks = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert {p.name for p in small_disk.iterdir()} <= before
    assert checks["data folder"]["detail"] == f"disk full: free space on {small_disk}"
    database = checks["database"]
    assert database["status"] == "fail" and "disk full" in database["detail"]
    assert "backup" not in database["hint"] and "move the file" not in database["hint"]


def test_journal_on_a_full_disk(small_disk: Path, make_visit: object) -> None:
    journal = VisitJournal(small_disk / "kiosk.db")
    fill(small_disk)
    with pytest.raises(DiskFullError, match="disk full: free space on"):
        journal.append(make_visit())  # type: ignore[operator]
