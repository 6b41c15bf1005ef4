"""A QR code that is part of the scene (a poster, a menu) is announced once, not each time a visitor
uncovers it; a pass held still in front of it still verifies."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.sources import ImageFolderSource, PacedSource, ScanLoop
from kiosk.clock import ManualClock
from tests.camera.qrimages import dcc_like_text, place, qr_image, scene

POSTER = "https://example.org/menu?table=4"


def _frame(*, poster: bool, pass_text: str | None = None) -> np.ndarray:
    frame = scene(np.random.default_rng(7))
    if poster:  # on the wall, top left, outside the guide
        frame = place(frame, qr_image(POSTER, px=5), 20, 20)
    if pass_text is not None:  # held up in the guide
        frame = place(frame, qr_image(pass_text, px=4), 460, 100)
    return frame


def _folder(tmp_path: Path, frames: list[np.ndarray]) -> Path:
    for index, frame in enumerate(frames):
        ok, data = cv2.imencode(".png", frame)
        assert ok
        data.tofile(tmp_path / f"{index:02d}.png")
    return tmp_path


def _events(folder: Path, repeat_each: int, hold_off_s: float = 2.0) -> list[tuple[str, int]]:
    clock = ManualClock()
    source = PacedSource(ImageFolderSource(folder, repeat_each=repeat_each), fps=30, clock=clock)
    loop = ScanLoop(source, QrDecoder(), clock, hold_off_s=hold_off_s)
    return [(event.text, event.frame_index) for event in loop.events()]


def test_a_poster_uncovered_again_and_again_is_announced_once(tmp_path: Path) -> None:
    # Visible, covered by a visitor for 3 s, visible, covered, visible: with a 2 s hold-off a
    # code out of sight that long would be a new scan each time.
    shown, covered = _frame(poster=True), _frame(poster=False)
    folder = _folder(tmp_path, [shown, covered, shown, covered, shown])
    assert _events(folder, repeat_each=90) == [(POSTER, 0)]


def test_a_pass_held_still_in_front_of_the_poster_still_verifies(tmp_path: Path) -> None:
    pass_text = dcc_like_text(random.Random(3))
    folder = _folder(
        tmp_path,
        [_frame(poster=True), _frame(poster=True, pass_text=pass_text), _frame(poster=True)],
    )
    # The pass is held for 3 s without moving: one scan, like any pass.
    assert _events(folder, repeat_each=90) == [(POSTER, 0), (pass_text, 90)]


def test_a_pass_is_not_taken_for_scenery_however_long_it_stays(tmp_path: Path) -> None:
    pass_text = dcc_like_text(random.Random(4))
    held, away = _frame(poster=False, pass_text=pass_text), _frame(poster=False)
    folder = _folder(tmp_path, [held, away, held])
    # Shown, away for 3 s, shown again: the same pass a second time is a new scan.
    assert _events(folder, repeat_each=90) == [(pass_text, 0), (pass_text, 180)]


def test_the_poster_does_not_stop_the_retries_for_a_hard_pass_beside_it(tmp_path: Path) -> None:
    pass_text = dcc_like_text(random.Random(5))
    # A small, soft code that only the retry variants read.
    small = cv2.GaussianBlur(cv2.resize(qr_image(pass_text, px=8), None, fx=0.19, fy=0.19), (0, 0), 0.7)
    hard = place(_frame(poster=True), small, 560, 240)
    decoder = QrDecoder()
    assert pass_text not in decoder.scan(hard, retry_variants=()).texts
    folder = _folder(tmp_path, [_frame(poster=True), hard])
    assert [text for text, _ in _events(folder, repeat_each=30)] == [POSTER, pass_text]
