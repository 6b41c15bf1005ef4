"""The webcam's set-up for phone screens, against a stand-in capture that records what was asked of it
(there is no webcam on the test machine; the capture object is the hardware fake)."""

from __future__ import annotations

import logging

import cv2
import numpy as np
import pytest

from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.webcam import CameraRequest, WebcamSource, fourcc_text, measure_fps
from kiosk.clock import ManualClock

MJPG = float(cv2.VideoWriter_fourcc(*"MJPG"))
CONTROLS = frozenset({cv2.CAP_PROP_AUTO_EXPOSURE, cv2.CAP_PROP_EXPOSURE, cv2.CAP_PROP_AUTOFOCUS})
YUYV = float(cv2.VideoWriter_fourcc(*"YUYV"))


class FakeCapture:
    """Records every property set; grants what `supports` allows, as a driver would."""

    def __init__(
        self,
        *,
        backend: str = "V4L2",
        fourccs: tuple[float, ...] = (MJPG, YUYV),
        max_fps: float = 30.0,
        controls: frozenset[int] = CONTROLS,
        opened: bool = True,
        frames: int = 1000,
    ) -> None:
        self.backend = backend
        self.fourccs = fourccs
        self.max_fps = max_fps
        self.controls = controls
        self.opened = opened
        self.frames_left = frames
        self.set_calls: list[tuple[int, float]] = []
        self.values: dict[int, float] = {
            cv2.CAP_PROP_FOURCC: YUYV,
            cv2.CAP_PROP_FRAME_WIDTH: 640,
            cv2.CAP_PROP_FRAME_HEIGHT: 480,
            cv2.CAP_PROP_FPS: 10.0,
        }
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def getBackendName(self) -> str:
        return self.backend

    def set(self, prop: int, value: float) -> bool:
        self.set_calls.append((prop, value))
        if prop == cv2.CAP_PROP_FOURCC:
            if value not in self.fourccs:
                return False
        elif prop == cv2.CAP_PROP_FPS:
            value = min(value, self.max_fps)
        elif prop not in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT) and prop not in self.controls:
            return False
        self.values[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.values.get(prop, 0.0)

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.frames_left <= 0:
            return False, None
        self.frames_left -= 1
        return True, np.zeros((720, 1280, 3), np.uint8)

    def release(self) -> None:
        self.released = True


def _open(capture: FakeCapture, **kwargs: object) -> WebcamSource:
    return WebcamSource(0, open_capture=lambda index, api: capture, **kwargs)  # type: ignore[arg-type]


def test_asks_for_mjpg_first_then_size_frame_rate_short_exposure_and_autofocus() -> None:
    capture = FakeCapture()
    source = _open(capture)
    props = [prop for prop, _ in capture.set_calls]
    assert props == [
        cv2.CAP_PROP_FOURCC,
        cv2.CAP_PROP_FRAME_WIDTH,
        cv2.CAP_PROP_FRAME_HEIGHT,
        cv2.CAP_PROP_FPS,
        cv2.CAP_PROP_AUTO_EXPOSURE,
        cv2.CAP_PROP_EXPOSURE,
        cv2.CAP_PROP_AUTOFOCUS,
    ]
    values = dict(capture.set_calls)
    assert values[cv2.CAP_PROP_FOURCC] == MJPG
    assert values[cv2.CAP_PROP_FPS] == 30.0
    # V4L2: manual exposure is mode 1, exposure in 100 µs steps: 10 ms.
    assert values[cv2.CAP_PROP_AUTO_EXPOSURE] == 1.0
    assert values[cv2.CAP_PROP_EXPOSURE] == 100.0
    assert values[cv2.CAP_PROP_AUTOFOCUS] == 1
    assert source.format.describe() == "1280x720 MJPG at 30 fps (V4L2)"
    assert source.format.notes == ()


def test_directshow_takes_exposure_as_log2_seconds() -> None:
    capture = FakeCapture(backend="DSHOW")
    _open(capture, request=CameraRequest(max_exposure_ms=10.0))
    values = dict(capture.set_calls)
    assert values[cv2.CAP_PROP_AUTO_EXPOSURE] == 0.25
    assert values[cv2.CAP_PROP_EXPOSURE] == -7.0  # 2^-7 s = 7.8 ms, the step at or below 10 ms


def test_a_camera_without_mjpg_or_controls_falls_back_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    capture = FakeCapture(fourccs=(YUYV,), max_fps=10.0, controls=frozenset())
    with caplog.at_level(logging.WARNING, logger="kiosk.camera.webcam"):
        source = _open(capture)
    fmt = source.format
    assert (fmt.fourcc, fmt.fps) == ("YUYV", 10.0)
    assert fmt.notes == (
        "exposure: the camera offers no exposure control; it keeps its own (motion may blur)",
        "focus: the camera offers no autofocus control (fixed focus)",
        "format: asked for MJPG, the camera sends YUYV",
        "frame rate: asked for 30 fps, the camera gives 10",
    )
    assert [r.getMessage() for r in caplog.records] == [f"camera: {note}" for note in fmt.notes]


def test_no_camera_is_a_clear_error_and_releases_the_capture() -> None:
    capture = FakeCapture(opened=False)
    with pytest.raises(CameraUnavailableError, match="No camera found at index 0"):
        _open(capture)
    assert capture.released


def test_an_unplugged_camera_stops_after_a_run_of_failed_reads() -> None:
    capture = FakeCapture(frames=2)
    source = _open(capture, max_failed_reads=3)
    assert source.read() is not None and source.read() is not None
    assert source.read() is None and source.read() is None
    with pytest.raises(CameraUnavailableError, match="stopped sending images"):
        source.read()
    assert capture.released


def test_measured_frame_rate_counts_frames_over_the_clock() -> None:
    clock = ManualClock()

    def every_50_ms() -> np.ndarray:
        clock.advance(0.05)
        return np.zeros((2, 2), np.uint8)

    assert measure_fps(every_50_ms, clock, frames=20) == pytest.approx(20.0)
    assert measure_fps(lambda: None, clock) is None


def test_fourcc_text() -> None:
    assert fourcc_text(MJPG) == "MJPG"
    assert fourcc_text(0.0) == "unknown"
