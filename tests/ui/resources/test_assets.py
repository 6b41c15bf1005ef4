"""The bundled files: every path the window asks for exists, and every asset ships in the wheel."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from kiosk.decision import Verdict
from kiosk.ui.resources import assets

REPO = Path(__file__).resolve().parents[3]


def test_every_named_asset_exists() -> None:
    named = [*assets.sound_paths().values(), *assets.font_paths()]
    named += [assets.translation_path(lang) for lang in ("ko", "en")]
    assert set(assets.sound_paths()) == set(Verdict)
    assert [p for p in named if not p.is_file()] == []


def test_every_asset_file_is_declared_as_package_data() -> None:
    # A file outside the patterns works from a checkout but is missing from an installed wheel.
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["kiosk"]
    package = REPO / "kiosk"
    files = [p.relative_to(package).as_posix() for p in assets.assets_dir().rglob("*") if p.is_file()]
    assert files
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []
