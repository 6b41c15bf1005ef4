"""Frame sources (video file, image folder; the webcam: webcam.py) behind one protocol, and the scan loop.

Sources deliver frames as the camera would (8-bit BGR, or whatever the file holds);
`read()` returns None when no frame is available: the end of a file or folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import cv2
import numpy as np

from kiosk.camera.cvlog import quiet_opencv
from kiosk.camera.decoder import QrDecoder, as_gray
from kiosk.camera.hints import EvidenceWindow
from kiosk.camera.images import read_bgr
from kiosk.clock import Clock
from kiosk.decision import PassKind
from kiosk.errors import InputError
from kiosk.passes.classify import classify

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".gif"})


class FrameSource(Protocol):
    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class ClosingSource:
    def close(self) -> None:  # pragma: no cover - every source overrides it
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class VideoFileSource(ClosingSource):
    def __init__(self, path: str | os.PathLike[str], *, loop: bool = False) -> None:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"Video file not found: {path}", key="input.file_missing")
        with quiet_opencv():
            capture = cv2.VideoCapture(str(file))
        if not capture.isOpened():
            capture.release()
            raise InputError(f"Not a readable video: {path}", key="input.not_video")
        self.path = str(path)
        self.loop = loop
        self._capture: cv2.VideoCapture | None = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def _natural_key(path: Path) -> list[int | str]:
    # "pass2" before "pass10", as a person numbering demo images expects.
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


class ImageFolderSource(ClosingSource):
    """A virtual camera: each image of a folder (natural name order), `repeat_each` frames in a row.

    Unreadable images are skipped (listed in `skipped`) so one bad file does not stop a demo.
    """

    def __init__(self, folder: str | os.PathLike[str], *, repeat_each: int = 1, loop: bool = False) -> None:
        if repeat_each < 1:
            raise ValueError("repeat_each must be at least 1")
        directory = Path(folder)
        if not directory.is_dir():
            raise InputError(f"Image folder not found: {folder}", key="input.folder_missing")
        self.files: tuple[Path, ...] = tuple(
            sorted(
                (p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
                key=_natural_key,
            )
        )
        if not self.files:
            raise InputError(f"No images in folder: {folder}", key="input.folder_empty")
        self.repeat_each = repeat_each
        self.loop = loop
        self.skipped: list[str] = []
        self.current_file: Path | None = None
        self._next = 0
        self._frame: np.ndarray | None = None
        self._left = 0
        self._closed = False

    def read(self) -> np.ndarray | None:
        if self._closed:
            return None
        if self._left == 0 and not self._advance():
            return None
        self._left -= 1
        assert self._frame is not None
        # A copy: consumers (overlays, previews) may draw on the frame.
        return self._frame.copy()

    def _advance(self) -> bool:
        attempts = 0
        while attempts < len(self.files):
            if self._next >= len(self.files):
                if not self.loop:
                    return False
                self._next = 0
            file = self.files[self._next]
            self._next += 1
            attempts += 1
            try:
                self._frame = read_bgr(file)
            except InputError:
                if str(file) not in self.skipped:
                    self.skipped.append(str(file))
                continue
            self.current_file = file
            self._left = self.repeat_each
            return True
        return False

    def close(self) -> None:
        self._closed = True
        self._frame = None


class FramePacer:
    """Waits so that reads come no faster than one per `interval_s`, as a real camera delivers them."""

    def __init__(self, interval_s: float, clock: Clock) -> None:
        self._interval = interval_s
        self._clock = clock
        self._due: float | None = None

    def wait(self) -> None:
        now = self._clock.monotonic()
        if self._due is not None and now < self._due:
            self._clock.sleep(self._due - now)
            now = self._due
        self._due = now + self._interval


class PacedSource(ClosingSource):
    """Delivers another source's frames no faster than `fps`, as a real camera would."""

    def __init__(self, source: FrameSource, *, fps: float, clock: Clock) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        self._source = source
        self._pacer = FramePacer(1.0 / fps, clock)

    def read(self) -> np.ndarray | None:
        self._pacer.wait()
        return self._source.read()

    def close(self) -> None:
        self._source.close()


@dataclass(frozen=True, slots=True)
class ScanEvent:
    # Kept out of repr: the raw pass text must not end up in logs.
    text: str = field(repr=False)
    at: float  # clock.monotonic() of the frame that produced it
    frame_index: int


class ScanLoop:
    """Pulls frames, decodes them, and turns a pass held in view into one event.

    A text is reported again only after it has been out of sight (not decoded) for
    `hold_off_s`: a pass held for ten seconds is one scan, the same pass shown again
    after stepping away is a new one. Other texts are reported at once.

    A text that is not a pass (a poster, a menu) is reported once and from then on is part
    of the scene: not reported again when a visitor uncovers it, and not in the decoder's
    way (it retries and gathers hint evidence as if the poster were not there).
    `window` holds the evidence of the frames that read nothing, for the visitor's hint.
    """

    def __init__(
        self,
        source: FrameSource,
        decoder: QrDecoder,
        clock: Clock,
        *,
        hold_off_s: float = 2.0,
        max_scene_texts: int = 32,
    ) -> None:
        if hold_off_s < 0:
            raise ValueError("hold_off_s must not be negative")
        self.source = source
        self.decoder = decoder
        self.clock = clock
        self.hold_off_s = hold_off_s
        self.frames = 0
        self.window = EvidenceWindow()
        self._last_seen: dict[str, float] = {}
        # Insertion-ordered, so the oldest scene text is forgotten first past the limit.
        self._scene: dict[str, None] = {}
        self._max_scene_texts = max_scene_texts

    def step(self) -> list[ScanEvent] | None:
        """Process one frame: its new scan events, or None when the source has no more frames."""
        frame = self.source.read()
        if frame is None:
            return None
        index = self.frames
        self.frames += 1
        result = self.decoder.scan_frame(as_gray(frame), ignore=self._scene.keys())
        now = self.clock.monotonic()
        self.window.add(now, result.evidence)
        self._forget_older_than(now - self.hold_off_s)
        events: list[ScanEvent] = []
        for text in result.texts:
            if classify(text) is PassKind.UNKNOWN:
                self._remember_scene(text)
                events.append(ScanEvent(text=text, at=now, frame_index=index))
                continue
            if text not in self._last_seen:
                events.append(ScanEvent(text=text, at=now, frame_index=index))
            self._last_seen[text] = now
        return events

    def events(self) -> Iterator[ScanEvent]:
        """Every scan event until the source ends (finite sources: files, folders)."""
        while (batch := self.step()) is not None:
            yield from batch

    def reset(self) -> None:
        """Forget what was seen: the next sighting of any pass is a new scan (e.g. after staff override)."""
        self._last_seen.clear()

    def _remember_scene(self, text: str) -> None:
        self._scene[text] = None
        while len(self._scene) > self._max_scene_texts:
            del self._scene[next(iter(self._scene))]

    def _forget_older_than(self, cutoff: float) -> None:
        stale = [text for text, seen in self._last_seen.items() if seen < cutoff]
        for text in stale:
            del self._last_seen[text]
