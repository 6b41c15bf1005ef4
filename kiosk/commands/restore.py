"""`kiosk restore FILE`: check a backup, then put it in place, keeping the current data file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("restore", help="restore a backup (close the kiosk app first; the old file is kept)")
    common(p)
    p.add_argument("file", type=Path, metavar="FILE", help="a file written by `kiosk backup`")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.owner_tools.audit_trail import record_owner_audit
    from kiosk.owner_tools.dates import system_timezone
    from kiosk.owner_tools.restore import restore_database

    ctx = open_context(args.config, args.data)
    now = SystemClock().now()
    result = restore_database(ctx.db_path, args.file, now=now, tz=system_timezone())
    # Into the restored file, which is the kiosk's data from now on: its trail says where it came from.
    record_owner_audit(ctx.db_path, now, "cli", "restore", {
        "file": Path(args.file).name, "schema_version": result.schema_version,
        "previous_kept": result.kept_old is not None,
    })
    kept = f"; the previous data file is kept as {result.kept_old}" if result.kept_old else ""
    print(f"restored {args.file} (schema {result.schema_version}){kept}", file=sys.stderr)
    return 0
