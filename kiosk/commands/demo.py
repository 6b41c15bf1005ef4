"""`kiosk demo`: the lunch-hour story in the terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from kiosk.config import load_config
from kiosk.paths import data_dir


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("demo", help="play a lunch hour (online, outage, recovery) against the simulator")
    common(p)
    p.add_argument("--pace", type=float, default=0.15, metavar="SECONDS", help="pause between visitors")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.demo.story import LunchHourDemo

    config = load_config(args.config)
    folder = data_dir(args.data, config.kiosk.data_dir)
    figures = LunchHourDemo(folder, sys.stdout, pace_s=max(0.0, args.pace)).run()
    return 0 if figures.lost == 0 and figures.duplicates == 0 else 1
