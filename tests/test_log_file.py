"""The log file: where it is, what it never holds (tracebacks with values, names, phone numbers).

Real parts: the app's own logging setup writing a real file; the headless demo run as a
user runs it, in a subprocess with a data folder in tmp. The whole suite's log files are
checked once more at the end of the run (`pytest_sessionfinish` in tests/conftest.py).
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.errors import INTERNAL, StoreError, error_key
from kiosk.logsetup import LOG_BACKUPS, LOG_FILE, configure_cli_logging, configure_file_logging, log_folder
from tests.personal_data import leaks_in, log_files, needles, scan_logs

HOLDER = "홍길동"  # one of the demo's visitors: the needles know it
PHONE = "010-5551-2345"


@pytest.fixture
def file_logging(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_cli_logging()
    path = configure_file_logging(tmp_path / "data")
    assert path is not None
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_the_needles_know_the_names_and_phones_the_tests_use() -> None:
    found = needles()
    assert {HOLDER, "Musterfrau", "Müller", "김민수"} <= found.names
    assert "01055512345" in found.phones
    assert leaks_in(f"a line with {HOLDER}") == {"name"}
    assert leaks_in("call 010 5551 2345 back") == {"phone"}
    assert leaks_in("2026-12-01 16:21:46,032 INFO kiosk.ui: verdict shown in 47 ms") == set()


def test_an_exception_carrying_a_name_is_logged_by_type_and_place_only(
    file_logging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.ui.app import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook()
    log = logging.getLogger("kiosk.verify.engine")
    try:
        raise ValueError(f"holder {HOLDER} phone {PHONE} not on the list")
    except ValueError as exc:
        raised_at = exc.__traceback__.tb_lineno if exc.__traceback__ else 0
        log.exception("verification failed")
        log.error("verification failed: %s", exc)  # a careless caller: the value is still kept out
        log.warning(exc)  # type: ignore[arg-type]
        sys.excepthook(type(exc), exc, exc.__traceback__)  # the window's last line of defence
    _flush()

    text = file_logging.read_text(encoding="utf-8")
    assert HOLDER not in text and PHONE not in text and leaks_in(text) == set()
    assert "Traceback" not in text and "not on the list" not in text
    assert text.count(f"ValueError at test_log_file.py:{raised_at}") == 4
    assert "verification failed" in text and "unexpected error in the window (ValueError)" in text
    assert len(text.splitlines()) == 4  # one line per record


def test_error_key_names_a_refusal_by_its_key_and_anything_else_internal_logged_once(
    file_logging: Path,
) -> None:
    refusal = StoreError("the data file is busy", key="store.busy")
    assert error_key(refusal, "manual answer") == "store.busy"
    try:
        raise ValueError(f"holder {HOLDER} phone {PHONE} not on the list")
    except ValueError as exc:
        raised_at = exc.__traceback__.tb_lineno if exc.__traceback__ else 0
        assert error_key(exc, "verification") == INTERNAL
    _flush()

    lines = file_logging.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert "WARNING" in lines[0] and "manual answer not done: store.busy" in lines[0]
    assert "ERROR" in lines[1] and "verification failed unexpectedly" in lines[1]
    assert f"[ValueError at test_log_file.py:{raised_at}]" in lines[1]  # where, from the traceback
    assert leaks_in("\n".join(lines)) == set() and "not on the list" not in lines[1]


def test_debug_mode_keeps_tracebacks_on_the_console_but_never_in_the_file(
    file_logging: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIOSK_DEBUG", "1")
    configure_cli_logging()
    configure_file_logging(file_logging.parent.parent)
    try:
        raise KeyError(HOLDER)
    except KeyError:
        logging.getLogger("kiosk.store").exception("store failed")
    _flush()
    assert "Traceback" in capsys.readouterr().err  # support asked for it on the console
    text = file_logging.read_text(encoding="utf-8")
    assert "KeyError at test_log_file.py:" in text and HOLDER not in text and "Traceback" not in text


def test_the_file_rotates_at_one_megabyte_keeping_five(file_logging: Path) -> None:
    log = logging.getLogger("kiosk.upstream.uploader")
    for i in range(14_000):  # ~500 bytes a line: well over 6 MB in all
        log.info("upload of %d visit(s) failed (timeout); next try in 0.3 s %s", i, "x" * 400)
    _flush()
    files = log_files(file_logging.parent)
    assert file_logging in files and len(files) == 1 + LOG_BACKUPS
    assert all(p.stat().st_size <= 1_000_000 for p in files)
    if os.name == "posix":  # rotated files keep the mode of the file they were
        assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows keeps nothing here")
def test_the_log_files_are_the_kiosk_users_only_and_old_ones_are_tightened(file_logging: Path) -> None:
    logs = file_logging.parent
    old = logs / (LOG_FILE + ".3")
    old.write_text("a line from an older version\n", encoding="utf-8")
    old.chmod(0o644)
    logs.chmod(0o755)
    previous = os.umask(0o022)
    try:
        configure_file_logging(logs.parent)  # the window starting again
        logging.getLogger("kiosk").warning("a line")
        _flush()
    finally:
        os.umask(previous)
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (logs.parent, logs, file_logging, old)]
    assert modes == [0o700, 0o700, 0o600, 0o600]


def test_an_unwritable_log_folder_is_said_once_and_the_kiosk_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "data"
    blocker.mkdir()
    (blocker / "logs").write_text("a file where the folder should be", encoding="utf-8")
    assert configure_file_logging(blocker) is None
    assert "no log file" in capsys.readouterr().err


def test_the_scan_names_the_file_but_not_the_value() -> None:
    # Outside pytest's temp folder: the end-of-run scan must not find this planted leak.
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        leaky = base / "logs" / "kiosk.log.2"
        leaky.parent.mkdir()
        leaky.write_text(f"2026-12-01 INFO x: admitted {HOLDER}\n", encoding="utf-8")
        (base / "logs" / LOG_FILE).write_text("2026-12-01 INFO x: admitted\n", encoding="utf-8")
        assert scan_logs(base) == {leaky: {"name"}}


def test_doctor_names_the_log_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    data = tmp_path / "data"
    main(["doctor", "--no-network", "--data", str(data)])
    out = capsys.readouterr().out
    assert "log folder" in out and str(log_folder(data)) in out


@pytest.mark.slow
def test_the_headless_demo_writes_a_log_without_personal_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    data = tmp_path / "data"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "demo",
            "--headless",
            "--data",
            str(data),
            "--pace",
            "0",
            "--screenshots",
            str(tmp_path / "shots"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    path = log_folder(data) / LOG_FILE
    text = path.read_text(encoding="utf-8")
    # The story was logged (start, the outage's failed uploads, reconciliation) ...
    assert "demo started (headless)" in text and "upload of" in text and "reconciliation" in text
    # ... and none of its visitors' names is in it.
    assert leaks_in(text) == set() and "Traceback" not in text
