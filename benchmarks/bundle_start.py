"""Cold start of an installed program to its first preview frame: the bundle, or the venv's `kiosk`.

`benchmarks/ui.py` times the window inside a Python process it controls; a bundle is a
program of its own, so this runs it as a venue does: `PROGRAM run --camera VIDEO --data DIR`
on a data folder whose owner PIN is set (the window opens on the entrance screen), with a
video file as the camera, and reads the time stamp of the window's "first preview frame
painted" log line. The figure is that stamp less the moment the process was started; each
run gets a fresh copy of the data folder and a fresh home folder.

Run: .venv/bin/python benchmarks/bundle_start.py [--program dist/venue-pass-kiosk/venue-pass-kiosk]
(`--program .venv/bin/kiosk` measures the venv the same way). Qt draws offscreen.
Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ui import _owner_ready

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "dist" / "venue-pass-kiosk" / "venue-pass-kiosk"
FIRST_FRAME = "first preview frame painted"


def _camera_video(path: Path) -> None:
    """Three seconds of a grey 1280x720 MJPG video, like a webcam at the door."""
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (1280, 720))
    for _ in range(90):
        writer.write(np.full((720, 1280, 3), 128, np.uint8))
    writer.release()


def _installed_data(folder: Path) -> None:
    from kiosk.config import parse_config
    from kiosk.context import Context
    from kiosk.paths import database_path

    _owner_ready(Context(parse_config(""), folder, database_path(folder)))


def _first_frame_at(log: Path, deadline: float) -> float | None:
    """The wall-clock time of the first-frame log line, once it is there; None past the deadline."""
    while time.time() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        for line in lines:
            if line.endswith(FIRST_FRAME):
                stamp = " ".join(line.split(" ", 2)[:2])  # "2026-12-06 16:30:01,234"
                return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        time.sleep(0.02)
    return None


def cold_start(program: Path, video: Path, template: Path, work: Path) -> float:
    data = work / "data"
    shutil.copytree(template, data)
    home = work / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"), "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    child = subprocess.Popen(
        [str(program), "run", "--camera", str(video), "--data", str(data)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        shown = _first_frame_at(data / "logs" / "kiosk.log", started + 60)
    finally:
        child.send_signal(signal.SIGTERM)
        _, errors = child.communicate(timeout=30)
    if shown is None:
        raise SystemExit(f"{program}: no preview frame within 60 s\n{errors[-2000:]}")
    return shown - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", type=Path, default=BUNDLE)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = folder / "camera.avi"
        _camera_video(video)
        template = folder / "installed"
        _installed_data(template)
        starts = [cold_start(args.program, video, template, folder / f"run{i}") for i in range(args.runs)]
    print(f"{args.program}: cold start to first preview frame: {min(starts):.2f} s best, "
          f"{max(starts):.2f} s worst of {len(starts)} ({os.cpu_count()} CPUs, Qt offscreen)")


if __name__ == "__main__":
    main()
