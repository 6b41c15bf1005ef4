"""The kiosk's systemd user unit: valid for systemd, restarting after a crash but not after a
clean "Leave kiosk mode", with a watchdog the window feeds."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.support import INSTALLED_BINARY, LINUX, NAME

UNIT = LINUX / f"{NAME}.service"


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_restarts_on_failure_only_and_has_a_watchdog() -> None:
    service = _unit()["Service"]
    assert service["Restart"] == "on-failure"  # exit 0 ("Leave kiosk mode") stays closed
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    assert service["ExecStart"] == f"{INSTALLED_BINARY} run --fullscreen"
    assert _unit()["Install"]["WantedBy"] == "graphical-session.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    # The program the unit starts must exist for verify: /bin/true stands in for the bundle. The
    # system manager's verify reads the same syntax (a user manager needs a session to run); it
    # exits 0 even on a bad value, which it names with the file, so its words are checked too.
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_BINARY, "/bin/true"), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert UNIT.name not in result.stderr + result.stdout
