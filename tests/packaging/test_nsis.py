"""The Windows installer script compiles with makensis (against a small stand-in bundle folder)."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from tests.packaging.support import NAME, NSIS_SCRIPT, compile_nsis, signer_of, signing


def compile_script(*defines: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return compile_nsis(NSIS_SCRIPT, *defines, env=env)


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


def test_the_version_must_be_three_numbers(tmp_path: Path) -> None:
    bundle = stand_in(tmp_path / "bundle", f"{NAME}.exe")
    result = compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1", f"OUTFILE={tmp_path / 'x.exe'}")
    assert result.returncode != 0
    assert "the version must be three numbers, like 0.1.0 (got 0.1)" in result.stdout + result.stderr


def test_the_icon_holds_each_size_windows_asks_for() -> None:
    icon = (NSIS_SCRIPT.parent / f"{NAME}.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", icon)
    assert (reserved, kind) == (0, 1)  # an icon, not a cursor
    sizes = []
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", icon, 6 + 16 * i)
        assert icon[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(icon)
        sizes.append(width or 256)
    assert sorted(sizes) == [16, 24, 32, 48, 256]


def test_sign_signs_the_installer(tmp_path: Path) -> None:
    bundle = stand_in(tmp_path / "bundle", f"{NAME}.exe")
    sign, env = signing(tmp_path)
    signed, unsigned = tmp_path / "signed.exe", tmp_path / "unsigned.exe"
    result = compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1.0", f"OUTFILE={signed}", sign, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1.0", f"OUTFILE={unsigned}").returncode == 0
    assert signer_of(signed) == "/CN=Kiosk test signer"
    assert signer_of(unsigned) is None


def test_a_failed_signing_fails_the_build(tmp_path: Path) -> None:
    bundle = stand_in(tmp_path / "bundle", f"{NAME}.exe")
    sign, env = signing(tmp_path)
    env["KIOSK_SIGN_PKCS12"] = str(tmp_path / "no-such-certificate.p12")
    out = tmp_path / "x.exe"
    result = compile_script(f"BUNDLE_DIR={bundle}", "VERSION=0.1.0", f"OUTFILE={out}", sign, env=env)
    assert result.returncode != 0
    assert "KIOSK_SIGN_PKCS12 must name the .p12 certificate file" in result.stdout + result.stderr
