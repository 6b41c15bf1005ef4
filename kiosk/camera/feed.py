"""Camera plumbing without Qt: the newest-frame slot, the capture thread, and camera specs.

Electrum's QR reader pattern: the camera is read continuously on its own thread
into a one-frame slot; the decoder takes whatever is newest when it is free, so
frames that arrive while it is busy are dropped (never queued: a queue would show
the visitor a verdict for a frame seconds old).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from kiosk.camera.devices import NO_CAMERA
from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import FrameSource, ImageFolderSource, PacedSource, VideoFileSource
from kiosk.camera.webcam import WebcamSource
from kiosk.clock import Clock

log = logging.getLogger(__name__)

SourceFactory = Callable[[], FrameSource]


class LatestFrame:
    """A one-frame mailbox: `put` replaces what is there (counting it as dropped), `take` waits."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self.dropped = 0
        self.delivered = 0

    def put(self, frame: np.ndarray) -> None:
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._cond.notify()

    def take(self, timeout_s: float) -> np.ndarray | None:
        with self._cond:
            if self._frame is None:
                self._cond.wait(timeout_s)
            frame, self._frame = self._frame, None
            if frame is not None:
                self.delivered += 1
            return frame

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


class Capture:
    """Reads `source` on a daemon thread into `slot` until stopped or the source fails."""

    def __init__(self, source: FrameSource, slot: LatestFrame, clock: Clock, *, idle_s: float = 0.01) -> None:
        self._source = source
        self._slot = slot
        self._clock = clock
        self._idle_s = idle_s
        self._stop = threading.Event()
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="camera-capture", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                frame = self._source.read()
            except Exception as exc:  # a camera unplugged mid-session, a driver error
                self.error = exc
                self._slot.wake()
                return
            if frame is None:
                # A dropped webcam frame, or a finite source at its end: wait, do not spin.
                self._stop.wait(self._idle_s)
                continue
            self._slot.put(frame)

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        self._slot.wake()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)


def camera_factory(
    spec: str, clock: Clock, *, fps: float = 30.0, seconds_per_image: float = 2.0
) -> SourceFactory:
    """The frame source a `[ui] camera` value names: "" or a number = a webcam; else a video or image folder.

    Files and folders are paced at `fps` like a real camera and loop, so an installer's
    test video or a demo folder behaves like a camera that is always on.
    """

    def open_source() -> FrameSource:
        if spec == NO_CAMERA:
            raise CameraUnavailableError('No camera is set up ([ui] camera = "none"): a scanner only.')
        if spec == "" or spec.isdigit():
            return WebcamSource(int(spec or 0))
        path = Path(spec).expanduser()
        if path.is_dir():
            repeat = max(1, round(fps * seconds_per_image))
            return PacedSource(ImageFolderSource(path, repeat_each=repeat, loop=True), fps=fps, clock=clock)
        return PacedSource(VideoFileSource(path, loop=True), fps=fps, clock=clock)

    return open_source
