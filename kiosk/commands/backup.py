"""`kiosk backup FILE` (or `--daily`): a consistent copy of the data file while the kiosk runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("backup", help="copy the kiosk data file (safe while the kiosk runs)")
    common(p)
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help="where to write the copy")
    p.add_argument(
        "--daily", action="store_true", help="today's copy into [backup] folder (keeps [backup] keep)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.errors import InputError
    from kiosk.owner_tools.audit_trail import record_owner_audit
    from kiosk.owner_tools.backup import backup_database, daily_backup
    from kiosk.owner_tools.dates import system_timezone

    if (args.file is None) == (not args.daily):
        raise InputError("give either a FILE to write or --daily")
    ctx = open_context(args.config, args.data)
    key = ctx.config.privacy.owner_public_key_bytes()
    if args.daily:
        folder = ctx.config.backup.folder
        if not folder:
            raise InputError("no [backup] folder configured in config.toml")
        now = SystemClock().now()
        made = daily_backup(
            ctx.db_path, Path(folder).expanduser(), ctx.config.backup.keep, now=now, tz=system_timezone(),
            configured_key=key,
        )
        if made:
            record_owner_audit(ctx.db_path, now, "cli", "backup.daily", {"file": made.name})
        print(f"backup written to {made}" if made else "today's backup is already there", file=sys.stderr)
        return 0
    result = backup_database(ctx.db_path, args.file, configured_key=key)
    # The file's name only: a folder path can name a person (a user's home or USB stick).
    record_owner_audit(ctx.db_path, SystemClock().now(), "cli", "backup", {
        "file": result.path.name, "pages": result.pages, "encrypted": result.encrypted,
    })
    sealed = (
        "encrypted to the owner's key" if result.encrypted
        else "NOT encrypted: no owner is set up yet (set the owner PIN in the window)"
    )
    print(f"backup written to {result.path} ({result.pages} pages, verified, {sealed})", file=sys.stderr)
    return 0
