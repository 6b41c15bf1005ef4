"""`kiosk simulate fleet`: our client against baseline clients, many kiosks, one struggling upstream."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.errors import InputError

if TYPE_CHECKING:
    from kiosk.simulator.fleet_scenario import Scenario


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("simulate", help="virtual-time simulations")
    ssub = p.add_subparsers(dest="simulate_command", metavar="WHAT")
    ssub.required = True
    fleet = ssub.add_parser(
        "fleet",
        help="many kiosks against one upstream during a lunch surge and an outage",
        description="Runs the app's real engine, breaker, uploader and maintenance service (trust "
        "sync, revocation sync, reconciliation, health probes) on a virtual clock for every kiosk, "
        "once with our policy and once with a baseline client, on the same scenario; every upstream "
        "request is counted by kind. Baselines: 'ordinary' (the fair rival: half the budget per try, one "
        "retry, no breaker, uploads batched every 30 s with backoff honouring Retry-After, conditional "
        "trust sync), 'commercial' (the same verification, uploads retried at once without backoff) and "
        "'naive' (retry at once, 3 tries, no breaker).",
    )
    fleet.add_argument("--kiosks", type=int, default=1000, help="number of kiosks (default 1000)")
    fleet.add_argument("--minutes", type=float, default=150.0, help="base scenario length (default 150)")
    fleet.add_argument(
        "--outage-minutes", type=float, default=None, metavar="M", help="outage length (default 0.2 x base)"
    )
    fleet.add_argument(
        "--capacity-share",
        type=float,
        default=0.3,
        metavar="F",
        help="upstream capacity around the outage, as a share of full (default 0.3)",
    )
    fleet.add_argument(
        "--flap-minutes",
        type=float,
        default=None,
        metavar="P",
        help="during the outage, upstream goes down and up every P minutes",
    )
    fleet.add_argument(
        "--trust-certs", type=int, default=20, metavar="K", help="certificates in the trust list (default 20)"
    )
    fleet.add_argument(
        "--list-change",
        action="store_true",
        help="at lunch the trust list gains 5%% and loses 2%% of its signers, and 100 revocations arrive "
        "(use with --trust-certs 3000)",
    )
    fleet.add_argument(
        "--quiet-hours",
        type=float,
        default=0.0,
        metavar="H",
        help="after the lunch, H hours at 0.2 scans per kiosk per minute",
    )
    fleet.add_argument(
        "--morning-start",
        action="store_true",
        help="every kiosk is switched on within the first 10 minutes (the start-of-day storm)",
    )
    fleet.add_argument(
        "--lost-acks",
        type=float,
        default=0.0,
        metavar="F",
        help="share of answers to record-carrying requests lost in transit after upstream stored them",
    )
    fleet.add_argument(
        "--baseline",
        choices=("ordinary", "naive", "commercial"),
        action="append",
        help="the client(s) to compare with (default ordinary; give more than once for several)",
    )
    fleet.add_argument(
        "--no-extensions",
        action="store_true",
        help="our client with today's upstream protocol only (no extension the simulator offers)",
    )
    fleet.add_argument(
        "--extension",
        choices=("news", "delta", "health_wait", "carry"),
        action="append",
        help="our client with only this extension (repeat for several): to measure them one by one",
    )
    fleet.add_argument(
        "--suite",
        action="store_true",
        help="run every scenario of the project's targets (default, 2-hour outage, 10%% capacity, "
        "flapping, lost answers, 5,000 kiosks) and print a summary",
    )
    fleet.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    fleet.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    fleet.add_argument("--jobs", type=int, choices=(1, 2), default=2, help="processes (2: policies at once)")
    fleet.add_argument(
        "--upload-interval",
        type=float,
        default=None,
        metavar="S",
        help="uploader poll in seconds, all policies (default: the app's [uploader] interval_s)",
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


def _scenario(args: argparse.Namespace) -> Scenario:
    from kiosk.simulator.fleet_scenario import Scenario

    if not 1 <= args.kiosks <= 100_000:
        raise InputError("--kiosks must be between 1 and 100000")
    if not 5 <= args.minutes <= 24 * 60:
        raise InputError("--minutes must be between 5 and 1440")
    if args.outage_minutes is not None and not 0 < args.outage_minutes <= 24 * 60:
        raise InputError("--outage-minutes must be more than 0 and at most 1440")
    if not 0 < args.capacity_share < 1:
        raise InputError("--capacity-share must be between 0 and 1 (exclusive)")
    if args.flap_minutes is not None and not 0 < args.flap_minutes <= 24 * 60:
        raise InputError("--flap-minutes must be more than 0 and at most 1440")
    if not 1 <= args.trust_certs <= 5000:
        raise InputError("--trust-certs must be between 1 and 5000")
    if not 0 <= args.quiet_hours <= 24:
        raise InputError("--quiet-hours must be between 0 and 24")
    if not 0 <= args.lost_acks < 1:
        raise InputError("--lost-acks must be at least 0 and less than 1")
    return Scenario(
        kiosks=args.kiosks,
        minutes=args.minutes,
        seed=args.seed,
        outage_minutes=args.outage_minutes,
        partial_capacity=args.capacity_share,
        flap_minutes=args.flap_minutes,
        trust_certs=args.trust_certs,
        lost_ack_share=args.lost_acks,
        quiet_hours=args.quiet_hours,
        morning_start=args.morning_start,
        list_change=args.list_change,
    )


def run_fleet_command(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.simulator.fleet import BASELINES, OURS, run_fleet
    from kiosk.simulator.fleet_report import report_json, report_table

    scenario = _scenario(args)
    if args.upload_interval is not None and not 0.1 <= args.upload_interval <= 3600:
        raise InputError("--upload-interval must be between 0.1 and 3600 seconds")
    if args.probe_max is not None and not 1 <= args.probe_max <= 3600:
        raise InputError("--probe-max must be between 1 and 3600 seconds")
    if args.no_extensions and args.extension:
        raise InputError("--no-extensions and --extension exclude each other")
    if args.suite:
        return _run_suite(args)
    ours = OURS
    if args.no_extensions or args.extension:
        ours = replace(ours, extensions=frozenset(() if args.no_extensions else args.extension))
    baselines = [BASELINES[name] for name in dict.fromkeys(args.baseline or ["ordinary"])]
    if args.upload_interval is not None:
        ours = replace(ours, upload_interval_s=args.upload_interval)
        baselines = [replace(b, upload_interval_s=args.upload_interval) for b in baselines]
    if args.wake_on_visit:
        ours = replace(ours, wake_on_visit=True)
        baselines = [replace(b, wake_on_visit=True) for b in baselines]
    if args.probe_max is not None:
        base = ours.breaker.probe_base_s
        ours = replace(ours, breaker=replace(ours.breaker, probe_max_s=max(args.probe_max, base)))
    report = run_fleet(scenario, ours=ours, baselines=tuple(baselines), jobs=args.jobs)
    if args.json:
        print(json.dumps(report_json(report), indent=2))
    else:
        print(report_table(report))
    return 0


def _run_suite(args: argparse.Namespace) -> int:
    from kiosk.simulator.fleet import FleetReport
    from kiosk.simulator.fleet_report import report_json, report_table
    from kiosk.simulator.fleet_suite import run_suite, scale_misses, suite_cases, summary_table

    def progress(name: str, report: FleetReport) -> None:
        if not args.json:
            print(f"== {name}\n{report_table(report)}\n", flush=True)
        else:
            print(f"fleet: {name} done in {report.wall_s:.0f} s", file=sys.stderr, flush=True)

    done = run_suite(suite_cases(kiosks=args.kiosks, seed=args.seed), jobs=args.jobs, progress=progress)
    if args.json:
        out = {}
        for case, report in done:
            out[case.name] = report_json(report)
            if case.wall_limit_s is not None or case.memory_limit_mb is not None:
                out[case.name]["simulation_limits"] = {
                    "wall_limit_s": case.wall_limit_s,
                    "memory_limit_mb": case.memory_limit_mb,
                    "missed": scale_misses(case, report),
                }
        print(json.dumps(out, indent=2))
    else:
        print(summary_table(done))
    return 0
