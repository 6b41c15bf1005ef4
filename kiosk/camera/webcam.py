"""The webcam: opened and set up for phone screens through OpenCV's capture properties.

A phone screen at the door needs a short exposure (a hand never holds still for long),
focus that follows it, and frames often enough that one of them is sharp. V4L2 cameras
left alone typically send YUYV at 10 fps or less with long exposures, so the kiosk asks
for MJPG at 30 fps, an exposure limit and continuous autofocus, then reads back what the
camera actually does (`CameraFormat`), saying each request it did not grant.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from kiosk.camera.cvlog import quiet_opencv
from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import ClosingSource
from kiosk.clock import Clock

log = logging.getLogger(__name__)

NO_CAMERA_HINT = (
    "Check that the camera is plugged in and not in use by another program"
    " (Linux: the kiosk user must be in the 'video' group), or choose another camera index in the settings."
)
# Below this, too few frames are sharp enough while a visitor holds a phone up.
MIN_FPS = 15.0


@dataclass(frozen=True, slots=True)
class CameraRequest:
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    fourcc: str = "MJPG"
    # The longest exposure the kiosk accepts: shorter smears a moving hand less, and a lit
    # phone screen is bright enough for it.
    max_exposure_ms: float = 10.0
    autofocus: bool = True


@dataclass(frozen=True, slots=True)
class CameraFormat:
    """What the camera actually delivers after the requests, and what it did not grant."""

    width: int
    height: int
    fps: float  # as the driver reports it (`measure_fps` measures it)
    fourcc: str
    backend: str
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"{self.width}x{self.height} {self.fourcc} at {self.fps:.0f} fps ({self.backend})"


def fourcc_text(value: float) -> str:
    code = int(value)
    text = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))
    return text if text.isprintable() and text.strip() else "unknown"


def _exposure_value(backend: str, max_exposure_ms: float) -> tuple[float, float]:
    """(auto-exposure "manual" value, exposure value) in the units of `backend`.

    V4L2 counts exposure in 100 µs steps and calls manual mode 1; DirectShow and Media
    Foundation take log2 of seconds and call manual mode 0.25.
    """
    if backend == "V4L2":
        return 1.0, max_exposure_ms * 10.0
    return 0.25, float(math.floor(math.log2(max_exposure_ms / 1000.0)))


def configure(capture: Any, request: CameraRequest) -> CameraFormat:
    """Ask `capture` for `request` and read back what it does. Never raises for a refused control."""
    backend = str(capture.getBackendName()) if hasattr(capture, "getBackendName") else "unknown"
    notes: list[str] = []
    # V4L2 applies the pixel format before the size and frame rate: set it first.
    capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*request.fourcc))
    capture.set(cv2.CAP_PROP_FRAME_WIDTH, request.width)
    capture.set(cv2.CAP_PROP_FRAME_HEIGHT, request.height)
    capture.set(cv2.CAP_PROP_FPS, request.fps)
    manual, exposure = _exposure_value(backend, request.max_exposure_ms)
    if not (capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, manual) and capture.set(cv2.CAP_PROP_EXPOSURE, exposure)):
        notes.append("exposure: the camera offers no exposure control; it keeps its own (motion may blur)")
    if request.autofocus and not capture.set(cv2.CAP_PROP_AUTOFOCUS, 1):
        notes.append("focus: the camera offers no autofocus control (fixed focus)")
    fmt = CameraFormat(
        width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
        height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        fps=float(capture.get(cv2.CAP_PROP_FPS)),
        fourcc=fourcc_text(capture.get(cv2.CAP_PROP_FOURCC)),
        backend=backend,
    )
    if fmt.fourcc != request.fourcc:
        notes.append(f"format: asked for {request.fourcc}, the camera sends {fmt.fourcc}")
    if fmt.fps and fmt.fps < request.fps - 0.5:
        notes.append(f"frame rate: asked for {request.fps:.0f} fps, the camera gives {fmt.fps:.0f}")
    if (fmt.width, fmt.height) != (request.width, request.height):
        asked = f"{request.width}x{request.height}"
        notes.append(f"size: asked for {asked}, the camera gives {fmt.width}x{fmt.height}")
    for note in notes:
        log.warning("camera: %s", note)
    return CameraFormat(fmt.width, fmt.height, fmt.fps, fmt.fourcc, fmt.backend, tuple(notes))


class WebcamSource(ClosingSource):
    def __init__(
        self,
        index: int = 0,
        *,
        request: CameraRequest | None = None,
        api_preference: int = cv2.CAP_ANY,
        max_failed_reads: int = 30,
        open_capture: Callable[[int, int], Any] = cv2.VideoCapture,
    ) -> None:
        """`open_capture(index, api_preference)`: OpenCV's VideoCapture, or a stand-in for one."""
        self.index = index
        self._max_failed_reads = max_failed_reads
        self._failed_reads = 0
        with quiet_opencv():
            capture = open_capture(index, api_preference)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailableError(f"No camera found at index {index}. {NO_CAMERA_HINT}")
        self.format = configure(capture, request or CameraRequest())
        self._capture: Any | None = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if ok and frame is not None:
            self._failed_reads = 0
            return frame
        # A single dropped frame is normal; a run of them means the camera went away.
        self._failed_reads += 1
        if self._failed_reads >= self._max_failed_reads:
            self.close()
            raise CameraUnavailableError(
                f"The camera at index {self.index} stopped sending images. {NO_CAMERA_HINT}"
            )
        return None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def measure_fps(read: Callable[[], np.ndarray | None], clock: Clock, *, frames: int = 30) -> float | None:
    """Frames per second over `frames` frames as they arrive (dropped reads wait), None if none came."""
    started: float | None = None
    got = 0
    attempts = 0
    while got <= frames and attempts < frames * 10:
        attempts += 1
        if read() is None:
            continue
        if started is None:
            started = clock.monotonic()  # timed from the first frame: opening is not streaming
        got += 1
    if started is None or got < 2:
        return None
    elapsed = clock.monotonic() - started
    return (got - 1) / elapsed if elapsed > 0 else None


def probe_camera(
    index: int,
    clock: Clock,
    *,
    frames: int = 30,
    open_capture: Callable[[int, int], Any] = cv2.VideoCapture,
) -> tuple[CameraFormat, float | None]:
    """Open webcam `index` as the kiosk would, measure its frame rate, close it again."""
    with WebcamSource(index, open_capture=open_capture) as source:
        return source.format, measure_fps(source.read, clock, frames=frames)
