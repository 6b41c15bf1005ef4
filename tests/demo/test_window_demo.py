"""`kiosk demo` with and without a display: the window plays the story, headless writes every screenshot.

The demo commands run as the user runs them, in a subprocess (so the display
environment is theirs, and the demo's Qt application and fonts stay out of this
process); the data folder is a temporary one. The virtual camera's pictures are
checked with the kiosk's own decoder.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.camera.decoder import QrDecoder, as_gray
from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.hints import Hint
from kiosk.clock import SystemClock
from kiosk.demo.pictures import FRAME_H, FRAME_W, Medium, pass_frame, qr_picture
from kiosk.demo.screenshots import SHOTS, shot_names
from kiosk.demo.session import DEMO_PIN
from kiosk.demo.stage import Stage
from kiosk.demo.story import LUNCH_ONLINE, OUTAGE, RECOVERY
from kiosk.owner.account import OwnerAccount
from kiosk.store.health_log import health_events
from kiosk.store.opening import open_database
from kiosk.store.outbox import pending_count
from kiosk.store.visits import list_visits
from tests.camera.qrimages import dcc_like_text

SCANS = len(LUNCH_ONLINE) + len(OUTAGE) + len(RECOVERY)


def _env(tmp_path: Path, *, display: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no user config: the shipped defaults
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"  # a window without a display server
    return env


def _demo(tmp_path: Path, *args: str, display: bool) -> subprocess.CompletedProcess[str]:
    data = tmp_path / "data"
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--data", str(data), *args],
        env=_env(tmp_path, display=display),
        capture_output=True,
        text=True,
        timeout=240,
    )


def _decode(frame: np.ndarray) -> list[str]:
    return QrDecoder().decode(as_gray(frame))


# --- the virtual camera (fast) ---------------------------------------------------------------


@pytest.mark.parametrize("medium", list(Medium))
def test_a_pass_picture_is_a_720p_frame_the_kiosk_decoder_reads(medium: Medium) -> None:
    text = dcc_like_text(random.Random(7))
    frame = pass_frame(text, medium, label="EU DCC")
    assert frame.shape == (FRAME_H, FRAME_W, 3)
    assert _decode(frame) == [text]
    # As big as the framing guide asks for a dense pass (>= 300 px of a 720p frame).
    assert 300 <= qr_picture(text).shape[0] <= 420


def test_the_stage_plays_what_the_story_shows_and_can_be_unplugged() -> None:
    stage = Stage(fps=200)
    source = stage.open()
    assert _decode(source.read()) == []  # the empty entrance
    stage.show(pass_frame("KP1:demo-token", Medium.PHONE))
    assert _decode(source.read()) == ["KP1:demo-token"]
    stage.unplug()
    with pytest.raises(CameraUnavailableError):
        source.read()  # unplugged mid-session
    with pytest.raises(CameraUnavailableError):
        stage.open()  # and absent at the next try
    stage.plug()
    stage.clear()
    assert _decode(stage.open().read()) == []


# --- the commands (slow: a whole lunch hour each) ----------------------------------------------


def _png(path: Path) -> np.ndarray:
    assert path.is_file() and path.stat().st_size > 0, f"missing {path.name}"
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    assert image is not None, f"{path.name} is not an image"
    return image


@pytest.mark.slow
@pytest.mark.window
def test_headless_demo_prints_the_story_writes_every_screenshot_and_keeps_the_visits(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    done = _demo(tmp_path, "--headless", "--screenshots", str(shots), "--pace", "0", display=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "12:10  upstream outage" in out and "Figures" in out and "lost 0, duplicates 0" in out
    assert f"owner PIN for this demo: {DEMO_PIN}" in out
    assert "Traceback" not in done.stderr
    # Qt's own notes (e.g. the audio backends Qt Multimedia looks for as it loads) go to the log.
    assert not [line for line in (out + done.stderr).splitlines() if line.startswith("qt.")]

    images = {name: _png(shots / name) for name in shot_names()}
    assert len(images) == 2 * len(SHOTS) >= 26
    for name, image in images.items():
        assert image.shape == (800, 1280), f"{name} is not the window's size"
    for lang in ("ko", "en"):
        stems = ("02-admit-online", "03-deny", "04-check")
        admit, deny, check = (images[f"{lang}-{stem}.png"] for stem in stems)
        # Different screens, not one picture three times (and they differ in grey, not just hue).
        assert np.abs(admit.astype(int) - deny.astype(int)).mean() > 10
        assert np.abs(deny.astype(int) - check.astype(int)).mean() > 10
        assert np.abs(admit.astype(int) - check.astype(int)).mean() > 10
        idle, no_camera = images[f"{lang}-01-idle.png"], images[f"{lang}-08-no-camera.png"]
        assert np.abs(idle.astype(int) - no_camera.astype(int)).mean() > 5
        # Each hint is a dark band of its own words over the top of the preview (at 1280x800):
        # the camera picture there on the idle screen, other words on the other hints.
        band = (slice(30, 120), slice(100, 860))
        hints = [images[f"{lang}-{stem}.png"][band].astype(int) for stem in SHOTS if "-hint-" in stem]
        assert len(hints) == len(Hint)
        for i, hint in enumerate(hints):
            assert hint.mean() < idle[band].mean() - 40
            for other in hints[i + 1 :]:
                assert np.abs(hint - other).max() > 100

    # The story's visits stay in the data folder for the owner commands, all uploaded by now;
    # the screenshot session's own visits do not.
    with open_database(tmp_path / "data" / "kiosk.db") as db:
        visits = list_visits(db)
        assert len(visits) == SCANS
        assert pending_count(db) == 0
        assert "degraded" in [e.state for e in health_events(db)]
        assert OwnerAccount(db, SystemClock()).check_pin(DEMO_PIN).ok


@pytest.mark.slow
@pytest.mark.window
def test_headless_screenshots_are_written_at_the_size_asked_for(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    args = ("--headless", "--screenshots", str(shots), "--pace", "0", "--size", "1080x1920")
    done = _demo(tmp_path, *args, display=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in shot_names():
        assert _png(shots / name).shape == (1920, 1080), f"{name} is not 1080x1920"


@pytest.mark.parametrize("size", ["800", "800x", "x600", "800x600x2", "10x10", "wide"])
def test_a_size_that_is_not_widthxheight_is_a_usage_error(tmp_path: Path, size: str) -> None:
    done = _demo(tmp_path, "--headless", "--size", size, display=False)
    assert done.returncode == 2
    assert "--size" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.window
def test_windowed_demo_plays_the_whole_story_offscreen(tmp_path: Path) -> None:
    shots = tmp_path / "window-shots"
    done = _demo(tmp_path, "--pace", "0.05", "--screenshots", str(shots), display=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert "Venue Pass Kiosk demo (window)" in out
    assert "stopped early" not in out
    assert "staff checked the token" in out
    assert "1 visit admitted offline in this run was later reported revoked" in out
    assert f"visits logged / upstream     {SCANS} / {SCANS}; lost 0" in out
    names = sorted(p.name for p in shots.glob("*.png"))
    stems = (
        "idle",
        "admit-online",
        "deny",
        "check",
        "manual-log",
        "degraded",
        "admit-offline",
        "no-camera",
        "pin",
    )
    for stem in stems:
        assert any(n.endswith(f"-{stem}.png") for n in names), f"no {stem} scene photographed: {names}"
    with open_database(tmp_path / "data" / "kiosk.db") as db:
        visits = list_visits(db)
        assert len(visits) == SCANS
        staff = [v for v in visits if str(v.verified_by) == "staff"]
        assert len(staff) == 3 and all(str(v.decision) == "admit" for v in staff)
        assert {str(v.verified_by) for v in visits} >= {"online", "offline", "staff"}
        assert pending_count(db) == 0
