"""The visitor's hint at the real window: hard door frames in front of the camera, the hint over the guide.

Real parts: the app's own camera worker reads an image folder of hard frames (the
generator of `benchmarks/hard_frames.py`: a reflected screen, a code too small, a screen too
dim) through the real decoder and hint chooser; SQLite on disk; widgets offscreen. No
upstream: the hint comes before any verification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from benchmarks.hard_frames import Look, empty_frames, pass_texts, render_frame
from kiosk.camera.hints import Hint
from kiosk.camera.sources import ImageFolderSource, PacedSource
from kiosk.clock import SystemClock
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from tests.ui.conftest import make_context, speak, start_kiosk, write_frames

TILT_KO = "화면을 기울여 반사를 피해주세요"
BRIGHTER_KO = "화면 밝기를 올려주세요"


class Door:
    """A running window and every hint its camera worker sent it."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.sent: list[str] = []
        app.camera.hint_changed.connect(self.sent.append)


@pytest.fixture
def kiosk_with(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[np.ndarray], Door]]:
    running: list[KioskApp] = []

    def start(frame: np.ndarray) -> Door:
        """The window with `frame` held in front of the camera, as a visitor would."""
        folder = write_frames(tmp_path / "camera", [frame])

        def camera() -> PacedSource:
            return PacedSource(ImageFolderSource(folder, loop=True), fps=30, clock=SystemClock())

        return start_kiosk(qtbot, make_context(tmp_path), camera, running, Door)

    yield start
    for app in running:
        app.shutdown()


@pytest.mark.parametrize(
    ("look", "hint", "words"),
    [
        (Look(px=3.4, glare=0.3), Hint.GLARE, ("Tilt away from the light", TILT_KO)),
        (Look(px=1.3), Hint.CLOSER, ("Move closer", "가까이")),
        # A screen too dim to read: the decoder does not even locate its code.
        (Look(px=3.4, light=30, dark=25), Hint.BRIGHTER, ("Turn up your screen brightness", BRIGHTER_KO)),
    ],
)
def test_a_code_the_camera_cannot_read_gets_its_hint_over_the_guide(
    qapp, qtbot: QtBot, kiosk_with: Callable[[np.ndarray], Door], english_after, look, hint, words
) -> None:
    speak(qapp, "en")  # as `kiosk run` does for the configured language
    door = kiosk_with(render_frame(pass_texts()[0], look, np.random.default_rng(0)))
    app, canvas = door.app, door.app.window.preview.canvas
    qtbot.waitUntil(lambda: canvas.hint.isVisible(), timeout=20000)
    assert app.controller.state.hint is hint
    assert (canvas.hint_text.text(), canvas.hint_secondary.text()) == words
    assert app.controller.state.screen is Screen.IDLE  # nothing was read, nobody is verified
    # Another second and a half of the same frames: the hint is sent once, not once a frame.
    decoded = app.camera.frames_decoded
    qtbot.waitUntil(lambda: app.camera.frames_decoded >= decoded + 45, timeout=20000)
    assert door.sent == [hint.value]
    app.controller.toggle_language()  # the visitor taps the language button
    qtbot.waitUntil(lambda: (canvas.hint_text.text(), canvas.hint_secondary.text()) == words[::-1])


def test_an_empty_door_gets_no_hint(
    qtbot: QtBot, kiosk_with: Callable[[np.ndarray], Door], english_after
) -> None:
    door = kiosk_with(empty_frames(1)[0])
    app = door.app
    # Long past the chooser's window of frames: the camera has had its say, and said nothing.
    qtbot.waitUntil(lambda: app.camera.frames_decoded >= 90, timeout=20000)
    assert door.sent == []
    assert app.controller.state.hint is None
    assert not app.window.preview.canvas.hint.isVisible()
