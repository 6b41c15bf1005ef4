"""The Linux desktop entries: valid, in Korean and English, and starting the installed program."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from tests.packaging.support import INSTALLED_BINARY, LINUX, NAME, REPO, make_bundle, run_install, under

ENTRIES = {"menu": LINUX / f"{NAME}.desktop", "autostart": LINUX / f"{NAME}-autostart.desktop"}
HANGUL = re.compile("[\uac00-\ud7a3]")


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


@pytest.mark.parametrize("kind", sorted(ENTRIES))
def test_required_keys_in_both_languages(kind: str) -> None:
    entry = read_entry(ENTRIES[kind])
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    for key in ("Name", "Comment"):
        assert entry[key] and not HANGUL.search(entry[key])
        assert HANGUL.search(entry[f"{key}[ko]"])


@pytest.mark.parametrize(("kind", "fullscreen"), [("menu", False), ("autostart", True)])
def test_exec_starts_the_installed_program_s_window(kind: str, fullscreen: bool, tmp_path: Path) -> None:
    program, *args = shlex.split(read_entry(ENTRIES[kind])["Exec"])
    if kind == "autostart":
        # The systemd user unit where the session has a user manager, else the program itself.
        assert (program, args[0]) == ("sh", "-c")
        unit_start, fallback = args[1].split(" || exec ")
        assert unit_start == f"systemctl --user start {NAME}.service"
        program, *args = shlex.split(fallback)
    assert program == INSTALLED_BINARY
    # The arguments are the kiosk's own command line: `run`, full screen only at log-in.
    parsed = build_parser().parse_args(args)
    assert parsed.command == "run"
    assert parsed.fullscreen is fullscreen

    # install.sh puts an executable exactly there.
    bundle = make_bundle(tmp_path / "bundle")
    root = tmp_path / "root"
    assert run_install("--root", root, "--bundle", bundle).returncode == 0
    assert under(root, program).is_file()


@pytest.mark.parametrize("kind", sorted(ENTRIES))
def test_desktop_file_validate_accepts_them(kind: str) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (Debian package desktop-file-utils)")
    result = subprocess.run([validate, str(ENTRIES[kind])], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # not even a hint


def test_the_menu_and_the_window_give_the_product_one_korean_name() -> None:
    """The window's title is the translation of "Venue Pass Kiosk" in ko.ts; the menu says the same."""
    import xml.etree.ElementTree as ET

    root = ET.parse(REPO / "kiosk" / "assets" / "i18n" / "ko.ts").getroot()
    messages = root.iter("message")
    titles = {m.findtext("translation") for m in messages if m.findtext("source") == "Venue Pass Kiosk"}
    assert len(titles) == 1
    (title,) = titles
    assert read_entry(ENTRIES["menu"])["Name[ko]"] == title
    assert read_entry(ENTRIES["autostart"])["Name[ko]"].startswith(title)
