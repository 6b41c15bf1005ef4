"""Where the window's bundled files are: sounds, fonts and translations.

The files live inside the package (`kiosk/assets/`, shipped as package data), so an
installed wheel, an editable install and a PyInstaller bundle all find them the same
way: through `importlib.resources`, never through a path relative to the working folder.
Every other module asks here; no other module spells an asset path.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kiosk.decision import Verdict

# The sound each verdict plays. MANUAL is the "staff check" double beep.
_SOUND_FILES: dict[Verdict, str] = {
    Verdict.ADMIT: "admit.wav",
    Verdict.DENY: "deny.wav",
    Verdict.MANUAL: "check.wav",
}

# Bundled Hangul fonts, regular first: the first file's family becomes the app font.
_FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")

# The compiled translations that ship (the window's languages).
_TRANSLATIONS = ("ko", "en")


def assets_dir() -> Path:
    # The package is installed as plain files (wheel, editable, PyInstaller one-folder),
    # so the traversable is a real folder: Qt needs file paths, not a zip member.
    return Path(str(resources.files("kiosk") / "assets"))


def sound_path(verdict: Verdict) -> Path:
    return assets_dir() / "sounds" / _SOUND_FILES[verdict]


def sound_paths() -> dict[Verdict, Path]:
    return {verdict: sound_path(verdict) for verdict in _SOUND_FILES}


def font_paths() -> list[Path]:
    return [assets_dir() / "fonts" / name for name in _FONT_FILES]


def i18n_dir() -> Path:
    """The folder of `<lang>.ts` (sources, edited with Qt Linguist) and `<lang>.qm` (compiled)."""
    return assets_dir() / "i18n"


def translation_path(lang: str) -> Path:
    return i18n_dir() / f"{lang}.qm"


def bundled_files() -> list[Path]:
    """Every file the window reads at run time; `kiosk doctor` checks that an install has them all."""
    return [
        *sound_paths().values(),
        *font_paths(),
        *(translation_path(lang) for lang in _TRANSLATIONS),
    ]
