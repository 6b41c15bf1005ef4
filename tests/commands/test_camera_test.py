"""`kiosk camera test` on the project's image-folder camera (no webcam on the test machine)."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from tests.camera.qrimages import dcc_like_text, place, qr_image, scene


def _folder(tmp_path: Path, image: np.ndarray) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    ok, data = cv2.imencode(".png", image)
    assert ok
    data.tofile(folder / "frame.png")
    return folder


def _run(capsys: pytest.CaptureFixture[str], folder: Path | str) -> tuple[int, str]:
    code = main(["camera", "test", "--camera", str(folder), "--seconds", "0.5"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_pass_filling_the_guide_passes_the_framing_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = qr_image(dcc_like_text(random.Random(1)), px=4)  # 85 modules + quiet zone: ~310 px
    x, y = (1280 - code.shape[1]) // 2, (720 - code.shape[0]) // 2
    frame = place(scene(np.random.default_rng(1)), code, x, y)
    rc, out = _run(capsys, _folder(tmp_path, frame))
    assert rc == 0, out
    assert "of 1280x720, measured" in out
    assert "framing: a QR code read in" in out
    assert "(the guide is 400 px)" in out


def test_a_small_code_fails_the_framing_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = place(scene(np.random.default_rng(2)), qr_image("KP1:small", px=4), 600, 330)
    rc, out = _run(capsys, _folder(tmp_path, frame))
    assert rc == 1
    assert "small: a pass held in the guide should fill most of it" in out


def test_nothing_held_up_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _run(capsys, _folder(tmp_path, scene(np.random.default_rng(3))))
    assert rc == 1
    assert "framing: no QR code read; hold a pass in the guide" in out


def test_no_camera_says_so_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _run(capsys, "7")
    assert rc == 2
    assert "No camera found at index 7" in out
    assert "Traceback" not in out
