"""scripts/build_deb.sh: the Debian package of a bundle, built here from a small stand-in bundle
(the real one takes minutes; tests/packaging/test_bundle.py checks its libraries against the
package's Depends), then read back with dpkg-deb and checked with lintian."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.packaging.support import INSTALLED_BINARY, LINUX, NAME, PACKAGING, REPO, under

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is missing: not a Debian system"),
]

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
DEB = f"{NAME}_{VERSION}-1_amd64.deb"
ICON = f"/usr/share/icons/hicolor/scalable/apps/{NAME}.svg"
UNIT = f"/usr/lib/systemd/user/{NAME}.service"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = list(map(str, args))
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=cwd)


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("deb")
    bundle = work / NAME
    (bundle / "_internal").mkdir(parents=True)
    (bundle / NAME).write_text("#!/bin/sh\necho 'kiosk 0.1.0'\n")
    (bundle / NAME).chmod(0o755)
    built = run("bash", REPO / "scripts" / "build_deb.sh", bundle, VERSION, work / "out")
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == str(work / "out" / DEB)
    return work / "out" / DEB


def field(info: str, name: str) -> str:
    lines = (line.strip() for line in info.splitlines())
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(name + ":"))


def test_the_control_fields(deb: Path) -> None:
    info = run("dpkg-deb", "--info", deb).stdout
    assert field(info, "Package") == NAME
    assert field(info, "Version") == f"{VERSION}-1"
    assert field(info, "Architecture") == "amd64"
    assert field(info, "Maintainer") and field(info, "Description")
    depends = [d.split()[0] for d in field(info, "Depends").split(", ")]
    needed = {"libc6", "libegl1", "libgl1", "libxcb1", "libpulse0", "libzbar0", "libfontconfig1"}
    assert needed <= set(depends)
    assert "(>= 2.36)" in field(info, "Depends")  # the bundle's glibc floor


def test_the_files_land_where_debian_puts_them(deb: Path) -> None:
    listing = run("dpkg-deb", "--contents", deb).stdout.splitlines()
    entries = {line.split()[5].removeprefix("."): line for line in listing}
    assert entries["/usr/bin/" + NAME].endswith(f"-> {INSTALLED_BINARY}")
    doc = f"/usr/share/doc/{NAME}"
    for path in (INSTALLED_BINARY, f"/usr/share/applications/{NAME}.desktop", ICON, UNIT,
                 f"{doc}/copyright", f"{doc}/changelog.Debian.gz", f"{doc}/config.example.toml"):
        assert path in entries, path
        assert " root/root " in entries[path]
    assert entries[INSTALLED_BINARY].startswith("-rwxr-xr-x")


def test_the_packaged_files_are_the_repository_s(deb: Path, tmp_path: Path) -> None:
    assert run("dpkg-deb", "--extract", deb, tmp_path).returncode == 0
    assert under(tmp_path, UNIT).read_bytes() == (LINUX / f"{NAME}.service").read_bytes()
    assert under(tmp_path, ICON).read_bytes() == (PACKAGING / f"{NAME}.svg").read_bytes()
    changelog = gzip.decompress(under(tmp_path, f"/usr/share/doc/{NAME}/changelog.Debian.gz").read_bytes())
    assert changelog.decode().startswith(f"{NAME} ({VERSION}-1) unstable; urgency=medium")
    if shutil.which("desktop-file-validate"):
        menu = tmp_path / f"usr/share/applications/{NAME}.desktop"
        checked = run("desktop-file-validate", menu)
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def test_the_postinst_enables_and_starts_nothing(deb: Path, tmp_path: Path) -> None:
    assert run("dpkg-deb", "--control", deb, tmp_path).returncode == 0
    lines = [line.strip() for line in (tmp_path / "postinst").read_text().splitlines()]
    commands = [line.split()[0] for line in lines if line and not line.startswith(("#", "echo"))]
    assert not {"systemctl", "deb-systemd-helper", "deb-systemd-invoke", "runuser", "su"} & set(commands)
    # Run as dpkg would on a first install: it prints how to enable the unit, and ends well.
    done = run("sh", tmp_path / "postinst", "configure", "")
    assert done.returncode == 0
    assert "systemctl --user enable venue-pass-kiosk.service" in done.stdout


def test_a_sha256_file_checks_the_package(deb: Path) -> None:
    checked = run("sha256sum", "-c", deb.name + ".sha256", cwd=deb.parent)
    assert checked.returncode == 0 and checked.stdout.strip() == f"{DEB}: OK"


@pytest.mark.skipif(shutil.which("lintian") is None, reason="lintian is missing (./dev setup installs it)")
def test_lintian_finds_no_error(deb: Path) -> None:
    checked = run("lintian", "--no-tag-display-limit", deb)
    errors = [line for line in checked.stdout.splitlines() if line.startswith("E:")]
    assert errors == [], checked.stdout
    assert checked.returncode == 0, checked.stdout + checked.stderr
