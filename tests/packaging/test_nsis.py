"""The Windows installer script compiles with makensis (against a small stand-in bundle folder)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.packaging.support import NAME, NSIS_SCRIPT, compile_nsis


def compile_script(*defines: str) -> subprocess.CompletedProcess[str]:
    return compile_nsis(NSIS_SCRIPT, *defines)


def stand_in(folder: Path, program: str) -> Path:
    (folder / "_internal").mkdir(parents=True)
    (folder / program).write_bytes(b"MZ stand-in")
    (folder / "_internal" / "python311.dll").write_bytes(b"stand-in")
    return folder


def test_compiles_into_an_installer(tmp_path: Path) -> None:
    bundle = stand_in(tmp_path / "bundle", f"{NAME}.exe")
    out = tmp_path / "setup" / "kiosk-installer.exe"
    out.parent.mkdir()
    result = compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1.0", f"OUTFILE={out}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"  # a Windows program
    assert "warning" not in (result.stdout + result.stderr).lower()


def test_a_bundle_without_the_windows_program_is_named_a_stand_in(tmp_path: Path) -> None:
    bundle = stand_in(tmp_path / "bundle", NAME)  # the Linux bundle's program has no .exe
    result = compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1.0", f"OUTFILE={tmp_path / 'x.exe'}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stand-in bundle, not a working Windows installer" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("defines", "message"),
    [(["VERSION=0.1.0"], "pass the one-folder bundle"), (["BUNDLE_DIR=x"], "pass the version")],
)
def test_missing_defines_stop_with_a_message(defines: list[str], message: str) -> None:
    result = compile_script(*defines)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
