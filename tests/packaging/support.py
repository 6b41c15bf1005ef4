"""Shared by the packaging tests: where the packaging files are, and how to run install.sh."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
INSTALL_SH = LINUX / "install.sh"
NAME = "venue-pass-kiosk"
# Where install.sh puts the bundle's program on the venue PC (the desktop entries name it).
INSTALLED_BINARY = f"/opt/{NAME}/{NAME}"


def run_install(*args: str | Path, script: Path = INSTALL_SH) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def under(root: Path, path: str) -> Path:
    """`path` as seen on the installed system, inside the test's root folder."""
    return root / path.lstrip("/")
