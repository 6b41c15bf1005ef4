"""`kiosk simulate fleet`: our client against a naive one, many kiosks, one struggling upstream."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from kiosk.errors import InputError


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("simulate", help="virtual-time simulations")
    ssub = p.add_subparsers(dest="simulate_command", metavar="WHAT")
    ssub.required = True
    fleet = ssub.add_parser(
        "fleet",
        help="many kiosks against one upstream during a lunch surge and a 30-minute outage",
        description="Runs the app's real engine, breaker and uploader on a virtual clock for every "
        "kiosk, once with our policy and once with a naive client (retry at once, 3 tries, no "
        "breaker, no backoff), on the same scenario.",
    )
    fleet.add_argument("--kiosks", type=int, default=1000, help="number of kiosks (default 1000)")
    fleet.add_argument("--minutes", type=float, default=150.0, help="scenario length (default 150)")
    fleet.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    fleet.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    fleet.add_argument(
        "--jobs", type=int, choices=(1, 2), default=2, help="processes: 2 runs both policies at once"
    )
    fleet.add_argument(
        "--upload-interval",
        type=float,
        default=None,
        metavar="S",
        help="uploader poll in seconds, both policies (default: the app's [uploader] interval_s)",
    )
    fleet.add_argument(
        "--wake-on-visit",
        action="store_true",
        help="wake the uploader after every visit instead of batching on its poll",
    )
    fleet.add_argument(
        "--probe-max",
        type=float,
        default=None,
        metavar="S",
        help="our breaker's longest probe backoff in seconds (default: the app's [upstream] probe_max_s)",
    )
    fleet.set_defaults(handler=run_fleet_command)


def run_fleet_command(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.simulator.fleet import NAIVE, OURS, run_fleet
    from kiosk.simulator.fleet_report import report_json, report_table
    from kiosk.simulator.fleet_scenario import Scenario

    if not 1 <= args.kiosks <= 100_000:
        raise InputError("--kiosks must be between 1 and 100000")
    if not 5 <= args.minutes <= 24 * 60:
        raise InputError("--minutes must be between 5 and 1440")
    if args.upload_interval is not None and not 0.1 <= args.upload_interval <= 3600:
        raise InputError("--upload-interval must be between 0.1 and 3600 seconds")
    if args.probe_max is not None and not 1 <= args.probe_max <= 3600:
        raise InputError("--probe-max must be between 1 and 3600 seconds")
    ours, naive = OURS, NAIVE
    if args.upload_interval is not None:
        ours = replace(ours, upload_interval_s=args.upload_interval)
        naive = replace(naive, upload_interval_s=args.upload_interval)
    if args.wake_on_visit:
        ours = replace(ours, wake_on_visit=True)
        naive = replace(naive, wake_on_visit=True)
    if args.probe_max is not None:
        base = ours.breaker.probe_base_s
        ours = replace(ours, breaker=replace(ours.breaker, probe_max_s=max(args.probe_max, base)))
    scenario = Scenario(kiosks=args.kiosks, minutes=args.minutes, seed=args.seed)
    report = run_fleet(scenario, ours=ours, naive=naive, jobs=args.jobs)
    if args.json:
        print(json.dumps(report_json(report), indent=2))
    else:
        print(report_table(report))
    return 0
