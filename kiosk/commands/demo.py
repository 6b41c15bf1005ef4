"""`kiosk demo`: the lunch-hour story in the window, or without a display in the terminal plus screenshots."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import load_config
from kiosk.logsetup import configure_file_logging
from kiosk.paths import data_dir

WINDOW_PACE_S = 3.0  # seconds per scene: time for a person to read each screen
TERMINAL_PACE_S = 0.15
SCREENSHOT_FOLDER = "demo-screenshots"
MIN_SIDE, MAX_SIDE = 320, 7680  # a phone lying down to an 8K screen


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "demo",
        help="play a lunch hour (online, outage, recovery) against the simulator, in the window if possible",
    )
    common(p)
    p.add_argument(
        "--pace",
        type=float,
        metavar="SECONDS",
        help=f"pause per scene (window: {WINDOW_PACE_S}, terminal: {TERMINAL_PACE_S})",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="no window: print the story and write screenshots (the default without a display)",
    )
    p.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help=f"where the PNGs go (headless default: <data folder>/{SCREENSHOT_FOLDER}); "
        "with a window, photographs of its scenes",
    )
    p.add_argument(
        "--language", choices=("ko", "en"), help="the window's language (default: [kiosk] language)"
    )
    p.add_argument(
        "--size",
        type=window_size,
        metavar="WxH",
        help="the window's width and height in pixels, e.g. 800x600 or 1080x1920 "
        "(headless screenshots: 1280x800; window: the screen's)",
    )
    p.set_defaults(handler=run)


def window_size(text: str) -> tuple[int, int]:
    """`WxH` as (width, height); argparse turns the error into a usage message (exit 2)."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write it as WIDTHxHEIGHT, e.g. 800x600")
    size = int(width), int(height)
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in size):
        raise argparse.ArgumentTypeError(f"each side must be between {MIN_SIDE} and {MAX_SIDE} pixels")
    return size


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.run import display_problem

    config = load_config(args.config)
    folder = data_dir(args.data, config.kiosk.data_dir)
    configure_file_logging(folder)  # the demo's window logs like the kiosk's
    logging.getLogger(__name__).info("demo started (%s)", "headless" if args.headless else "window")
    from kiosk.ui.desktop.qtlog import install_qt_message_handler

    # Before the window's modules load Qt Multimedia (the sounds), which reports its audio
    # backends as it loads: to the log, as in `kiosk run`, not into the demo's output.
    install_qt_message_handler()
    language = args.language or config.kiosk.language
    if args.headless or display_problem() is not None:
        return _headless(folder, args, language)
    return _window(folder, args, language)


def _window(folder: Path, args: argparse.Namespace, language: str) -> int:
    from kiosk.demo.session import start_qt
    from kiosk.demo.window_story import WindowStory
    from kiosk.ui.desktop.instance import acquire_instance_lock

    pace = WINDOW_PACE_S if args.pace is None else max(0.0, args.pace)
    qt = start_qt()
    # The demo writes to the data folder like the kiosk does: never beside a running kiosk window.
    lock = acquire_instance_lock(folder)
    try:
        story = WindowStory(
            folder, sys.stdout, pace_s=pace, language=language, screenshots=args.screenshots, size=args.size
        )
        figures = story.run(qt)
    finally:
        lock.unlock()
    return 0 if figures.error is None and figures.lost == 0 else 1


def _headless(folder: Path, args: argparse.Namespace, language: str) -> int:
    from kiosk.demo.story import LunchHourDemo

    pace = TERMINAL_PACE_S if args.pace is None else max(0.0, args.pace)
    figures = LunchHourDemo(folder, sys.stdout, pace_s=pace).run()
    _provision_owner(folder)
    shots = args.screenshots or folder / SCREENSHOT_FOLDER
    written = _screenshots(shots, args.size)
    print(f"\nscreenshots: {len(written)} PNGs of the window (Korean and English) in {shots}", flush=True)
    return 0 if figures.lost == 0 and figures.duplicates == 0 else 1


def _provision_owner(folder: Path) -> None:
    from kiosk.clock import SystemClock
    from kiosk.demo.session import DEMO_PIN, provision_owner
    from kiosk.paths import database_path
    from kiosk.store.opening import open_database

    with open_database(database_path(folder)) as db:
        if provision_owner(db, SystemClock()):
            print(f"owner PIN for this demo: {DEMO_PIN} (set up now for this data folder)", flush=True)


def _screenshots(folder: Path, size: tuple[int, int] | None) -> list[Path]:
    # Qt draws without a display on its offscreen platform; it must be chosen before Qt starts.
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kiosk.demo.screenshots import DEFAULT_SIZE, ScreenshotSession
    from kiosk.demo.session import start_qt

    return ScreenshotSession(folder, size=size or DEFAULT_SIZE).run(start_qt())
