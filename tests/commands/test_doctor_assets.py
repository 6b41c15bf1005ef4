"""`kiosk doctor`'s "window files" check: an install that lost its sounds, fonts or translations says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk import doctor
from kiosk.cli import main
from kiosk.ui.resources import assets


def test_every_bundled_file_is_checked() -> None:
    files = assets.bundled_files()
    names = {p.name for p in files}
    assert {"admit.wav", "deny.wav", "check.wav", "NanumGothic.ttf", "ko.qm", "en.qm"} <= names
    assert doctor.check_assets(files).status is doctor.Status.OK


def test_a_missing_file_fails_the_check_naming_it(tmp_path: Path) -> None:
    copies = []
    for path in assets.bundled_files():
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    (tmp_path / "ko.qm").unlink()
    check = doctor.check_assets(copies)
    assert check.status is doctor.Status.FAIL
    assert check.detail == "missing: ko.qm"
    assert "reinstall" in check.hint


def test_doctor_reports_the_window_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["doctor", "--json", "--no-network", "--data", str(tmp_path / "data")])
    rows = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["window files"]["status"] == "ok"
