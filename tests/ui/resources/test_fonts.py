"""The bundled Hangul font: registered by load_fonts() and able to draw the window's Korean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QRawFont

from kiosk.ui.resources import assets
from kiosk.ui.resources.fonts import load_fonts

HANGUL = "QR 코드를 보여주세요 입장 불가 직원 확인 백신 접종 후 14일 미경과 카메라 없음"
SYLLABLES = [ch for ch in HANGUL if "\uac00" <= ch <= "\ud7a3"]


def test_bundled_fonts_ship_with_their_licence() -> None:
    paths = assets.font_paths()
    assert paths and all(p.is_file() and p.stat().st_size > 1_000_000 for p in paths)
    licence = (paths[0].parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "NAVER Corporation" in licence


def test_load_fonts_returns_a_family_that_has_every_hangul_glyph(qapp) -> None:
    family = load_fonts()
    assert family == "NanumGothic"
    font = QFont(family, 28)
    assert QFontInfo(font).family() == family  # matched itself, not a substitute
    metrics = QFontMetrics(font)
    raw = QRawFont.fromFont(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in SYLLABLES)
    assert raw.familyName() == family and all(raw.supportsCharacter(ord(ch)) for ch in SYLLABLES)
    bold = QFont(family, 28, QFont.Weight.Bold)
    assert QFontDatabase.isSmoothlyScalable(family) and QFontMetrics(bold).inFontUcs4(ord("입"))


BARE_MACHINE_PROBE = """
import json
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication, QRawFont
from kiosk.ui.resources.fonts import load_fonts

app = QGuiApplication([])
syllables = json.loads(input())
def draws(family):
    metrics = QFontMetrics(QFont(family))
    return all(metrics.inFontUcs4(ord(ch)) for ch in syllables)
before = {"korean_families": QFontDatabase.families(QFontDatabase.WritingSystem.Korean),
          "draws": draws(QGuiApplication.font().family())}
family = load_fonts()
bold = QRawFont.fromFont(QFont(family, 12, QFont.Weight.Bold)).styleName()
print(json.dumps({"before": before, "family": family, "draws": draws(family), "bold": bold}))
"""


def test_hangul_renders_on_a_machine_without_any_font_installed(tmp_path: Path) -> None:
    # Fontconfig sees one empty folder: no fonts-nanum, no system font at all.
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", BARE_MACHINE_PROBE],
        input=json.dumps(SYLLABLES),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == {"korean_families": [], "draws": False}  # the bare machine draws boxes
    assert result["family"] == "NanumGothic" and result["draws"] is True
    assert result["bold"] == "Bold"  # the verdict's bold face is a real bold, not a smeared regular
