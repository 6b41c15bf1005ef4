"""The window's figures: cold start, QR shown -> verdict painted, GUI stalls, decode rate.

Everything real except the camera: the composition root `KioskApp` with its worker
threads, the real engine/store/uploader against the in-process simulator on
127.0.0.1, widgets offscreen, and QR frames (1280x720, simulator-issued DCCs) fed
by a camera source the benchmark switches like a visitor holding up a phone.

- cold start: a fresh `python` process, from its start to the first preview frame painted;
- QR shown -> verdict painted, p50/p99: from the moment the camera source starts
  returning the pass frame to the verdict's first paint (decode, verify, commit,
  render), with upstream healthy and with upstream hanging (every request);
- longest GUI-thread stall during the hang: the largest gap of a 5 ms QTimer;
- sustained decoded frames per second from a 30 fps 1280x720 video with the window
  open, and the process's CPU use meanwhile.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui.py [--scans 30] [--fps-seconds 5]
Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class SwitchSource:
    """A camera showing whatever frame the benchmark puts in front of it, at 30 fps."""

    def __init__(self, frame) -> None:  # type: ignore[no-untyped-def]
        self.frame = frame
        self.shown_at = 0.0
        self._lock = threading.Lock()

    def show(self, frame) -> None:  # type: ignore[no-untyped-def]
        with self._lock:
            self.frame = frame
            self.shown_at = time.perf_counter()

    def read(self):  # type: ignore[no-untyped-def]
        time.sleep(1 / 30)
        with self._lock:
            return self.frame

    def close(self) -> None:
        pass


def _owner_ready(ctx) -> None:  # type: ignore[no-untyped-def]
    """An installed kiosk: the owner PIN is set, so the window opens on the entrance screen."""
    from kiosk.clock import SystemClock
    from kiosk.owner.account import OwnerAccount

    OwnerAccount(ctx.db(), SystemClock()).set_up("480317")


def cold_start_child(started: float) -> None:
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from kiosk.config import parse_config
    from kiosk.context import Context
    from kiosk.demo.camera import FRAME_H, FRAME_W
    from kiosk.paths import database_path
    from kiosk.ui.app import KioskApp

    app = QApplication([])
    folder = Path(tempfile.mkdtemp())
    ctx = Context(parse_config(""), folder, database_path(folder))
    _owner_ready(ctx)
    source = SwitchSource(np.full((FRAME_H, FRAME_W), 128, np.uint8))
    kiosk = KioskApp(ctx, camera=lambda: source)
    canvas = kiosk.window.preview.canvas
    done: list[float] = []
    original = canvas.paintEvent

    def paint(event) -> None:  # type: ignore[no-untyped-def]
        original(event)
        if canvas.frames_shown and not done:
            done.append(time.time())
            app.quit()

    canvas.paintEvent = paint  # type: ignore[method-assign]
    kiosk.start()
    app.exec()
    kiosk.shutdown()
    print(f"{done[0] - started:.3f}")


def verdict_latencies(scans: int, hang: bool) -> tuple[list[float], float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.config import parse_config
    from kiosk.context import Context
    from kiosk.demo.camera import VirtualCamera
    from kiosk.paths import database_path
    from kiosk.simulator.faults import Faults
    from kiosk.simulator.server import Simulator
    from kiosk.store.trust_store import TrustStore
    from kiosk.ui.app import KioskApp

    app = QApplication.instance() or QApplication([])
    camera = VirtualCamera()
    with Simulator() as sim, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = parse_config(f'[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n')
        ctx = Context(config, folder, database_path(folder))
        _owner_ready(ctx)
        texts = [
            sim.state.issue_dcc(
                {"type": "v", "family_name": "Kim", "given_name": f"N{i}", "days_ago": 30 + i}
            ).text
            for i in range(scans + 1)
        ]
        frames = [camera.frame_for(t) for t in texts]
        blank = frames[0] * 0 + 128
        source = SwitchSource(blank)
        kiosk = KioskApp(ctx, camera=lambda: source, status_interval_ms=1000)
        painted: list[float] = []
        kiosk.window.verdict.painted.connect(lambda _id: painted.append(time.perf_counter()))
        beats: list[float] = []
        heart = QTimer()
        heart.setInterval(5)
        heart.timeout.connect(lambda: beats.append(time.perf_counter()))
        kiosk.start()
        trust = TrustStore(kiosk.db)
        deadline = time.perf_counter() + 10
        while trust.last_updated() is None and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.01)
        if hang:
            sim.set_faults(Faults(hang=True, max_hang_s=30.0))
        heart.start()
        latencies: list[float] = []
        for frame in frames[1:]:
            before = len(painted)
            source.show(frame)
            shown = source.shown_at
            deadline = time.perf_counter() + 5
            while len(painted) == before and time.perf_counter() < deadline:
                app.processEvents()
                time.sleep(0.001)
            if len(painted) > before:
                latencies.append(painted[-1] - shown)
            source.show(blank)
            end = time.perf_counter() + 0.15
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.001)
        heart.stop()
        kiosk.shutdown()
        stall = max((b - a for a, b in itertools.pairwise(beats)), default=0.0)
        sim.set_faults(Faults())
    return latencies, stall


def decode_rate(seconds: float) -> tuple[float, float, int]:
    import cv2
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from kiosk.camera.sources import PacedSource, VideoFileSource
    from kiosk.clock import SystemClock
    from kiosk.config import parse_config
    from kiosk.context import Context
    from kiosk.demo.camera import VirtualCamera
    from kiosk.paths import database_path
    from kiosk.ui.app import KioskApp

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = folder / "camera.avi"
        writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (1280, 720))
        rng = np.random.default_rng(1)
        qr = VirtualCamera().frame_for("https://menu.example/today")
        for i in range(90):
            noisy = np.clip(qr.astype(np.int16) + rng.integers(-8, 8, qr.shape), 0, 255).astype(np.uint8)
            writer.write(cv2.cvtColor(noisy if i % 2 else qr, cv2.COLOR_GRAY2BGR))
        writer.release()
        ctx = Context(parse_config(""), folder, database_path(folder))
        _owner_ready(ctx)
        clock = SystemClock()
        kiosk = KioskApp(
            ctx, camera=lambda: PacedSource(VideoFileSource(video, loop=True), fps=30, clock=clock)
        )
        kiosk.start()
        end = time.perf_counter() + 1.0  # warm-up
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.005)
        frames0, cpu0, wall0 = kiosk.camera.frames_decoded, time.process_time(), time.perf_counter()
        end = wall0 + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.005)
        frames = kiosk.camera.frames_decoded - frames0
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
        dropped = kiosk.camera.slot.dropped
        kiosk.shutdown()
    return frames / wall, 100 * cpu / wall, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=30)
    parser.add_argument("--fps-seconds", type=float, default=5.0)
    parser.add_argument("--cold-start-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_start_child is not None:
        cold_start_child(args.cold_start_child)
        return

    import logging

    logging.disable(logging.WARNING)
    print(f"window benchmark ({os.cpu_count()} CPUs, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']})")
    starts = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-start-child", repr(time.time())],
            capture_output=True,
            text=True,
            check=True,
        )
        starts.append(float(out.stdout.strip().splitlines()[-1]))
    print(f"cold start to first preview frame: {min(starts):.2f} s best, {max(starts):.2f} s worst of 3")
    for hang in (False, True):
        latencies, stall = verdict_latencies(args.scans if not hang else max(5, args.scans // 2), hang)
        label = "hanging" if hang else "healthy"
        ms = [x * 1000 for x in latencies]
        print(
            f"QR shown -> verdict painted, upstream {label}: p50 {_percentile(ms, 0.5):.0f} ms, "
            f"p99 {_percentile(ms, 0.99):.0f} ms, max {max(ms):.0f} ms ({len(ms)} scans); "
            f"longest GUI-thread stall {stall * 1000:.0f} ms"
        )
    fps, cpu, dropped = decode_rate(args.fps_seconds)
    print(
        f"decoded frames/s from a 30 fps 1280x720 video, window open: {fps:.1f} "
        f"(CPU {cpu:.0f}% of one core, {dropped} frames dropped while the decoder was busy)"
    )


if __name__ == "__main__":
    main()
