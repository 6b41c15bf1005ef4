"""Shared by the packaging tests: where the packaging files are, a stand-in bundle, running install.sh."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
INSTALL_SH = LINUX / "install.sh"
NAME = "venue-pass-kiosk"
NSIS_SCRIPT = PACKAGING / "windows" / "installer.nsi"
SIGN_SCRIPT = REPO / "scripts" / "sign_windows.sh"
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


def compile_nsis(
    script: Path, *defines: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [makensis(), "-V2", *(f"-D{d}" for d in defines), str(script)],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )


def signing(folder: Path) -> tuple[str, dict[str, str]]:
    """The SIGN define and the environment that sign with a throw-away certificate (no time stamp)."""
    p12 = throwaway_signing_certificate(folder)
    env = {**os.environ, "KIOSK_SIGN_PKCS12": str(p12), "KIOSK_SIGN_TIMESTAMP_URL": "none"}
    return f"SIGN=bash {SIGN_SCRIPT}", env


def throwaway_signing_certificate(folder: Path) -> Path:
    """A throw-away self-signed code-signing certificate with its key, as a .p12 without a password."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kiosk test signer")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(key, hashes.SHA256())
    )
    p12 = folder / "signer.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"test", key, cert, None, NoEncryption()))
    return p12


def signer_of(program: Path) -> str | None:
    """The subject of the Authenticode signature on a Windows program, or None when it has none."""
    if shutil.which("osslsigncode") is None:
        pytest.skip("osslsigncode is not installed (Debian package osslsigncode): signing was not tried")
    result = subprocess.run(["osslsigncode", "verify", "-in", str(program)], capture_output=True, text=True,
                            timeout=60, check=False)
    found = re.search(r"Signer #0:\s+Subject: (.*)", result.stdout)
    return found[1].strip() if found else None


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
