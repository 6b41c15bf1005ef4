"""`kiosk doctor`'s camera format check, against a stand-in capture (no webcam on the test machine)."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk import doctor
from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.webcam import probe_camera
from kiosk.clock import ManualClock
from tests.camera.test_webcam import YUYV, FakeCapture


class TimedCapture(FakeCapture):
    """Delivers frames at the rate it granted, on a manual clock."""

    def __init__(self, clock: ManualClock, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.clock.advance(1.0 / self.get(cv2.CAP_PROP_FPS))
        return super().read()


def _check(**kwargs: object) -> doctor.Check:
    clock = ManualClock()
    capture = TimedCapture(clock, **kwargs)
    return doctor.check_camera_format(lambda: probe_camera(0, clock, open_capture=lambda i, a: capture))


def test_a_camera_giving_mjpg_at_30_fps_is_ok_and_reported() -> None:
    check = _check()
    assert check.status is doctor.Status.OK
    assert check.detail == "1280x720 MJPG at 30 fps (V4L2), measured 30.0 fps"


def test_a_yuyv_camera_at_10_fps_warns_and_says_what_it_refused() -> None:
    check = _check(fourccs=(YUYV,), max_fps=10.0)
    assert check.status is doctor.Status.WARN
    assert check.detail.startswith("1280x720 YUYV at 10 fps (V4L2), measured 10.0 fps; ")
    assert "format: asked for MJPG, the camera sends YUYV" in check.detail
    assert "below 15 fps" in check.hint


def test_a_camera_that_cannot_be_opened_is_a_warning_with_the_reason() -> None:
    def probe() -> tuple[object, float | None]:
        raise CameraUnavailableError("No camera found at index 0.")

    check = doctor.check_camera_format(probe)  # type: ignore[arg-type]
    assert check.status is doctor.Status.WARN
    assert check.detail == "No camera found at index 0."
