"""`kiosk camera test`: open the configured camera, measure its frame rate, check the framing."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("camera", help="check the camera")
    camera_sub = p.add_subparsers(dest="camera_command", metavar="ACTION", required=True)
    test = camera_sub.add_parser(
        "test", help="measure the camera's frame rate and check that a pass held in the guide reads well"
    )
    common(test)
    test.add_argument(
        "--camera", help="camera number, video file or image folder (default: [ui] camera of the config)"
    )
    test.add_argument("--seconds", type=float, default=5.0, help="how long to watch (default 5)")
    test.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.camera.camera_test import format_report, run_camera_test
    from kiosk.camera.feed import camera_factory
    from kiosk.camera.webcam import WebcamSource
    from kiosk.clock import SystemClock
    from kiosk.config import load_config
    from kiosk.errors import InputError

    if args.seconds <= 0:
        raise InputError("--seconds must be positive")
    spec = args.camera if args.camera is not None else load_config(args.config).ui.camera
    clock = SystemClock()
    # A camera that is missing raises CameraUnavailableError: the CLI prints it and exits 2.
    with camera_factory(spec, clock)() as source:
        fmt = source.format if isinstance(source, WebcamSource) else None
        report = run_camera_test(source, clock, seconds=args.seconds, fmt=fmt)
    lines, fine = format_report(report)
    print("\n".join(lines), flush=True)
    return 0 if fine else 1
