"""Shared by the packaging tests: where the packaging files are, a stand-in bundle, running install.sh."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
INSTALL_SH = LINUX / "install.sh"
NAME = "venue-pass-kiosk"
NSIS_SCRIPT = PACKAGING / "windows" / "installer.nsi"
# Where install.sh puts the bundle's program on the venue PC (the desktop entries name it).
INSTALLED_BINARY = f"/opt/{NAME}/{NAME}"


def run_install(*args: str | Path, script: Path = INSTALL_SH) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        pytest.skip("makensis is not installed (Debian package nsis): the installer script was not compiled")
    return found


def compile_nsis(script: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [makensis(), "-V2", *(f"-D{d}" for d in defines), str(script)],
        capture_output=True, text=True, timeout=120, check=False,
    )


def under(root: Path, path: str) -> Path:
    """`path` as seen on the installed system, inside the test's root folder."""
    return root / path.lstrip("/")


# What the real program's `doctor --qt-probe offscreen` prints once Qt has started.
QT_STARTED = '{"platform": "offscreen", "audio_output": false, "sounds": {}}'


def make_bundle(
    folder: Path, *, version: str = "kiosk 0.1.0", exit_code: int = 0, qt: str = f"echo '{QT_STARTED}'"
) -> Path:
    """`qt`: what the program does when asked to start Qt (install.sh's start check)."""
    folder.mkdir(parents=True)
    program = folder / NAME
    # `run` stays up like the window, noting each start in $HOME/kiosk-runs (install.sh's restart).
    program.write_text(
        f"#!/bin/sh\nif [ \"$1\" = doctor ]; then\n{qt}\nexit\nfi\n"
        f"if [ \"$1\" = run ]; then\n  echo \"{version} $* DISPLAY=$DISPLAY\" >>\"$HOME/kiosk-runs\"\n"
        "  trap 'exit 0' TERM\n  while :; do sleep 0.1; done\nfi\n"
        f"echo '{version}'\nexit {exit_code}\n"
    )
    program.chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "library.txt").write_text(version)
    return folder
