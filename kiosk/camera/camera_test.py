"""`kiosk camera test`: the measured frame rate and the framing check, for an installer at the door."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.camera.decoder import QrDecoder, as_gray
from kiosk.camera.guide import guide_square
from kiosk.camera.hints import EvidenceWindow, Hint
from kiosk.camera.sources import FrameSource
from kiosk.camera.webcam import MIN_FPS, CameraFormat
from kiosk.clock import Clock

# Below this a DCC (65-113 modules) has under ~2.5 px per module: it reads, but not reliably.
GOOD_SIDE_PX = 250.0


@dataclass(frozen=True, slots=True)
class CameraTestReport:
    frames: int
    measured_fps: float | None
    frame_size: tuple[int, int] | None  # (width, height) of the frames seen
    guide_side_px: int | None
    reads: int  # frames in which a QR code was read
    code_side_px: float | None  # the largest code read, in frame pixels
    hint: Hint | None  # what the visitor would be told about the last unread stretch
    format: CameraFormat | None = None  # a webcam's negotiated format (None for files)


def run_camera_test(
    source: FrameSource, clock: Clock, *, seconds: float, fmt: CameraFormat | None = None
) -> CameraTestReport:
    """Reads and decodes frames for `seconds`, as the kiosk's scan loop does."""
    decoder = QrDecoder()
    window = EvidenceWindow()
    frames = reads = 0
    size: tuple[int, int] | None = None
    largest: float | None = None
    started = clock.monotonic()
    first: float | None = None
    last = started
    while clock.monotonic() - started < seconds:
        frame = source.read()
        if frame is None:
            clock.sleep(0.01)
            continue
        now = clock.monotonic()
        first = now if first is None else first
        last = now
        frames += 1
        gray = as_gray(frame)
        size = (gray.shape[1], gray.shape[0])
        result = decoder.scan_frame(gray)
        window.add(now, result.evidence)
        if result.texts:
            reads += 1
            if result.code_side_px is not None:
                largest = max(largest or 0.0, result.code_side_px)
    fps = (frames - 1) / (last - first) if first is not None and frames > 1 and last > first else None
    guide = guide_square(size[1], size[0])[2] if size else None
    return CameraTestReport(frames, fps, size, guide, reads, largest, window.hint(), fmt)


def format_report(report: CameraTestReport) -> tuple[list[str], bool]:
    """The lines to print, and whether everything is fine (False: something to fix)."""
    lines: list[str] = []
    fine = True
    if report.format is not None:
        lines.append(f"camera: {report.format.describe()}")
        lines.extend(f"  {note}" for note in report.format.notes)
    if report.frames == 0 or report.frame_size is None:
        return [*lines, "no frames arrived: check the camera"], False
    fps = f"{report.measured_fps:.1f}" if report.measured_fps is not None else "?"
    width, height = report.frame_size
    lines.append(f"frames: {report.frames} of {width}x{height}, measured {fps} fps")
    if report.measured_fps is not None and report.measured_fps < MIN_FPS:
        lines.append(f"  too slow: below {MIN_FPS:.0f} fps phone screens blur (use MJPG at 30 fps, light)")
        fine = False
    guide = f"the guide is {report.guide_side_px} px"
    if report.reads == 0 or report.code_side_px is None:
        lines.append(f"framing: no QR code read; hold a pass in the guide during the test ({guide})")
        if report.hint is not None:
            lines.append(f"  the visitor would be told: {report.hint.value}")
        return lines, False
    side = report.code_side_px
    lines.append(f"framing: a QR code read in {report.reads} frames, {side:.0f} px wide ({guide})")
    if side < GOOD_SIDE_PX:
        lines.append("  small: a pass held in the guide should fill most of it; bring the camera closer")
        fine = False
    return lines, fine
