"""packaging/kiosk.spec builds a bundle that runs: built once, installed with install.sh into a
temporary root, then every test runs the installed program (so nothing points back at the build
folder or this checkout). The program's commands exercise what a frozen app loses first: the
native libraries (zxing-cpp, OpenCV, cryptography), Qt's platform plugin, and the package data
read through importlib.resources (translations, fonts, sounds).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno

from kiosk import __version__
from kiosk.demo.screenshots import shot_names
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.signer import load_signer_cert
from tests.audio_sink import null_sink
from tests.camera.corpus import DGC_DIR
from tests.packaging.support import INSTALLED_BINARY, LINUX, NAME, PACKAGING, REPO, run_install, under

pytestmark = pytest.mark.slow

DAY = 86_400.0


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (the test and package extras bring it): bundle not built")
    if shutil.which("objdump") is None:
        pytest.skip("objdump is missing (binutils; ./dev setup installs it): bundle not built")
    work = tmp_path_factory.mktemp("bundle")
    # PyInstaller keeps a cache in the home folder: a temporary one, not the real user's.
    env = {**os.environ, "HOME": str(work / "home"), "XDG_CACHE_HOME": str(work / "home" / "cache")}
    start = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(PACKAGING / "kiosk.spec")],
        capture_output=True, text=True, timeout=600, check=False, env=env,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    print(f"\nbundle built in {time.monotonic() - start:.1f} s")
    root = work / "root"
    installed = run_install("--root", root, "--bundle", work / "dist" / NAME)
    assert installed.returncode == 0, installed.stderr
    # The build output goes: the installed copy must not lean on it.
    shutil.rmtree(work / "dist")
    shutil.rmtree(work / "build")
    return under(root, INSTALLED_BINARY)


def kiosk(
    program: Path, *args: str | Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # HOME and XDG_* are this test's (tests/conftest.py); no display: Qt draws offscreen.
    env = {**(os.environ if env is None else env), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [str(program), *map(str, args)], capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    assert "Traceback" not in result.stderr
    return result


def test_version(program: Path) -> None:
    result = kiosk(program, "--version")
    assert (result.returncode, result.stdout) == (0, f"kiosk {__version__}\n")


def test_a_pass_in_a_picture_is_read_and_verified(program: Path, tmp_path: Path) -> None:
    now = time.time()
    key, der = make_signer("ES256", "XA", "Bundle DSC", None, now - 30 * DAY, now + 365 * DAY)
    cert = tmp_path / "signer.der"
    cert.write_bytes(der)
    sampled = datetime.fromtimestamp(now - 2 * 3600, tz=UTC).isoformat()
    hcert = {"ver": "1.3.0", "nam": {"fn": "Kim", "gn": "Minsu"}, "dob": "1990-01-01",
             "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": sampled, "tr": "260415000",
                    "co": "XA", "is": "x", "ci": "URN:UVCI:01:XA:BUNDLE1"}]}
    text = issue_dcc(hcert, private_key=key, kid=load_signer_cert(der).kid, issuer="XA",
                     issued_at=now - DAY, expires_at=now + 365 * DAY)
    picture = tmp_path / "pass.png"
    segno.make_qr(text, error="q").save(str(picture), scale=4, border=4)
    data = tmp_path / "data"

    scanned = kiosk(program, "scan", "--json", picture)  # zxing-cpp and OpenCV inside the bundle
    assert scanned.returncode == 0, scanned.stderr
    assert json.loads(scanned.stdout)["texts"] == [text]

    imported = kiosk(program, "trust", "import", "--data", data, cert)
    assert imported.returncode == 0, imported.stderr
    verified = kiosk(program, "verify", "--json", "--offline", "--data", data, "--image", picture)
    assert verified.returncode == 0, verified.stderr
    result = json.loads(verified.stdout)
    assert (result["signature"], result["decision"]) == ("valid", "admit")

    doctor = kiosk(program, "doctor", "--json", "--no-network", "--data", data)
    checks = {row["check"]: row for row in map(json.loads, doctor.stdout.splitlines())}
    assert doctor.returncode == 0, doctor.stdout
    assert checks["window files"]["status"] == "ok"  # sounds, fonts and translations found
    assert checks["QR decoder"]["status"] == "ok"


def test_a_real_pass_picture_is_read(program: Path) -> None:
    # A DCC test-data picture (a national test QR, not one made here): OpenCV loads it, numpy
    # and zxing-cpp read it, all from the bundle.
    picture = DGC_DIR / "DE" / "2DCode" / "png" / "1.png"
    if not picture.exists():
        pytest.skip("the DCC test data (../shared/testdata) is not here")
    case = json.loads((DGC_DIR / "DE" / "2DCode" / "raw" / "1.json").read_text(encoding="utf-8"))
    scanned = kiosk(program, "scan", "--json", picture)
    assert scanned.returncode == 0, scanned.stderr
    assert json.loads(scanned.stdout)["texts"] == [case["PREFIX"]]


def test_the_bundle_leaves_out_what_the_kiosk_never_loads(program: Path) -> None:
    internal = program.parent / "_internal"
    names = {p.name for p in internal.rglob("*")}
    # Linked only by Qt plugins the kiosk does not load (packaging/hooks/): the PDF image
    # reader, SVG, the virtual keyboard, EGLFS, the GTK3 theme's chain, and the multimedia
    # backend's FFmpeg and Qt Quick (the sounds need neither).
    unused = {"libQt6Pdf.so.6", "libQt6Svg.so.6", "libQt6VirtualKeyboard.so.6",
              "libQt6EglFSDeviceIntegration.so.6", "libatk-1.0.so.0", "libgdk_pixbuf-2.0.so.0",
              "libpango-1.0.so.0", "libcairo.so.2",
              "libQt6Quick.so.6", "libQt6Qml.so.6", "libavcodec.so.61"}
    assert names & unused == set()
    # Of Qt's own translations only those the window loads (kiosk/ui/resources/i18n.py).
    assert sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()) == [
        "qtbase_en.qm", "qtbase_ko.qm"]


def test_the_interpreter_s_and_qt_s_libraries_are_stripped(program: Path) -> None:
    # packaging/kiosk.spec strips these (libpython's symbols alone are 17 MB); the other wheels'
    # libraries stay as their builders left them, since a stripped copy of them does not load.
    internal = program.parent / "_internal"
    files = [internal / "libpython3.11.so.1.0", *(internal / "python3.11" / "lib-dynload").iterdir(),
             *(internal / "PySide6" / "Qt" / "lib").iterdir()]
    shown = subprocess.run(["readelf", "-S", "-W", *map(str, files)], capture_output=True, text=True,
                           check=False).stdout
    # readelf heads each file's sections with "File: PATH" when given several files.
    with_symbols = [part.split("\n", 1)[0] for part in shown.split("\nFile: ")[1:] if " .symtab " in part]
    assert len(files) > 20 and with_symbols == []


def test_no_library_searches_a_folder_of_the_build_machine(program: Path) -> None:
    # A self-built interpreter leaves its own lib folder as the RUNPATH of libpython and its
    # extensions; the spec removes it. What stays is $ORIGIN-relative (the wheels) or a system
    # folder of the distribution's own library (libpulse's private folder).
    files = [p for p in (program.parent / "_internal").rglob("*.so*") if p.is_file()]
    shown = subprocess.run(["readelf", "-d", "-W", *map(str, files)], capture_output=True, text=True,
                           check=False).stdout
    paths = {
        entry
        for line in shown.splitlines() if "(RUNPATH)" in line or "(RPATH)" in line
        for entry in line.split("[", 1)[1].rstrip("]").split(":")
    }
    assert len(files) > 100
    assert [p for p in paths if not p.startswith(("$ORIGIN", "/usr/lib/"))] == []


def test_the_window_draws_in_korean_and_english(program: Path, tmp_path: Path) -> None:
    # The headless demo runs the simulator, the engine and the store, then draws every screen
    # on Qt's offscreen platform in both languages.
    shots = tmp_path / "shots"
    data = tmp_path / "data"
    result = kiosk(program, "demo", "--headless", "--pace", "0", "--data", data, "--screenshots", shots,
                   timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(p.name for p in shots.iterdir()) == sorted(shot_names())
    # The window says in its log when a bundled font or translation does not load (and goes on
    # in English, or with Korean as boxes): the screenshots alone would not show it.
    log = "".join(p.read_text(errors="replace") for p in (data / "logs").glob("kiosk.log*"))
    assert "demo started" in log
    assert "could not be loaded" not in log


def test_the_sound_player_loads_every_sound(program: Path, tmp_path: Path) -> None:
    # The player and QtMultimedia must be in the bundle: each verdict sound reaches QSoundEffect
    # Ready on an audio device (a null sink standing in for the kiosk's speakers).
    with null_sink(tmp_path / "pulse") as env:
        doctor = kiosk(program, "doctor", "--json", "--no-network", "--data", tmp_path / "data", env=env)
    checks = {row["check"]: row for row in map(json.loads, doctor.stdout.splitlines())}
    assert checks["sounds"]["status"] == "ok", checks["sounds"]
    assert checks["sounds"]["detail"] == "admit Ready, deny Ready, manual Ready"
    assert checks["Qt platform"]["status"] == "ok", checks["Qt platform"]


def _listed_depends() -> dict[str, str]:
    """packaging/linux/deb/depends: package name -> its version condition ("" for none)."""
    lines = (LINUX / "deb" / "depends").read_text().splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {entry.split()[0]: entry.partition(" ")[2] for entry in entries}


def _package_depends(package: str) -> set[str]:
    shown = subprocess.run(["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}", package],
                           capture_output=True, text=True, check=False)
    return {alt.split()[0] for alt in shown.stdout.replace("|", ",").split(",") if alt.strip()}


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="dpkg is missing: not a Debian system")
def test_the_packages_depends_cover_every_library_the_bundle_loads(program: Path) -> None:
    found = subprocess.run(["bash", str(REPO / "scripts" / "deb_depends.sh"), str(program.parent)],
                           capture_output=True, text=True, timeout=600, check=True).stdout.split()
    assert [f for f in found if f.startswith(("missing:", "unowned:"))] == []
    listed = set(_listed_depends())
    covered = listed.union(*(_package_depends(package) for package in listed))
    assert set(found) - covered == set()


def test_the_glibc_floor_is_the_one_the_package_states(program: Path) -> None:
    # The highest GLIBC_2.x symbol version any file of the bundle needs (README: Linux version floor).
    files = [p for p in program.parent.rglob("*")
             if p.is_file() and (".so" in p.name or os.access(p, os.X_OK))]
    versions: set[tuple[int, ...]] = set()
    for start in range(0, len(files), 200):
        dumped = subprocess.run(["objdump", "-T", *map(str, files[start:start + 200])],
                                capture_output=True, text=True, check=False).stdout
        versions |= {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(2\.[0-9.]+)", dumped)}
    floor = ".".join(map(str, max(versions)))
    assert _listed_depends()["libc6"] == f"(>= {floor})"
