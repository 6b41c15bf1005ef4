"""`kiosk run`: the entrance window."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTimer


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("run", help="open the kiosk window (camera, verdicts, status)")
    common(p)
    p.add_argument(
        "--fullscreen", action="store_true", help="kiosk mode: full screen, no way out but the owner"
    )
    p.add_argument(
        "--camera",
        metavar="SPEC",
        help="camera number, or a video file / image folder to play as the camera (overrides [ui] camera)",
    )
    p.set_defaults(handler=run)


def display_problem(environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """Why no window can be opened, or None. Qt aborts the process without one, so ask first."""
    if sys.platform != "linux":
        return None
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform and platform not in ("xcb", "wayland"):
        return None  # offscreen, eglfs, linuxfb, vnc: no display server needed
    if platform in ("", "wayland") and environ.get("WAYLAND_DISPLAY"):
        return None
    display = environ.get("DISPLAY", "")
    if not display:
        return "no display to open the window on (DISPLAY is not set); run it on the kiosk's screen"
    if display.startswith(":"):
        number = display[1:].split(".")[0]
        if number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f"the display {display} is not running; run it on the kiosk's screen"
    return None


def stop_on_signals(app: QCoreApplication) -> QTimer:
    """Ctrl+C / SIGTERM (a service manager stopping the kiosk) close the window cleanly.

    Python runs signal handlers only between bytecodes, and Qt's event loop is C++: a
    short timer gives the interpreter a moment to notice the signal.
    """
    from PySide6.QtCore import QTimer

    for number in (signal.SIGINT, signal.SIGTERM):
        # exit(), not quit(): quit() first asks the windows to close, which kiosk mode refuses.
        signal.signal(number, lambda *_: app.exit(0))
    timer = QTimer(app)
    timer.setInterval(200)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer


def run(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        raise KioskError(problem, key="app.no_display")

    from PySide6.QtWidgets import QApplication

    from kiosk.camera.feed import camera_factory
    from kiosk.context import open_context
    from kiosk.logsetup import configure_file_logging
    from kiosk.ui.desktop.instance import acquire_instance_lock
    from kiosk.ui.desktop.qtlog import install_qt_message_handler

    ctx = open_context(args.config, args.data)
    configure_file_logging(ctx.data_dir)  # before anything that may log
    install_qt_message_handler()  # before the app: its start-up messages are routed too
    # Only now the window's modules: Qt Multimedia (the sounds) reports its backends as it loads.
    from kiosk.ui.app import KioskApp, install_excepthook, load_fonts, sound_player
    from kiosk.ui.resources.i18n import install_language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    lock = acquire_instance_lock(ctx.data_dir)
    try:
        install_excepthook()
        load_fonts()
        install_language(app, ctx.config.kiosk.language)
        from kiosk.clock import SystemClock

        clock = SystemClock()
        camera = camera_factory(args.camera, clock) if args.camera is not None else None
        # The set-up wizard asks for a new start when it changed the upstream settings.
        restart: list[bool] = []
        stop_on_signals(app)
        while True:
            restart.clear()
            kiosk = KioskApp(
                ctx,
                clock=clock,
                camera=camera,
                fullscreen=args.fullscreen,
                sound=sound_player(ctx.config.ui.sound_volume),
                config_path=args.config,
                restart=lambda: (restart.append(True), app.exit(0)),
            )
            kiosk.start()
            logging.getLogger(__name__).info("kiosk window started")
            try:
                app.exec()
            finally:
                kiosk.shutdown()
            if not restart:
                break
            ctx = open_context(args.config, args.data)
    finally:
        lock.unlock()
    return 0
