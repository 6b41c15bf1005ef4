"""Every step of the set-up wizard fits the screens venues buy, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.app import KioskApp, load_fonts
from kiosk.ui.setup.steps import ORDER, Step, UpstreamOutcome
from tests.ui import layout_walk
from tests.ui.conftest import make_context, no_camera, speak


@pytest.fixture
def fresh(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> Iterator[KioskApp]:
    before = QFont(qapp.font())
    load_fonts()  # the kiosk's own Hangul font, as `kiosk run` sets it
    app = KioskApp(make_context(tmp_path), camera=no_camera, camera_retry_s=0.2)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitExposed(app.window)
    yield app
    app.shutdown()
    qapp.setFont(before)


@pytest.mark.slow
def test_every_step_fits_every_venue_screen_in_both_languages(
    qtbot: QtBot, qapp: QApplication, fresh: KioskApp, english_after: None
) -> None:
    wizard = fresh.owner.setup
    assert wizard is not None
    # The longest texts each step can show.
    wizard.venue.venue.setText("W" * 60)
    wizard.upstream.url.setText("https://" + "w" * 80 + ".example.com")
    found: list[str] = []
    for language in ("ko", "en"):
        speak(qapp, language)
        for step in ORDER:
            wizard._go(step)
            if step is Step.UPSTREAM:
                wizard.upstream.show_outcome(UpstreamOutcome.UNREACHABLE)
            if step is Step.CHECKS:
                qtbot.waitUntil(wizard.checks_page.start_button.isEnabled, timeout=20_000)
            for size in layout_walk.SIZES:
                fresh.window.resize(size)
                layout_walk.settle()
                where = f"{step} at {size.width()}x{size.height()} {language}"
                found.extend(layout_walk.problems(fresh.window, where))
    assert not found, "\n".join(found[:40])
