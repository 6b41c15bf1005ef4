"""Every page of the window fits the screens venues buy, in both languages and at Qt's scale factors.

The walk (`tests/ui/layout_walk.py`) visits every page of the real window and reports a
visible widget outside the window (outside its scroll area's content when it scrolls), a
label whose text does not fit its contents rectangle, and a page whose minimum size is
larger than the window. Scale factors need a fresh process each (`QT_SCALE_FACTOR` is read
when the QApplication starts): those run the walk in a subprocess on an offscreen
1920×1080 screen, where the window also shows it opens at the screen's available size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.ui.app import KioskApp, load_fonts
from kiosk.ui.model import Screen, ScreenState, Shown
from kiosk.ui.resources.layout import window_scale
from tests.ui import layout_walk
from tests.ui.conftest import make_context, provision_owner, speak

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundled_font(qapp: QApplication) -> Iterator[None]:
    """The kiosk's own Hangul font, as `kiosk run` sets it; the session's font afterwards."""
    before = QFont(qapp.font())
    load_fonts()
    yield
    qapp.setFont(before)


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, bundled_font: None) -> Iterator[KioskApp]:
    ctx = make_context(tmp_path)
    provision_owner(ctx)
    app = KioskApp(ctx, camera=layout_walk._no_camera)
    qtbot.addWidget(app.window)
    app.window.show()
    qtbot.waitExposed(app.window)
    yield app
    app.shutdown()


# --- the walk's own checks can fail -------------------------------------------------------------


def test_the_walk_names_a_clipped_label_and_a_widget_outside_the_window(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(200, 100)
    label = QLabel("a-word-far-too-long-for-its-label", window)
    label.setObjectName("narrow")
    label.setGeometry(0, 0, 40, 20)
    outside = QWidget(window)
    outside.setObjectName("offscreen")
    outside.setGeometry(150, 80, 100, 40)
    fits = QLabel("ok", window)
    fits.setObjectName("fits")
    fits.setGeometry(0, 40, 100, 30)
    window.show()
    qtbot.waitExposed(window)

    found = layout_walk.problems(window, "test page")
    assert any("narrow (QLabel, text of 33 chars) is clipped" in line for line in found), found
    outside = "offscreen (QWidget, text of 0 chars) at 150,80 100x40 leaves"
    assert any(outside in line for line in found), found
    assert not any("fits" in line for line in found)
    assert all(line.startswith("test page: ") for line in found)


def test_window_scale_follows_the_short_and_the_long_side() -> None:
    assert window_scale(1280, 800) == window_scale(800, 1280) == 1.0
    assert window_scale(800, 600) == 0.6  # the floor: text stays readable
    assert window_scale(960, 540) == 0.65  # rounded down, never up past the window
    assert window_scale(1920, 1080) == window_scale(1080, 1920) == 1.35
    assert window_scale(3840, 2160) == 2.0


# --- the window ---------------------------------------------------------------------------------


def test_the_verdict_stacks_its_symbol_over_its_words_on_a_standing_screen(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window, verdict = kiosk.window, kiosk.window.verdict
    shown = Shown(Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, "홍*동", "v1")
    layout_walk.show_state(kiosk, ScreenState(screen=Screen.VERDICT, shown=shown, shown_until=1e12))
    box = verdict.layout()
    assert isinstance(box, QBoxLayout)
    sizes = {}
    for size in (QSize(1080, 1920), QSize(1920, 1080)):
        window.resize(size)
        layout_walk.settle()
        parts = (box.direction(), verdict.glyph.geometry(), verdict.title.geometry(), verdict.width())
        sizes[size.height() > size.width()] = parts
        title_font = verdict.title.font().pixelSize()
        assert title_font > 88, "a 1080-wide screen gets a larger verdict than the 1280×800 design"
    direction, glyph, title, width = sizes[True]
    assert direction is QBoxLayout.Direction.TopToBottom and glyph.bottom() < title.top()
    assert glyph.width() > 0.8 * width  # the symbol uses the screen's width
    direction, glyph, title, _width = sizes[False]
    assert direction is QBoxLayout.Direction.LeftToRight and glyph.right() < title.left()


def test_fonts_follow_the_window_size(qtbot: QtBot, kiosk: KioskApp) -> None:
    prompt = kiosk.window.preview.prompt
    pixels = []
    for size in (QSize(800, 600), QSize(1280, 800), QSize(1920, 1080)):
        kiosk.window.resize(size)
        layout_walk.settle()
        pixels.append(prompt.font().pixelSize())
    assert pixels[0] < pixels[1] < pixels[2]
    assert pixels[1] == 40  # the theme's size on the 1280×800 design screen


@pytest.mark.slow
def test_every_page_fits_every_venue_screen_in_both_languages(
    qtbot: QtBot, qapp: QApplication, kiosk: KioskApp, english_after: None
) -> None:
    found: list[str] = []
    for language in ("ko", "en"):
        speak(qapp, language)
        kiosk.controller.set_language(language)
        for size in layout_walk.SIZES:
            found.extend(layout_walk.walk(kiosk, size, language))
    assert not found, "\n".join(found[:40])


# --- Qt's scale factors on a 1920×1080 screen (a process each) ----------------------------------


def _screen_config(tmp_path: Path) -> Path:
    screen = {"name": "venue", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1}
    path = tmp_path / "screen.json"
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.window
@pytest.mark.parametrize(("factor", "logical"), [("1", "1920x1080"), ("1.5", "1280x720"), ("2", "960x540")])
def test_every_page_fits_at_qt_scale_factors_and_the_window_opens_at_the_screen_size(
    tmp_path: Path, factor: str, logical: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_config(tmp_path)}"
    env["QT_SCALE_FACTOR"] = factor
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.layout_walk", str(tmp_path / "data")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert f"screen {logical}" in lines, done.stdout[-3000:]
    problems = [line for line in lines if not line.startswith("screen ")]
    assert not problems, "\n".join(problems[:40])

