"""`kiosk restore FILE`: check a backup, then put its records in place, keeping the current data file."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.commands.owner_common import read_owner_key

if TYPE_CHECKING:
    from kiosk.owner_tools.restore_owner import RestoreSecrets


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("restore", help="restore a backup (close the kiosk app first; the old file is kept)")
    common(p)
    p.add_argument("file", type=Path, metavar="FILE", help="a file written by `kiosk backup`")
    p.add_argument(
        "--pin-stdin", action="store_true",
        help="read the PINs from stdin (scripts): first line the backup owner's PIN or recovery code "
        "(empty: restore without its owner), second line this kiosk's owner PIN (empty: the same)",
    )
    p.add_argument(
        "--owner-key", type=Path, metavar="FILE",
        help="the owner's private key file (base64), for a backup encrypted to a key the kiosk does not keep",
    )
    p.add_argument(
        "--keep-owner", action="store_true",
        help="keep this kiosk's owner PIN and key, never the backup's (no PIN is asked for it)",
    )
    p.set_defaults(handler=run)


def _secrets(args: argparse.Namespace) -> RestoreSecrets:
    from kiosk.owner_tools.restore_owner import RestoreSecrets
    from kiosk.owner_tools.sealed_backup import is_pin_form

    def ask(prompt: str) -> str:
        if args.pin_stdin:
            return sys.stdin.readline().strip()
        try:
            return getpass.getpass(prompt).strip()
        except EOFError:  # no terminal and nothing to read: no PIN given
            return ""

    def current_pin(backup_secret: str) -> str:
        pin = ask("owner PIN of this kiosk (Enter: the same as the backup's): ")
        return pin or (backup_secret if is_pin_form(backup_secret) else "")

    return RestoreSecrets(
        backup_secret=lambda: ask("PIN or recovery code of the backup's owner (Enter: none): "),
        current_pin=current_pin,
        owner_key=read_owner_key(args.owner_key) if args.owner_key is not None else None,
        keep_owner=args.keep_owner,
    )


def run(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.owner_tools.audit_trail import record_owner_audit
    from kiosk.owner_tools.dates import system_timezone
    from kiosk.owner_tools.restore import restore_database

    ctx = open_context(args.config, args.data)
    clock = SystemClock()
    secrets = _secrets(args)
    result = restore_database(ctx.db_path, args.file, clock=clock, tz=system_timezone(), secrets=secrets)
    # Into the restored file, which is the kiosk's data from now on: its trail says where it came from.
    record_owner_audit(ctx.db_path, clock.now(), "cli", "restore", {
        "file": Path(args.file).name, "schema_version": result.schema_version,
        "previous_kept": result.kept_old is not None, "owner": str(result.owner),
        "carried": result.carried, "encrypted": result.encrypted,
    })
    print(result.message, file=sys.stderr)
    return 0
