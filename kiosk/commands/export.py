"""`kiosk export`: the visit log of a date range as CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.commands.owner_common import day_arg, owner_key_by_pin, read_owner_key


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("export", help="export the visit log of a date range (CSV or XLSX)")
    common(p)
    p.add_argument("--from", dest="first", required=True, type=day_arg("--from"), metavar="DATE")
    p.add_argument("--to", dest="last", required=True, type=day_arg("--to"), metavar="DATE")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: visits-FROM-TO.FORMAT here")
    p.add_argument(
        "--with-phones", action="store_true",
        help="add manual-entry phone numbers: asks for the owner PIN (the export is audited)",
    )
    p.add_argument(
        "--pin-stdin", action="store_true", help="read the owner PIN from the first line of stdin (scripts)"
    )
    p.add_argument(
        "--owner-key", type=Path, metavar="FILE",
        help="the owner's private key file (base64), for a kiosk that keeps no private key",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.errors import InputError
    from kiosk.owner_tools.dates import day_range, system_timezone
    from kiosk.owner_tools.export import ExportRequest, export_visits
    from kiosk.timefmt import local_today

    if args.owner_key is not None and not args.with_phones:
        raise InputError("--owner-key is only used with --with-phones")
    ctx = open_context(args.config, args.data)
    now, tz = SystemClock().now(), system_timezone()
    days = day_range(args.first, args.last, today=local_today(now, tz), tz=tz)
    key = None
    if args.with_phones:
        # The range is checked first: a wrong range must not cost a PIN try.
        key = (
            read_owner_key(args.owner_key)
            if args.owner_key is not None
            else owner_key_by_pin(ctx.db(), stdin=args.pin_stdin)
        )
    request = ExportRequest(days, args.format, ctx.config.kiosk.language, owner_private_key=key)
    target = args.output or Path(f"visits-{days.first.isoformat()}-{days.last.isoformat()}.{args.format}")
    result = export_visits(ctx.db_path, target, request, now=now, tz=tz, actor="cli")
    note = "" if result.audit_stored else " (audit entry queued: the kiosk is busy)"
    damaged = f"; {result.unreadable_sealed} sealed entries unreadable" if result.unreadable_sealed else ""
    print(f"exported {result.rows} visits to {result.path}{damaged}{note}", file=sys.stderr)
    return 0
