"""`kiosk scan`: decode the QR codes in image files."""

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
    from kiosk.camera.scan_cli import scan_images

    failed = False
    for row in scan_images(args.images):
        failed = failed or bool(row.get("error"))
        if args.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        elif row.get("error"):
            print(f"{row['file']}: error: {row['error']}", flush=True)
        else:
            texts = row["texts"] or ["(no QR code found)"]
            for text in texts:
                print(f"{row['file']}: {text}", flush=True)
    return 2 if failed else 0
