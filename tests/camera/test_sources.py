from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import ImageFolderSource, PacedSource, ScanLoop, VideoFileSource
from kiosk.camera.webcam import WebcamSource
from kiosk.clock import ManualClock
from kiosk.errors import InputError
from tests.camera.qrimages import dcc_like_text, place, qr_image, scene


def write_png(path: Path, image: np.ndarray) -> Path:
    ok, buffer = cv2.imencode(".png", image)
    assert ok
    buffer.tofile(path)
    return path


def webcam_frame(text: str | None, seed: int) -> np.ndarray:
    background = scene(np.random.default_rng(seed))
    if text is None:
        return background
    return place(background, qr_image(text, px=4), 400, 60)


@pytest.fixture()
def pass_a() -> str:
    return dcc_like_text(random.Random(1))


@pytest.fixture()
def pass_b() -> str:
    return dcc_like_text(random.Random(2))


@pytest.fixture()
def demo_folder(tmp_path: Path, pass_a: str, pass_b: str) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    # Natural order: 2 before 10, whatever the file system lists first.
    write_png(folder / "frame10_b.png", webcam_frame(pass_b, 4))
    write_png(folder / "frame1_a.png", webcam_frame(pass_a, 1))
    write_png(folder / "frame2_empty.png", webcam_frame(None, 2))
    write_png(folder / "frame3_a_again.png", webcam_frame(pass_a, 3))
    (folder / "frame4_broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    (folder / "readme.txt").write_text("not an image", encoding="utf-8")
    return folder


def test_folder_source_order_repeat_and_skipped_files(demo_folder: Path) -> None:
    with ImageFolderSource(demo_folder, repeat_each=3) as source:
        names = []
        while (frame := source.read()) is not None:
            assert frame.shape == (720, 1280, 3)
            assert source.current_file is not None
            names.append(source.current_file.name)
        assert source.read() is None
    order = ["frame1_a.png", "frame2_empty.png", "frame3_a_again.png", "frame10_b.png"]
    assert names == [name for name in order for _ in range(3)]
    assert [Path(p).name for p in source.skipped] == ["frame4_broken.png"]


def test_folder_source_loop_and_close(demo_folder: Path) -> None:
    source = ImageFolderSource(demo_folder, loop=True)
    frames = [source.read() for _ in range(9)]
    assert all(frame is not None for frame in frames)
    assert np.array_equal(frames[0], frames[4])  # fifth readable frame is the first one again
    source.close()
    assert source.read() is None


def test_folder_source_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        ImageFolderSource(tmp_path / "absent")
    assert missing.value.key == "input.folder_missing"
    with pytest.raises(InputError) as empty:
        ImageFolderSource(tmp_path)
    assert empty.value.key == "input.folder_empty"
    with pytest.raises(ValueError):
        ImageFolderSource(tmp_path, repeat_each=0)


def test_one_pass_held_in_view_is_one_scan_event(demo_folder: Path, pass_a: str, pass_b: str) -> None:
    clock = ManualClock()
    source = PacedSource(ImageFolderSource(demo_folder, repeat_each=10), fps=30, clock=clock)
    loop = ScanLoop(source, QrDecoder(), clock, hold_off_s=2.0)
    events = list(loop.events())
    # A is away for only 10 frames (1/3 s) before it comes back: still the same visit.
    assert [e.text for e in events] == [pass_a, pass_b]
    assert [e.frame_index for e in events] == [0, 30]
    assert events[1].at == pytest.approx(30 / 30)
    assert loop.frames == 40
    assert pass_a not in repr(events[0])  # raw pass text stays out of logs


def test_pass_shown_again_after_the_hold_off_is_a_new_scan(
    demo_folder: Path, pass_a: str, pass_b: str
) -> None:
    clock = ManualClock()
    source = PacedSource(ImageFolderSource(demo_folder, repeat_each=10), fps=30, clock=clock)
    loop = ScanLoop(source, QrDecoder(), clock, hold_off_s=0.2)
    assert [(e.text, e.frame_index) for e in loop.events()] == [(pass_a, 0), (pass_a, 20), (pass_b, 30)]


def test_reset_forgets_what_was_seen(demo_folder: Path, pass_a: str) -> None:
    clock = ManualClock()
    loop = ScanLoop(ImageFolderSource(demo_folder, repeat_each=5), QrDecoder(), clock, hold_off_s=60)
    assert [e.text for e in loop.step() or []] == [pass_a]
    clock.advance(0.1)
    assert loop.step() == []
    loop.reset()
    assert [e.text for e in loop.step() or []] == [pass_a]


def test_paced_source_sleeps_on_the_injected_clock(demo_folder: Path) -> None:
    clock = ManualClock()
    source = PacedSource(ImageFolderSource(demo_folder), fps=10, clock=clock)
    for _ in range(4):
        assert source.read() is not None
    assert clock.monotonic() == pytest.approx(0.3)


def test_video_file_source_and_scan_loop(tmp_path: Path, pass_a: str) -> None:
    file = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(file), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (1280, 720))
    if not writer.isOpened():
        pytest.skip("this OpenCV build cannot write MJPG/AVI")
    with_code = webcam_frame(pass_a, 7)
    without = webcam_frame(None, 8)
    for index in range(12):
        writer.write(cv2.cvtColor(with_code if 2 <= index < 10 else without, cv2.COLOR_GRAY2BGR))
    writer.release()

    clock = ManualClock()
    with VideoFileSource(file) as source:
        loop = ScanLoop(PacedSource(source, fps=15, clock=clock), QrDecoder(), clock)
        events = list(loop.events())
    assert loop.frames == 12
    assert [(e.text, e.frame_index) for e in events] == [(pass_a, 2)]


def test_video_file_loop(tmp_path: Path) -> None:
    file = tmp_path / "short.avi"
    writer = cv2.VideoWriter(str(file), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (64, 48))
    if not writer.isOpened():
        pytest.skip("this OpenCV build cannot write MJPG/AVI")
    for value in (0, 255, 0):
        writer.write(np.full((48, 64, 3), value, dtype=np.uint8))
    writer.release()
    with VideoFileSource(file, loop=True) as source:
        means = [float(source.read().mean()) for _ in range(7)]  # type: ignore[union-attr]
    assert [m > 128 for m in means] == [False, True, False, False, True, False, False]


def test_video_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        VideoFileSource(tmp_path / "absent.mp4")
    assert missing.value.key == "input.file_missing"
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video" * 10)
    with pytest.raises(InputError) as unreadable:
        VideoFileSource(junk)
    assert unreadable.value.key == "input.not_video"


def test_missing_webcam_is_a_clear_error_with_a_hint() -> None:
    with pytest.raises(CameraUnavailableError) as caught:
        WebcamSource(97)
    assert caught.value.key == "camera.unavailable"
    assert "97" in caught.value.message
    assert "plugged in" in caught.value.message
