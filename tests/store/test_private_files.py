"""The data folder and every file in it are the kiosk user's only (POSIX): made so, and tightened.

Under the usual umask 022 a folder is made 0755 and a file 0644: any local account could
then copy the PIN hash and the PIN-wrapped owner key and search the PIN offline. Real
folders and files, the real umask; `doctor` is run as the installer runs it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import doctor
from kiosk.config import load_config
from kiosk.owner_tools.audit_trail import pending_journal
from kiosk.store.journal import VisitJournal, rejected_path
from kiosk.store.opening import open_database
from tests.commands.test_trust_doctor import doctor_json

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows keeps nothing here")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def doctor_on(
    capsys: pytest.CaptureFixture[str], folder: Path, folder_mode: int
) -> tuple[int, dict[str, dict[str, str]]]:
    """`kiosk doctor --data FOLDER` on a folder made with `folder_mode`."""
    folder.mkdir()
    folder.chmod(folder_mode)
    return doctor_json(capsys, "--data", str(folder))


def test_a_fresh_data_folder_is_0700_with_0600_files(tmp_path: Path, make_visit: object) -> None:
    data = tmp_path / "data"
    db_path = data / "kiosk.db"
    with open_database(db_path) as db:
        db.query("SELECT count(*) FROM visits")  # the -shm exists while the file is open
        sidecars = [db_path.with_name("kiosk.db-wal"), db_path.with_name("kiosk.db-shm")]
        assert all(p.exists() for p in sidecars)
        assert [mode(p) for p in [db_path, *sidecars]] == [0o600] * 3
        journal = VisitJournal(db_path)
        journal.append(make_visit())  # type: ignore[operator]
        assert mode(journal.path) == 0o600
        assert mode(Path(str(journal.path) + ".lock")) == 0o600
    assert mode(data) == 0o700


def test_an_old_open_folder_is_tightened_when_the_data_file_opens(tmp_path: Path, make_visit: object) -> None:
    data = tmp_path / "data"
    db_path = data / "kiosk.db"
    open_database(db_path).close()
    VisitJournal(db_path).append(make_visit())  # type: ignore[operator]  (leaves its lock file)
    VisitJournal(db_path).claim()  # a journal claimed by a merge that was cut short
    rejected_path(db_path).write_bytes(b"a line kept for support\n")
    pending_journal(db_path).write_text("{}\n")
    (data / "kiosk.db.before-restore-20260101-120000").write_bytes(b"a data file kept by a restore")
    (data / "kiosk.lock").write_text("4242\nkiosk-host\n")  # the window's lock file
    # As an older version (or another tool) left them.
    files = [p for p in data.iterdir() if p.is_file()]
    for path in files:
        path.chmod(0o644)
    data.chmod(0o755)
    with open_database(db_path):
        pass
    assert mode(data) == 0o700
    left = [p for p in files if p.exists()]  # the claimed journal was merged and removed
    assert len(left) == len(files) - 1
    assert {p.name: mode(p) for p in left} == {p.name: 0o600 for p in left}


def test_a_folder_given_with_data_is_tightened_and_doctor_is_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "given"
    _, checks = doctor_on(capsys, data, 0o755)
    assert checks["file permissions"]["status"] == "ok"
    assert mode(data) == 0o700 and mode(data / "kiosk.db") == 0o600


def test_a_config_holding_secrets_is_made_private_and_one_without_is_left_alone(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('[upstream]\nurl = "https://upstream.example"\napi_key = "k-123"\n')
    plain = tmp_path / "plain.toml"
    plain.write_text("[kiosk]\nlanguage = 'ko'\n")
    for path in (secret, plain):
        path.chmod(0o644)
        load_config(path)
    assert (mode(secret), mode(plain)) == (0o600, 0o644)


def test_doctor_fails_on_a_data_folder_open_to_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A shared folder (sticky, like /tmp) is never tightened: doctor must say so.
    shared = tmp_path / "shared"
    code, checks = doctor_on(capsys, shared, 0o1777)
    check = checks["file permissions"]
    assert code == 1 and check["status"] == "fail"
    assert str(shared) in check["detail"] and "kiosk.db" not in check["detail"]  # the file itself is 0600
    assert "chmod" in check["hint"]
    assert mode(shared) == 0o1777


def test_doctor_names_a_config_holding_secrets_that_others_can_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_database(data / "kiosk.db").close()
    config = tmp_path / "config.toml"
    config.write_text('[upstream]\napi_key = "k-123"\n')
    config.chmod(0o640)
    check = doctor.check_private(data, config)
    assert check.status is doctor.Status.FAIL and str(config) in check.detail
    config.chmod(0o600)
    assert doctor.check_private(data, config).status is doctor.Status.OK


def test_a_symlink_in_the_data_folder_is_never_followed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's file")
    outside.chmod(0o644)
    (data / "kiosk.db-link").symlink_to(outside)
    open_database(data / "kiosk.db").close()
    assert mode(outside) == 0o644
