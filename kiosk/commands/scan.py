"""`kiosk scan`: decode the QR codes in image files.

The scanning and both output forms live in `kiosk.camera.scan_cli`; this module only
wires them to the command line.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("scan", help="decode QR codes in image files")
    p.add_argument("--json", action="store_true", help="print one JSON object per image: {file, texts, ms}")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.camera.scan_cli import exit_code, format_text, scan_images

    results = scan_images(args.images)
    if args.json:
        for row in results:
            print(json.dumps(row, ensure_ascii=False), flush=True)
    else:
        print(format_text(results), flush=True)
    return exit_code(results)
