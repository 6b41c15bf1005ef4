"""The demo's virtual webcam: whatever picture the story puts up, delivered as a camera would.

`Stage` is what the story controls (show a pass picture, the empty scene, unplug the
camera); `Stage.open` is the window's camera factory. Each opened source returns the
current picture at the camera's frame rate, so the window's capture and decode
threads, newest-frame slot and scan loop run exactly as with a real webcam.
"""

from __future__ import annotations

import threading

import numpy as np

from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import ClosingSource, FramePacer
from kiosk.clock import Clock, SystemClock
from kiosk.demo.pictures import scene

UNPLUGGED = "The demo camera is unplugged. Check that the camera is plugged in."


class Stage:
    """The picture in front of the virtual camera (thread-safe: the story and the capture thread share it)."""

    def __init__(self, *, fps: float = 30.0, clock: Clock | None = None) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        self._lock = threading.Lock()
        self._empty = scene()
        self._frame = self._empty
        self._plugged = True
        self._interval = 1.0 / fps
        self._clock = clock or SystemClock()

    def show(self, frame: np.ndarray) -> None:
        with self._lock:
            self._frame = frame

    def clear(self) -> None:
        """The visitor stepped away: only the entrance is in view."""
        self.show(self._empty)

    def unplug(self) -> None:
        with self._lock:
            self._plugged = False

    def plug(self) -> None:
        with self._lock:
            self._plugged = True

    def current(self) -> np.ndarray | None:
        with self._lock:
            return self._frame if self._plugged else None

    def open(self) -> StageSource:
        """The camera factory for `KioskApp(camera=...)`: fails like a missing webcam while unplugged."""
        with self._lock:
            if not self._plugged:
                raise CameraUnavailableError(UNPLUGGED)
        return StageSource(self, self._interval, self._clock)


class StageSource(ClosingSource):
    """A FrameSource over a Stage: the current picture, paced, a copy each time (the reader may keep it)."""

    def __init__(self, stage: Stage, interval_s: float, clock: Clock) -> None:
        self._stage = stage
        self._pacer = FramePacer(interval_s, clock)

    def read(self) -> np.ndarray | None:
        self._pacer.wait()
        frame = self._stage.current()
        if frame is None:
            raise CameraUnavailableError(UNPLUGGED)  # unplugged mid-session
        return frame.copy()

    def close(self) -> None:
        pass  # the stage outlives its sources: nothing to release
