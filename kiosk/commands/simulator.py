"""`kiosk simulator serve`: run the reference upstream service (for demos, tests and installers)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("simulator", help="the reference upstream simulator")
    ssub = p.add_subparsers(dest="simulator_command", metavar="ACTION")
    ssub.required = True
    serve = ssub.add_parser("serve", help="serve the upstream API on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument(
        "--faults", type=Path, metavar="FILE", help="JSON file of faults to inject from the start"
    )
    serve.add_argument(
        "--api-key",
        action="append",
        default=[],
        metavar="KEY",
        help="accepted kiosk API key (repeatable; default: demo-key)",
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from kiosk.simulator.serve import serve

    return serve(args.host, args.port, args.faults, args.api_key or ["demo-key"])
