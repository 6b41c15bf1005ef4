"""A hostile or broken config file through the real CLI: exit 2 with the file (and key) named.

Deep nesting used to exit 70 (RecursionError), `--config /dev/zero` to grow the process
by gigabytes, a FIFO to block for ever and `[kiosk] id` to take any length. The device and
FIFO cases run the CLI in a child process under a memory cap and a time limit, so the code
of old fails them instead of taking the machine down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main

REPO = Path(__file__).resolve().parent.parent
MEMORY_CAP = 2 * 1024**3  # far above what the CLI needs, far below what /dev/zero would take


def kiosk_error(capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path) -> str:
    code = main(["trust", "list", "--config", str(config), "--data", str(tmp_path / "data")])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"kiosk: {config}")
    return line


def test_arrays_nested_5000_deep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[kiosk]\nid = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in kiosk_error(capsys, config, tmp_path)


def test_tables_nested_5000_deep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("kiosk = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")
    assert "nested too deeply" in kiosk_error(capsys, config, tmp_path)


def test_a_file_over_1_mb(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    # Valid TOML all the way: only the size is wrong.
    config.write_text(("# " + "x" * 97 + "\n") * 10_486 + '[kiosk]\nid = "k1"\n')
    assert config.stat().st_size > 1024 * 1024
    assert "larger than 1 MB" in kiosk_error(capsys, config, tmp_path)


def test_a_kiosk_id_of_200_kb(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[kiosk]\nid = "' + "k" * 200_000 + '"\n')
    line = kiosk_error(capsys, config, tmp_path)
    assert f"{config}:2: [kiosk] id must be at most 64 printable characters" in line
    assert len(line) < 400


def test_plain_http_to_another_computer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[upstream]\nurl = "http://verify.example.com"\napi_key = "k"\n')
    line = kiosk_error(capsys, config, tmp_path)
    assert f"{config}:2: [upstream] url must be an https URL" in line


def child_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
        env=env,
        preexec_fn=cap_memory,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    result = child_cli("trust", "list", "--config", "/dev/zero", "--data", str(tmp_path / "data"))
    assert result.returncode == 2, result.stderr
    assert result.stderr == "kiosk: /dev/zero: not a regular file; give a config.toml file\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    result = child_cli("trust", "list", "--config", str(fifo), "--data", str(tmp_path / "data"))
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr


def test_a_folder_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert kiosk_error(capsys, folder, tmp_path).startswith(f"kiosk: {folder}: ")
