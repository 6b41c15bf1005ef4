"""A failed write names its cause by key and its folder as a value, with the CLI's message unchanged."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kiosk.owner_tools.atomic import OutputDiskFullError, OutputError, atomic_path, output_error


def test_a_missing_folder_has_its_own_key_and_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "visits.csv"
    with pytest.raises(OutputError) as info, atomic_path(target) as temp:  # a real failed mkstemp
        temp.write_text("x")
    exc = info.value
    assert exc.key == "owner.output_no_folder" and exc.detail == str(target.parent)
    assert exc.message == f"cannot write {target}: the folder {target.parent} does not exist"


def test_a_folder_in_the_way_has_its_own_key(tmp_path: Path) -> None:
    target = tmp_path / "visits.csv"
    target.mkdir()
    with pytest.raises(OutputError) as info, atomic_path(target):
        pass
    assert info.value.key == "owner.output_is_folder" and info.value.detail == str(target)


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (PermissionError(errno.EACCES, os.strerror(errno.EACCES)), "owner.output_denied"),
        (OSError(errno.EROFS, os.strerror(errno.EROFS)), "owner.output_denied"),
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "owner.output_disk_full"),
        (OSError(errno.EIO, os.strerror(errno.EIO)), "owner.output"),
    ],
)
def test_each_cause_has_its_key(tmp_path: Path, error: OSError, key: str) -> None:
    target = tmp_path / "out" / "report.json"
    exc = output_error(error, target)
    assert exc.key == key
    assert exc.detail == (None if key == "owner.output" else str(target.parent))
    assert isinstance(exc, OutputDiskFullError) == (key == "owner.output_disk_full")
