"""`kiosk report outages`: outage evidence for an inspector (JSON contract, CSV, printable HTML)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.commands.owner_common import day_arg


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("report", help="reports for the owner and inspectors")
    kinds = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    o = kinds.add_parser("outages", help="periods the verification service was unusable, with visit counts")
    common(o)
    o.add_argument("--from", dest="first", type=day_arg("--from"), metavar="DATE")
    o.add_argument("--to", dest="last", type=day_arg("--to"), metavar="DATE")
    o.add_argument("--format", choices=("json", "csv", "html"), default="json")
    o.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: standard output")
    o.set_defaults(handler=run_outages)


def run_outages(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.owner_tools.dates import system_timezone
    from kiosk.owner_tools.outage_report import build_outage_report, render, write_report

    ctx = open_context(args.config, args.data)
    report = build_outage_report(
        ctx.db_path, args.first, args.last, now=SystemClock().now(), tz=system_timezone(),
        kiosk_id=ctx.config.kiosk.id, with_days=args.format == "html",
    )
    language = ctx.config.kiosk.language  # CSV and HTML are read by people: the kiosk's language
    if args.output is None:
        sys.stdout.buffer.write(render(report, args.format, language))
        sys.stdout.flush()
    else:
        write_report(report, args.format, args.output, language)
    # Beside the body (not in it), so the JSON stays exactly the contract.
    print(
        f"kiosk {report.kiosk_id}: {len(report.periods)} outage(s); "
        f"sha256 of the report body (JSON form) {report.sha256()}",
        file=sys.stderr,
    )
    return 0
