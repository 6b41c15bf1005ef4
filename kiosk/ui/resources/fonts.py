"""The window's font: the bundled Hangul font, registered with Qt before any widget exists.

A bare Linux (no fonts-nanum) draws Korean as empty boxes, and a packaged Windows build
cannot count on a Korean font either, so the app ships NanumGothic (OFL, see
`kiosk/assets/fonts/OFL.txt`) and registers it for this process only: nothing is
installed on the machine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication

from kiosk.ui.resources import assets

log = logging.getLogger(__name__)

# Installed families that render Hangul well, in order of preference, for a build whose
# bundled files are missing: Debian's fonts-nanum, Noto CJK, and Windows' own Korean UI font.
_INSTALLED_FALLBACKS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Malgun Gothic")


def load_fonts(files: Iterable[Path] | None = None) -> str:
    """Register the bundled fonts; return the family to set as the application font.

    Needs a QGuiApplication. If no bundled file loads, an installed Korean family is
    returned instead, and failing that the platform default (Korean may then show boxes;
    said once in the log, never an error: English still renders).
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError("load_fonts() needs a QGuiApplication first")
    loaded: list[str] = []
    for path in files if files is not None else assets.font_paths():
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            log.info("bundled font %s could not be loaded", path.name)
            continue
        loaded.extend(QFontDatabase.applicationFontFamilies(font_id))
    if loaded:
        return loaded[0]  # the regular face comes first; bold shares its family or is styled by weight
    korean = QFontDatabase.families(QFontDatabase.WritingSystem.Korean)
    for family in _INSTALLED_FALLBACKS:
        if family in korean:
            return family
    if korean:
        return korean[0]
    default = QGuiApplication.font().family()
    log.info("no Hangul font found: Korean text may not render")
    return default
